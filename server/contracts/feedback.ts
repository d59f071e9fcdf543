import { z } from 'zod';
import { notes, userIdField } from './common';

export const feedbackInput = z
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
