import { sql } from 'drizzle-orm';
import { date, doublePrecision, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { userId } from './columns';

/**
 * Estimated strength (server/strength/): the filter's belief about one lifter's one-rep max on one exercise after
 * each day with working sets — materialized by the nightly analytics job from the first dirty week on, and
 * continued live on read from the last settled day, like the weekly aggregates. The belief itself is stored
 * (log level, weekly log trend, their covariance) so a later day continues from it exactly; the kilograms are
 * derived columns for readers.
 */
export const strengthEstimates = pgTable(
  'strength_estimates',
  {
    userId: userId(),
    exercise: text('exercise').notNull(),
    date: date('date').notNull(),
    level: doublePrecision('level').notNull(),
    trend: doublePrecision('trend').notNull(),
    levelVar: doublePrecision('level_var').notNull(),
    levelTrendCov: doublePrecision('level_trend_cov').notNull(),
    trendVar: doublePrecision('trend_var').notNull(),
    estimateKg: doublePrecision('estimate_kg').notNull(),
    lowKg: doublePrecision('low_kg').notNull(),
    highKg: doublePrecision('high_kg').notNull(),
    trendPctPerWeek: doublePrecision('trend_pct_per_week').notNull(),
    /** A rejected reading waiting for a second one to confirm a level shift (server/strength/estimate.ts). */
    suspectLevel: doublePrecision('suspect_level'),
    suspectVar: doublePrecision('suspect_var'),
    suspectDate: date('suspect_date'),
    /**
     * The rest of the belief: the lifter's loose-reading offset and rep curve, their variances and their
     * covariances with the level and trend (`habitsOf`, server/strength/estimate.ts); empty before they existed.
     */
    habits: doublePrecision('habits').array().notNull().default(sql`'{}'::double precision[]`),
  },
  (t) => [primaryKey({ columns: [t.userId, t.exercise, t.date] })],
);
