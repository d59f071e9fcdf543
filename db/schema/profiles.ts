import { date, doublePrecision, foreignKey, index, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, userId } from './columns';
import { encryptedJson, encryptedText } from './encrypted-text';
import { profileSource } from './enums';

/**
 * The current state of a lifter: brought up to date by the latest profile version (by effective date). Health data
 * (sex, age, weight, height) is encrypted; the time zone, which SQL reads to place weeks, is not.
 */
export const profiles = pgTable(
  'profiles',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    sex: encryptedText('sex'),
    age: encryptedJson<number>('age'),
    currentWeightKg: encryptedJson<number>('current_weight_kg'),
    heightCm: encryptedJson<number>('height_cm'),
    /** IANA zone (e.g. 'Europe/Berlin'); analytics weeks are computed in it. Null means UTC. */
    timeZone: text('time_zone'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), unique('profiles_user_uq').on(t.userId)],
);

/**
 * Append-only snapshots of a profile (goals, modifiers, bodyweight), as the client sent them: encrypted whole, with
 * the bodyweight beside it in clear because weekly analytics read it in SQL.
 */
export const profileVersions = pgTable(
  'profile_versions',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    profileId: uuid('profile_id').notNull(),
    snapshotJson: encryptedJson<Record<string, unknown>>('snapshot_json').notNull(),
    effectiveDate: date('effective_date').notNull(),
    source: profileSource('source').notNull().default('user'),
    notes: encryptedText('notes'),
    /** The snapshot's `weightKg`, written beside it (`server/profile/snapshot.ts`). */
    weightKg: doublePrecision('weight_kg'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    foreignKey({ columns: [t.userId, t.profileId], foreignColumns: [profiles.userId, profiles.id] }).onDelete(
      'cascade',
    ),
    // Bodyweight by week and "latest version" both read by (user, effective_date).
    index('profile_versions_user_date_idx').on(t.userId, t.effectiveDate),
  ],
);
