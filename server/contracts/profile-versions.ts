import { z } from 'zod';
import { dateOnly, notes, timeZone, userIdField, withinDepth } from './common';

/**
 * A profile snapshot. Known keys are checked; unknown keys are kept as sent, because the client's profile
 * evolves faster than the server (that is the point of collecting snapshots).
 */
const profileSnapshot = withinDepth(
  z.looseObject({
    weightKg: z.number().min(20).max(500).optional(),
    heightCm: z.number().min(50).max(275).optional(),
    age: z.number().int().min(10).max(120).optional(),
    sex: z.enum(['male', 'female', 'other']).optional(),
    idealWeightGoal: z.number().min(20).max(500).optional(),
    goals: z.union([z.record(z.string(), z.unknown()), z.array(z.string().max(200)).max(50)]).optional(),
    modifiers: z.record(z.string(), z.unknown()).optional(),
    timeZone: timeZone.optional(),
  }),
)
  .refine((v) => Buffer.byteLength(JSON.stringify(v)) <= 32 * 1024, 'must be at most 32 KB of JSON')
  .meta({
    id: 'ProfileSnapshot',
    example: { weightKg: 70, heightCm: 188, age: 20, sex: 'male', idealWeightGoal: 85 },
  });

export const profileVersionInput = z
  .strictObject({
    user_id: userIdField,
    snapshot: profileSnapshot,
    effective_date: dateOnly,
    source: z.enum(['user', 'auto']).default('user'),
    notes: notes.optional(),
  })
  .meta({ id: 'ProfileVersionInput' });

export type ProfileVersionInput = z.infer<typeof profileVersionInput>;
