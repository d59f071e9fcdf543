import { z } from 'zod';
import {
  exerciseHistoryOf,
  loadAnalytics,
  plateausOf,
  prsOf,
  strengthHistoryOf,
  strengthOf,
  weeklySummaryOf,
} from '@/server/analytics/service';
import { setMuscleTarget, volumeOf } from '@/server/analytics/volume';
import type { Principal } from '@/server/auth/principal';
import { analyticsQuery } from '@/server/contracts/analytics';
import { camelCased } from '@/server/contracts/camel-case';
import { exerciseMusclesInput, muscleTargetInput, muscleTargetParams, volumeQuery } from '@/server/contracts/volume';
import { mapExercise } from '@/server/exercises/exercise-muscles';
import { authedProcedure, memoized, readableSubject, router, type TrpcContext } from '../init';

const scope = camelCased(analyticsQuery);
const byExercise = scope.extend({ exercise: z.string().min(1).max(120) });

async function analytics(ctx: TrpcContext & { principal: Principal }, input: z.infer<typeof scope>) {
  const subject = await readableSubject(ctx, input.userId);
  return memoized(ctx, `analytics:${subject}:${input.range}`, () =>
    loadAnalytics(ctx.db, subject, input.range, ctx.now),
  );
}

/** The dashboard's analytics: the same services as GET /api/analytics, one concern per procedure. */
export const analyticsRouter = router({
  prs: authedProcedure.input(scope).query(async ({ ctx, input }) => prsOf(await analytics(ctx, input))),
  plateaus: authedProcedure.input(scope).query(async ({ ctx, input }) => plateausOf(await analytics(ctx, input))),
  weeklySummary: authedProcedure
    .input(scope)
    .query(async ({ ctx, input }) => weeklySummaryOf(await analytics(ctx, input))),
  strength: authedProcedure.input(scope).query(async ({ ctx, input }) => strengthOf(await analytics(ctx, input))),
  exerciseHistory: authedProcedure
    .input(byExercise)
    .query(async ({ ctx, input }) => exerciseHistoryOf(await analytics(ctx, input), input.exercise)),
  strengthHistory: authedProcedure
    .input(byExercise)
    .query(async ({ ctx, input }) => strengthHistoryOf(await analytics(ctx, input), input.exercise)),
  /** Weekly hard sets per muscle group against the targets (GET /api/v1/analytics/volume). */
  volume: authedProcedure.input(camelCased(volumeQuery)).query(async ({ ctx, input }) => {
    const subject = await readableSubject(ctx, input.userId);
    return volumeOf(ctx.db, subject, input.range, ctx.now);
  }),
  mapExercise: authedProcedure
    .input(z.object({ name: z.string().trim().min(1).max(120), muscles: exerciseMusclesInput }))
    .mutation(({ ctx, input }) => mapExercise(ctx.db, ctx.principal.userId, input.name, input.muscles)),
  setMuscleTarget: authedProcedure
    .input(z.object({ muscle: muscleTargetParams.shape.muscle, target: muscleTargetInput }))
    .mutation(({ ctx, input }) =>
      setMuscleTarget(ctx.db, ctx.principal.userId, input.muscle, input.target.min, input.target.max),
    ),
});
