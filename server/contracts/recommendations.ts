import { z } from 'zod';
import { createdId, jsonObject, shortText, userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

const recommendationId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be letters, digits and _ . : -')
  .meta({ example: 'rec-456' });

const recommendationInput = z
  .strictObject({
    user_id: userIdField,
    id: recommendationId.optional().meta({
      description: 'The client’s own id for the recommendation (so feedback can name it); assigned when absent.',
    }),
    exercise: shortText(120).meta({ example: 'Incline Dumbbell Press' }),
    rec_payload: jsonObject(64 * 1024).meta({ example: { weight: 18.5, reps: 6, sets: 3 } }),
    rec_source: shortText(64).optional().meta({ example: 'po-rules' }),
  })
  .meta({ id: 'RecommendationInput' });

export type RecommendationInput = z.infer<typeof recommendationInput>;

/** The recommendations endpoints (`api.ts` gathers every domain's). */
export const recommendationsEndpoints = {
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
} as const satisfies Record<string, EndpointSpec>;
