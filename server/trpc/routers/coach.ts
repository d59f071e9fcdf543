import { exercisePolicyInput, modifierHistoryQuery, overrideInput } from '@/server/contracts/modifiers';
import { listAthletes, modifierHistory, overrideModifier, setExercisePolicy } from '@/server/modifiers/coach';
import { coachProcedure, router } from '../init';

/** Coach review: thin over server/modifiers/coach.ts, which checks that the athlete is the caller's. */
export const coachRouter = router({
  athletes: coachProcedure.query(({ ctx }) => listAthletes(ctx.db, ctx.principal.userId, ctx.now)),
  modifierHistory: coachProcedure
    .input(modifierHistoryQuery)
    .query(({ ctx, input }) => modifierHistory(ctx.db, ctx.principal.userId, input.athleteId, input.exercise)),
  override: coachProcedure
    .input(overrideInput)
    .mutation(({ ctx, input }) => overrideModifier(ctx.db, ctx.principal.userId, input)),
  setPolicy: coachProcedure
    .input(exercisePolicyInput)
    .mutation(({ ctx, input }) =>
      setExercisePolicy(ctx.db, ctx.principal.userId, input.athleteId, input.exercise, input.policy),
    ),
});
