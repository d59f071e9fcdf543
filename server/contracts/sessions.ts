import { z } from 'zod';
import { calories, instantOrDate, jsonObject, reps, rpe, shortText, userIdField, weightKg } from './common';

export const setInput = z
  .strictObject({
    exercise: shortText(120).meta({ example: 'Incline Dumbbell Press' }),
    set_number: z.number().int().min(1).max(1000),
    rec_weight: weightKg.nullable().optional(),
    rec_reps: reps.nullable().optional(),
    actual_weight: weightKg.nullable().optional(),
    actual_reps: reps.nullable().optional(),
    intensity: rpe.nullable().optional().meta({ description: 'RPE, 0–10' }),
    /** Defaults to true: the seed's example sets carry no `done` and are plainly finished sets. */
    done: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (!s.done) return;
    // A done set must say what was lifted; only skipped sets may leave it out.
    for (const key of ['actual_weight', 'actual_reps'] as const) {
      if (s[key] === undefined || s[key] === null)
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when the set is done' });
    }
  })
  .meta({ id: 'SetInput' });

export const sessionInput = z
  .strictObject({
    user_id: userIdField,
    date: instantOrDate.meta({
      description: 'ISO instant (kept as performed_at; the calendar date is taken in the lifter’s zone) or a date',
    }),
    day_type: shortText(64).nullable().optional().meta({ example: 'Chest' }),
    finished: z.boolean().default(false),
    calories: calories.nullable().optional(),
    sets: z.array(setInput).max(300),
    rec_meta: jsonObject(64 * 1024)
      .refine(
        (m) => m.rec_source === undefined || (typeof m.rec_source === 'string' && /^\S.{0,63}$/.test(m.rec_source)),
        { message: 'must be a string of 1–64 characters', path: ['rec_source'] },
      )
      .nullable()
      .optional()
      .meta({
        description:
          'The full recommendation payload served with the session; stored as a recommendation. Its `rec_source` (the policy the app applied, from GET /modifiers) is kept as the recommendation’s source; `client` when absent.',
      }),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<number, number>();
    s.sets.forEach((set, i) => {
      const first = seen.get(set.set_number);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['sets', i, 'set_number'],
          message: `duplicates sets[${first}].set_number; set_number must be unique within a session`,
        });
      else seen.set(set.set_number, i);
    });
  })
  .meta({ id: 'SessionInput' });

export type SessionInput = z.infer<typeof sessionInput>;
export type SetInput = z.infer<typeof setInput>;
/** A set with every field given, as the demo data and the simulator write them. */
export type CompleteSetInput = { [K in keyof SetInput]-?: NonNullable<SetInput[K]> };

export const sessionCreated = z.object({ session_id: z.string().uuid() }).meta({ id: 'SessionCreated' });
