import { z } from 'zod';
import { userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

/** The longest range of each unit (20 years). */
const RANGE_LIMITS = { d: 7300, w: 1040, m: 240, y: 20 } as const;
export type RangeUnit = keyof typeof RANGE_LIMITS;

/** An analytics range: `all`, or N days/weeks/months/years back from today (server/analytics/range.ts). */
export const rangeParam = z
  .string()
  .regex(/^(all|[1-9]\d{0,3}[dwmy])$/, 'must be all or a number followed by d, w, m or y (e.g. 30d, 12w, 6m, 1y)')
  .refine(
    (r) => r === 'all' || Number(r.slice(0, -1)) <= RANGE_LIMITS[r.at(-1) as RangeUnit],
    'must be at most 20 years',
  )
  .meta({ example: '30d' });

export const analyticsQuery = z
  .strictObject({
    user_id: userIdField.optional().meta({ description: 'Defaults to the token’s user; a coach may name an athlete.' }),
    range: rangeParam.default('30d'),
  })
  .meta({ id: 'AnalyticsQuery' });

const nullableNumber = z.number().nullable();

const plateauSchema = z
  .object({
    exercise: z.string(),
    since: z.iso.date().meta({ description: 'Monday of the first week without a 1% e1RM improvement' }),
    weeks: z.number().int(),
    best_e1rm: z.number(),
    last_e1rm: z.number(),
  })
  .meta({ id: 'Plateau' });

const weeklySummaryRowSchema = z
  .object({
    weekStart: z.iso.date(),
    kg_delta: nullableNumber,
    avg_calories: nullableNumber,
    sessions: z.number().int(),
    sets: z.number().int(),
    volume_kg: z.number(),
  })
  .meta({ id: 'WeeklySummaryRow' });

const e1rmPrSchema = z
  .object({ e1rm: z.number(), weight: z.number(), reps: z.number().int(), date: z.iso.date() })
  .meta({ id: 'E1rmPr' });

const repPrsSchema = z
  .object({ '1': nullableNumber, '3': nullableNumber, '5': nullableNumber, '8': nullableNumber, '10': nullableNumber })
  .meta({ id: 'RepPrs', description: 'Heaviest weight lifted for at least that many reps.' });

/** The seed's response (`prs`, `plateaus`, `weekly_summary`) plus the extra fields, all under one schema. */
const strengthSchema = z
  .object({
    estimate_kg: z.number(),
    low_kg: z.number(),
    high_kg: z.number(),
    trend_pct_per_week: z.number(),
    as_of: z.iso.date(),
  })
  .meta({
    id: 'EstimatedStrength',
    example: { estimate_kg: 102.4, low_kg: 98.1, high_kg: 106.9, trend_pct_per_week: 0.6, as_of: '2026-11-30' },
  });

export const analyticsResponse = z
  .object({
    user_id: z.string(),
    range: z.object({ value: z.string(), start: z.iso.date().nullable(), end: z.iso.date() }),
    prs: z.record(z.string(), z.number()).meta({ example: { 'Incline Dumbbell Press': 40 } }),
    pr_dates: z.record(z.string(), z.iso.date()),
    e1rm_prs: z.record(z.string(), e1rmPrSchema),
    rep_prs: z.record(z.string(), repPrsSchema),
    plateaus: z.array(plateauSchema),
    weekly_summary: z.array(weeklySummaryRowSchema),
    strength: z.record(z.string(), strengthSchema).meta({
      description:
        'Estimated strength per exercise: the one-rep max the working sets imply, with its 90 % interval and weekly trend, as of the last day with sets (docs/strength.md).',
    }),
  })
  .meta({ id: 'Analytics' });

export type AnalyticsResponse = z.infer<typeof analyticsResponse>;

/** The analytics endpoints (`api.ts` gathers every domain's). */
export const analyticsEndpoints = {
  getAnalytics: {
    operationId: 'getAnalytics',
    method: 'GET',
    path: '/analytics',
    tags: ['Analyse'],
    summary: 'PRs, plateaus and weekly summaries over a range',
    description:
      'Ranges: all, or N followed by d/w/m/y (7d, 30d, 12w, 6m, 1y), covering whole ISO weeks up to today in the lifter’s time zone. A coach may read its athletes. Answers are identical whether or not the nightly job has run.',
    access: 'read',
    subject: { in: 'query', name: 'user_id' },
    query: analyticsQuery,
    example: { user_id: 'user-123', range: '30d' },
    response: { status: 200, description: 'The analytics.', schema: analyticsResponse },
  },
} as const satisfies Record<string, EndpointSpec>;
