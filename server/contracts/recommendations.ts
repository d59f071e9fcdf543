import { z } from 'zod';
import { jsonObject, shortText, userIdField } from './common';

const recommendationId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be letters, digits and _ . : -')
  .meta({ example: 'rec-456' });

export const recommendationInput = z
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
