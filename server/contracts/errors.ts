import { z } from 'zod';

/** The one error shape every endpoint answers with. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string(),
      issues: z
        .array(z.object({ path: z.string().meta({ example: 'sets[0].actual_reps' }), message: z.string() }))
        .optional(),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBody>;
