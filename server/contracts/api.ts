import type { EndpointSpec } from '@/server/http/endpoint';
import { createdId } from './common';
import { feedbackInput, ok } from './feedback';
import { instrumentInput, instrumentResult } from './instrument';
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
    body: profileVersionInput,
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
    body: sessionInput,
    response: { status: 201, description: 'Stored.', schema: sessionCreated },
  },
  createRecommendation: {
    operationId: 'createRecommendation',
    method: 'POST',
    path: '/recommendations',
    tags: ['Collect'],
    summary: 'Record a recommendation that was served',
    description: 'So that feedback can point at it. A client-named id sent again with the same content answers the same id.',
    access: 'write',
    body: recommendationInput,
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
    body: feedbackInput,
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
    body: instrumentInput,
    maxBodyBytes: 1024 * 1024,
    response: { status: 200, description: 'Counted.', schema: instrumentResult },
  },
} as const satisfies Record<string, EndpointSpec>;
