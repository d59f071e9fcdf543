import { z } from 'zod';
import { dateOnly, shortText, userIdField } from './common';
import { overlayDeload } from './deloads';
import type { EndpointSpec } from './endpoint-spec';

/** The bounds every modifier keeps to (`MODIFIER_*`): a multiplier between `min` and `max`, reps down to `minRepDelta`. */
export interface Bounds {
  min: number;
  max: number;
  minRepDelta: number;
}

export const modifiersQuery = z
  .strictObject({
    user_id: userIdField.optional().meta({ description: 'Defaults to the token’s user; a coach may name an athlete.' }),
  })
  .meta({ id: 'ModifiersQuery' });

const overlayItem = z
  .object({
    exercise: z.string(),
    multiplier: z.number().meta({ description: 'Multiply the rules-only recommended weight by this.' }),
    rep_delta: z.number().int().meta({ description: 'Add this to the rules-only recommended reps.' }),
    week_start: z.iso
      .date()
      .meta({ description: 'The week the row was written for (carried forward until a newer one).' }),
    source: z.enum(['auto', 'coach']),
    reason: z.string(),
    rule_version: z.string(),
    policy: z
      .string()
      .meta({ description: 'The policy that decided this value: `rules@po-overlay-2`, `hold`, or `coach`.' }),
    computed_at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'OverlayItem' });

export const overlayResponse = z
  .object({
    user_id: z.string(),
    week_start: z.iso.date().meta({ description: 'This ISO week, in the lifter’s time zone.' }),
    rule_version: z.string().meta({ description: 'The rule version the job runs now.' }),
    policy: z
      .string()
      .meta({ description: 'The policy that decides this lifter’s modifiers; copy it into `rec_source`.' }),
    experiment: z
      .object({ key: z.string(), arm: z.string() })
      .optional()
      .meta({ description: 'The experiment the lifter is enrolled in, and the arm; absent when in none.' }),
    modifiers: z.array(overlayItem),
    deloads: z.array(overlayDeload).meta({
      description:
        'Deloads planned for this week (`/deloads`): for the exercises named (null: all), weight × `load_factor` after the multiplier, and sets × `set_factor`. Empty in most weeks.',
    }),
  })
  .meta({ id: 'Overlay' });

export type OverlayResponse = z.infer<typeof overlayResponse>;

/**
 * A coach's override: a multiplier, a rep delta, or both, always with a note saying why — within the bounds the
 * weekly job keeps to (`MODIFIER_MIN`, `MODIFIER_MAX`, `MODIFIER_MIN_REP_DELTA`). The form, the tRPC procedure
 * and the service all build it from the bounds in force.
 */
export function overrideInputWithin(bounds: Bounds) {
  return z
    .strictObject({
      athleteId: userIdField,
      exercise: shortText(120),
      week: dateOnly.meta({ description: 'Any day of the week it applies to; stored as that ISO week’s Monday.' }),
      multiplier: z.number().min(bounds.min).max(bounds.max).optional(),
      repDelta: z.number().int().min(bounds.minRepDelta).max(0).optional(),
      note: shortText(500),
    })
    .refine((v) => v.multiplier !== undefined || v.repDelta !== undefined, {
      message: 'give a multiplier, a rep delta, or both',
      path: ['multiplier'],
    });
}

/** The widest bounds the environment accepts (server/env.ts): the procedure's shape; the service narrows it. */
export const overrideInput = overrideInputWithin({ min: 0.5, max: 2, minRepDelta: -10 });

export type OverrideInput = z.infer<typeof overrideInput>;

/** A coach's view of an athlete's modifier history, optionally one exercise (dashboard only). */
export const modifierHistoryQuery = z.strictObject({ athleteId: userIdField, exercise: shortText(120).optional() });

/** How an athlete's exercise adapts when it goes badly, as their coach sets it (dashboard only). */
export const exercisePolicyInput = z.strictObject({
  athleteId: userIdField,
  exercise: shortText(120),
  policy: z.enum(['load', 'reps']),
});

/** The modifiers endpoints (`api.ts` gathers every domain's). */
export const modifiersEndpoints = {
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
} as const satisfies Record<string, EndpointSpec>;
