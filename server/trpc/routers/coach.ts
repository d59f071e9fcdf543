import { z } from 'zod';
import { shortText, userIdField } from '@/server/contracts/common';
import { overrideInput } from '@/server/contracts/modifiers';
import { listAthletes, modifierHistory, overrideModifier, setExercisePolicy } from '@/server/modifiers/coach';
import { coachProcedure, router } from '../init';

/** Coach review: thin over server/modifiers/coach.ts, which checks that the athlete is the caller's. */
export const coachRouter = router({
  athletes: coachProcedure.query(({ ctx }) => listAthletes(ctx.db, ctx.principal.userId, ctx.now)),
  modifierHistory: coachProcedure
    .input(z.object({ athleteId: userIdField, exercise: shortText(120).optional() }))
    .query(({ ctx, input }) => modifierHistory(ctx.db, ctx.principal.userId, input.athleteId, input.exercise)),
  override: coachProcedure
    .input(overrideInput)
    .mutation(({ ctx, input }) => overrideModifier(ctx.db, ctx.principal.userId, input)),
  setPolicy: coachProcedure
    .input(z.object({ athleteId: userIdField, exercise: shortText(120), policy: z.enum(['load', 'reps']) }))
    .mutation(({ ctx, input }) =>
      setExercisePolicy(ctx.db, ctx.principal.userId, input.athleteId, input.exercise, input.policy),
    ),
});
