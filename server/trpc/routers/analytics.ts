import { z } from 'zod';
import { rangeParam } from '@/server/analytics/range';
import {
  exerciseHistoryOf,
  loadAnalytics,
  plateausOf,
  prsOf,
  weeklySummaryOf,
} from '@/server/analytics/service';
import { userIdField } from '@/server/contracts/common';
import { authedProcedure, readableSubject, router } from '../init';

const scope = z.object({ userId: userIdField.optional(), range: rangeParam.default('30d') });

/** The dashboard's analytics: the same services as GET /api/analytics, one concern per procedure. */
export const analyticsRouter = router({
  prs: authedProcedure.input(scope).query(async ({ ctx, input }) => {
    const data = await loadAnalytics(ctx.db, await readableSubject(ctx, input.userId), input.range, ctx.now);
    return prsOf(data);
  }),
  plateaus: authedProcedure.input(scope).query(async ({ ctx, input }) => {
    const data = await loadAnalytics(ctx.db, await readableSubject(ctx, input.userId), input.range, ctx.now);
    return plateausOf(data);
  }),
  weeklySummary: authedProcedure.input(scope).query(async ({ ctx, input }) => {
    const data = await loadAnalytics(ctx.db, await readableSubject(ctx, input.userId), input.range, ctx.now);
    return { range: { start: data.range.start, end: data.range.end }, weeks: weeklySummaryOf(data) };
  }),
  exerciseHistory: authedProcedure
    .input(scope.extend({ exercise: z.string().min(1).max(120) }))
    .query(async ({ ctx, input }) => {
      const data = await loadAnalytics(ctx.db, await readableSubject(ctx, input.userId), input.range, ctx.now);
      return exerciseHistoryOf(data, input.exercise);
    }),
});
