import { sql } from 'drizzle-orm';
import {
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, userId } from './columns';
import { encryptedText } from './encrypted-text';
import { profileSource } from './enums';

/** The current state of a lifter: brought up to date by the latest profile version (by effective date). */
export const profiles = pgTable(
  'profiles',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    sex: text('sex'),
    age: integer('age'),
    currentWeightKg: doublePrecision('current_weight_kg'),
    heightCm: doublePrecision('height_cm'),
    /** IANA zone (e.g. 'Europe/Berlin'); analytics weeks are computed in it. Null means UTC. */
    timeZone: text('time_zone'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), unique('profiles_user_uq').on(t.userId)],
);

/** Append-only snapshots of a profile (goals, modifiers, bodyweight), as the client sent them. */
export const profileVersions = pgTable(
  'profile_versions',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    profileId: uuid('profile_id').notNull(),
    snapshotJson: jsonb('snapshot_json').notNull().$type<Record<string, unknown>>(),
    effectiveDate: date('effective_date').notNull(),
    source: profileSource('source').notNull().default('user'),
    notes: encryptedText('notes'),
    /** Bodyweight, derived by the database from the snapshot so weekly analytics never parse JSON. */
    weightKg: doublePrecision('weight_kg').generatedAlwaysAs(sql`((snapshot_json ->> 'weightKg')::double precision)`),
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
