import { date, doublePrecision, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * Trained models, one immutable row per version (a trigger refuses UPDATE): what was fitted, by which library,
 * on which features and weeks, with its parameters and its offline metrics. `model@<version>` policies serve from
 * here; a row whose `schema_hash` differs from the feature pipeline's is refused.
 */
export const models = pgTable('models', {
  version: integer('version').primaryKey().generatedAlwaysAsIdentity(),
  library: text('library').notNull(),
  features: jsonb('features').notNull().$type<string[]>(),
  schemaHash: text('schema_hash').notNull(),
  /** Everything serving needs (`server/learning/model.ts`, ModelParameters). */
  parameters: jsonb('parameters').notNull().$type<Record<string, unknown>>(),
  /** The success probability the model's policy requires of a load. */
  target: doublePrecision('target').notNull(),
  seed: integer('seed').notNull(),
  trainedFrom: date('trained_from').notNull(),
  trainedTo: date('trained_to').notNull(),
  validationFrom: date('validation_from').notNull(),
  trainRows: integer('train_rows').notNull(),
  validationRows: integer('validation_rows').notNull(),
  /** Log loss, Brier, AUC, ECE and the calibration table, for the model and its baselines, on the validation weeks. */
  metrics: jsonb('metrics').notNull().$type<Record<string, unknown>>(),
  createdAt: createdAt(),
});
