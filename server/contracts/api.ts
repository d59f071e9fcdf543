import type { EndpointSpec } from '@/server/http/endpoint';
import { analyticsQuery, analyticsResponse } from './analytics';
import { createdId } from './common';
import { feedbackInput, ok } from './feedback';
import { instrumentInput, instrumentResult } from './instrument';
import { modifiersQuery, overlayResponse } from './modifiers';
import {
  consentInput,
  consentQuery,
  consentRecord,
  consentResult,
  deleteUserResponse,
  exportQuery,
  exportResponse,
  userPathParams,
} from './privacy';
import { profileVersionInput } from './profile-versions';
import { recommendationInput } from './recommendations';
import { sessionCreated, sessionInput } from './sessions';

/**
 * Every REST endpoint as data. Route handlers bind these to services; the OpenAPI document is generated from
 * the same objects, so what is documented is what is enforced.
 */
export const api = {
  createProfileVersion: {
    operationId: 'createProfileVersion',
    method: 'POST',
    path: '/profile_versions',
    tags: ['Collect'],
    summary: 'Record a profile snapshot',
    description:
      'Stores the snapshot as sent (unknown keys kept) and, when it is the latest by effective date, updates the current profile.',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: profileVersionInput,
    example: {
      user_id: 'user-123',
      snapshot: { weightKg: 70, heightCm: 188, age: 20, sex: 'male', idealWeightGoal: 85 },
      effective_date: '2025-11-24',
      source: 'user',
    },
    response: { status: 201, description: 'Stored.', schema: createdId },
  },
  createSession: {
    operationId: 'createSession',
    method: 'POST',
    path: '/session',
    tags: ['Collect'],
    summary: 'Record a workout session with its sets',
    description:
      'The session, all its sets and a recommendation row for `rec_meta` are written in one transaction: all or nothing.',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: sessionInput,
    example: {
      user_id: 'user-123',
      date: '2025-11-24T12:34:00Z',
      day_type: 'Chest',
      finished: true,
      calories: 2600,
      sets: [
        {
          exercise: 'Incline Dumbbell Press',
          set_number: 1,
          rec_weight: 18.5,
          rec_reps: 6,
          actual_weight: 18.5,
          actual_reps: 6,
          intensity: 7,
        },
      ],
      rec_meta: { algorithm: 'po-rules', exercises: [{ exercise: 'Incline Dumbbell Press', weight: 18.5, reps: 6 }] },
    },
    response: { status: 201, description: 'Stored.', schema: sessionCreated },
  },
  createRecommendation: {
    operationId: 'createRecommendation',
    method: 'POST',
    path: '/recommendations',
    tags: ['Collect'],
    summary: 'Record a recommendation that was served',
    description:
      'So that feedback can point at it. A client-named id sent again with the same content answers the same id.',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: recommendationInput,
    example: {
      user_id: 'user-123',
      id: 'rec-456',
      exercise: 'Incline Dumbbell Press',
      rec_payload: { weight: 18.5, reps: 6, sets: 3 },
      rec_source: 'po-rules',
    },
    response: { status: 201, description: 'Stored.', schema: createdId },
    errors: [409],
  },
  createFeedback: {
    operationId: 'createFeedback',
    method: 'POST',
    path: '/feedback',
    tags: ['Collect'],
    summary: 'Was this helpful?',
    description: '`ref_id` must name an existing recommendation or session of the same user (404 otherwise).',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: feedbackInput,
    example: { user_id: 'user-123', ref_type: 'recommendation', ref_id: 'rec-456', helpful: true, notes: 'felt right' },
    response: { status: 200, description: 'Stored.', schema: ok },
    errors: [404],
  },
  ingestInstrument: {
    operationId: 'ingestInstrument',
    method: 'POST',
    path: '/instrument',
    tags: ['Collect'],
    summary: 'Lightweight instrumentation: one event or a batch of up to 1,000',
    description:
      'Each event ≤ 32 KB. A re-sent `event_id` is counted as a duplicate, never stored twice. Events of users who have not opted in to analytics are dropped. The server stores a skew-corrected time: received_at − (sent_at − occurred_at).',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: instrumentInput,
    example: {
      events: [
        {
          type: 'session_submitted',
          payload: { sets: 1 },
          event_id: '0b6a2f0e-6a43-4c33-9d1e-7f3c2b1a9e10',
          occurred_at: '2025-11-24T12:34:00Z',
          sent_at: '2025-11-24T12:34:02Z',
        },
      ],
    },
    maxBodyBytes: 1024 * 1024,
    response: { status: 200, description: 'Counted.', schema: instrumentResult },
  },
  getAnalytics: {
    operationId: 'getAnalytics',
    method: 'GET',
    path: '/analytics',
    tags: ['Analyse'],
    summary: 'PRs, plateaus and weekly summaries over a range',
    description:
      'Ranges: all, or N followed by d/w/m/y (7d, 30d, 12w, 6m, 1y), covering whole ISO weeks up to today in the lifter’s time zone. A coach may read its athletes. Answers are identical whether or not the nightly job has run.',
    access: 'read',
    subject: { in: 'query', name: 'user_id' },
    query: analyticsQuery,
    example: { user_id: 'user-123', range: '30d' },
    response: { status: 200, description: 'The analytics.', schema: analyticsResponse },
  },
  getModifiers: {
    operationId: 'getModifiers',
    method: 'GET',
    path: '/modifiers',
    tags: ['Adapt'],
    summary: 'The adaptive modifier overlay in force this week',
    description:
      'Per exercise: multiply the rules-only recommended weight by `multiplier` and add `rep_delta` to its reps. Exercises not listed are neutral (1.0, 0). A coach’s override beats the weekly job’s value for its week. A coach may read its athletes.',
    access: 'read',
    subject: { in: 'query', name: 'user_id' },
    query: modifiersQuery,
    example: { user_id: 'user-123' },
    response: { status: 200, description: 'The overlay.', schema: overlayResponse },
  },
  setConsent: {
    operationId: 'setConsent',
    method: 'POST',
    path: '/consent',
    tags: ['Protect'],
    summary: 'Opt in to or out of analytics',
    description:
      'Every answer is kept in an append-only consent log. Opting out deletes the instrument events already stored; training features (sessions, PRs, modifiers) work either way.',
    access: 'write',
    subject: { in: 'body', name: 'user_id' },
    body: consentInput,
    example: { user_id: 'user-123', analytics: true },
    response: { status: 200, description: 'The answer now in force.', schema: consentResult },
  },
  getConsent: {
    operationId: 'getConsent',
    method: 'GET',
    path: '/consent',
    tags: ['Protect'],
    summary: 'The current analytics consent and its history',
    access: 'write',
    subject: { in: 'query', name: 'user_id' },
    query: consentQuery,
    example: { user_id: 'user-123' },
    response: {
      status: 200,
      description: 'Current answer and every answer given, newest first.',
      schema: consentRecord,
    },
  },
  exportUserData: {
    operationId: 'exportUserData',
    method: 'GET',
    path: '/export',
    tags: ['Protect'],
    summary: 'Everything stored about you',
    description:
      'JSON: every row of every table that holds your data, free text decrypted. `format=csv`: your sets as CSV (text/csv), for a spreadsheet. Only your own data.',
    access: 'write',
    subject: { in: 'query', name: 'user_id' },
    query: exportQuery,
    example: { user_id: 'user-123' },
    response: { status: 200, description: 'Your data.', schema: exportResponse },
    alsoProduces: ['text/csv'],
  },
  deleteUser: {
    operationId: 'deleteUser',
    method: 'DELETE',
    path: '/users/{id}',
    tags: ['Protect'],
    summary: 'Delete your account and every row of your data',
    description:
      'One transaction: afterwards no table holds a row of yours, and your tokens stop working. Only the user itself may do this. Safe to repeat (a repeat answers 401: the token is gone), so Idempotency-Key is ignored.',
    access: 'write',
    subject: { in: 'path', name: 'id' },
    params: userPathParams,
    idempotent: false,
    response: { status: 200, description: 'Deleted; rows removed per table.', schema: deleteUserResponse },
  },
} as const satisfies Record<string, EndpointSpec>;
