import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt, userId } from './columns';
import { encryptedText } from './encrypted-text';
import { importFormat } from './enums';

/**
 * One import of another app's export (server/imports): what was read and what it created, for the lifter's
 * history and its undo. The sessions and sets it created carry its id; undoing removes exactly those and keeps
 * this row, marked undone.
 */
export const imports = pgTable(
  'imports',
  {
    userId: userId(),
    id: uuid('id').notNull().defaultRandom(),
    format: importFormat('format').notNull(),
    layout: text('layout').notNull(),
    /** The uploaded file's name, when one was given: the lifter's own words, encrypted. */
    fileName: encryptedText('file_name'),
    sessions: integer('sessions').notNull().default(0),
    setsNew: integer('sets_new').notNull().default(0),
    setsDuplicate: integer('sets_duplicate').notNull().default(0),
    setsSkipped: integer('sets_skipped').notNull().default(0),
    /** The report's warnings (skipped and invalid rows, with their lines), the first ones. */
    warnings: jsonb('warnings').$type<{ line: number; message: string }[]>().notNull().default([]),
    createdAt: createdAt(),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), index('imports_user_created_idx').on(t.userId, t.createdAt)],
);

/**
 * Imported workouts the lifter deleted (`DELETE /sessions/{id}`), by their import key: importing an export that
 * still holds them does not bring them back.
 */
export const deletedImportWorkouts = pgTable(
  'deleted_import_workouts',
  {
    userId: userId(),
    importKey: text('import_key').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.importKey] })],
);

/**
 * An import in progress, one per lifter: a second one meanwhile is refused (409). Released when the import ends;
 * a claim older than the import time budget is stale (its process died) and may be taken over.
 */
export const importLocks = pgTable('import_locks', {
  userId: userId().primaryKey(),
  holder: uuid('holder').notNull(),
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
});
