import { z } from 'zod';
import { notes, userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

const feedbackInput = z
  .strictObject({
    user_id: userIdField,
    ref_type: z.enum(['recommendation', 'session']),
    ref_id: z.string().min(1).max(100).meta({ example: 'rec-456' }),
    helpful: z.boolean(),
    notes: notes.optional(),
  })
  .meta({ id: 'FeedbackInput' });

export type FeedbackInput = z.infer<typeof feedbackInput>;

export const ok = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' });

/** The feedback endpoints (`api.ts` gathers every domain's). */
export const feedbackEndpoints = {
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
} as const satisfies Record<string, EndpointSpec>;
