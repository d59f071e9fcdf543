import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, updatedAt, userId } from './columns';
import { encryptedText } from './encrypted-text';
import { setType } from './enums';

/** One workout. Keeps both the calendar `date` (in the lifter's zone) and the exact instant the client sent. */
export const sessions = pgTable(
  'sessions',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    date: date('date').notNull(),
    performedAt: timestamp('performed_at', { withTimezone: true }),
    dayType: text('day_type'),
    calories: integer('calories'),
    finished: boolean('finished').notNull().default(false),
    recMeta: jsonb('rec_meta').$type<Record<string, unknown>>(),
    /** Counts edits: the session's ETag, so an edit made from a stale copy is refused (412). */
    version: integer('version').notNull().default(1),
    /** The import that created it (server/imports); null for sessions the app sent. */
    importId: uuid('import_id'),
    /** An imported workout's identity (its app and start as the file wrote it): a later import finds it again. */
    importKey: text('import_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    index('sessions_user_date_idx').on(t.userId, t.date),
    unique('sessions_import_key_uq').on(t.userId, t.importKey),
    index('sessions_import_idx').on(t.userId, t.importId),
  ],
);

/** One set of one exercise in a session: what was recommended against what was lifted. */
export const sets = pgTable(
  'sets',
  {
    // No foreign key of its own to users: (user_id, session_id) references sessions, whose user_id references
    // users — the same guarantee and the same cascade, checked once per session instead of once per set.
    userId: text('user_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    sessionId: uuid('session_id').notNull(),
    /** The lifter's name for the exercise (server/exercises): what analytics group by; follows renames and merges. */
    exercise: text('exercise').notNull(),
    /** The name exactly as the app sent it: what the wire answers. */
    sentExercise: text('sent_exercise').notNull(),
    setNumber: integer('set_number').notNull(),
    recWeight: doublePrecision('rec_weight'),
    recReps: integer('rec_reps'),
    actualWeight: doublePrecision('actual_weight'),
    actualReps: integer('actual_reps'),
    intensity: doublePrecision('intensity'),
    done: boolean('done').notNull().default(true),
    /** Warm-up, drop or failure sets as an imported history marks them; warm-ups leave PRs and success rates. */
    setType: setType('set_type').notNull().default('normal'),
    /** A note the source app kept with the set (imports): free text, encrypted at rest. */
    notes: encryptedText('notes'),
    /** The import that created it; null for sets the app sent. */
    importId: uuid('import_id'),
    /** An imported set's content key (app, workout start, exercise, position, values): re-imports skip it. */
    importKey: text('import_key'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    unique('sets_session_set_number_uq').on(t.userId, t.sessionId, t.setNumber),
    // Only imported sets carry these: the app's sets (most of them) need no entry.
    uniqueIndex('sets_import_key_uq').on(t.userId, t.importKey).where(sql`${t.importKey} is not null`),
    index('sets_import_idx').on(t.userId, t.importId).where(sql`${t.importId} is not null`),
    foreignKey({ columns: [t.userId, t.sessionId], foreignColumns: [sessions.userId, sessions.id] }).onDelete(
      'cascade',
    ),
    // Per-exercise reads (PRs, history, modifier success rates).
    index('sets_user_exercise_idx').on(t.userId, t.exercise),
  ],
);

/**
 * How a lifter's exercise names resolve (server/exercises): a name's key (case- and whitespace-insensitive) →
 * the lifter's exercise. Holds the names the catalog does not know, as first sent, and every rename or merge.
 */
export const exerciseAliases = pgTable(
  'exercise_aliases',
  {
    userId: userId(),
    key: text('key').notNull(),
    exercise: text('exercise').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index('exercise_aliases_exercise_idx').on(t.userId, t.exercise)],
);
