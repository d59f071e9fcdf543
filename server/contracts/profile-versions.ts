import { z } from 'zod';
import { createdId, dateOnly, notes, timeZone, userIdField, withinDepth } from './common';
import type { EndpointSpec } from './endpoint-spec';

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

const profileVersionInput = z
  .strictObject({
    user_id: userIdField,
    snapshot: profileSnapshot,
    effective_date: dateOnly,
    source: z.enum(['user', 'auto']).default('user'),
    notes: notes.optional(),
  })
  .meta({ id: 'ProfileVersionInput' });

export type ProfileVersionInput = z.infer<typeof profileVersionInput>;

/** The profile versions endpoints (`api.ts` gathers every domain's). */
export const profileVersionsEndpoints = {
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
} as const satisfies Record<string, EndpointSpec>;
