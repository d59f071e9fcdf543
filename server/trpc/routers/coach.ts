import { z } from 'zod';
import { athleteVoice } from '@/server/coaching/athlete-voice';
import { addSessionNote } from '@/server/coaching/session-notes';
import { exercisePolicyInput, modifierHistoryQuery, overrideInput } from '@/server/contracts/modifiers';
import { sessionNoteInput, sessionNotePathParams } from '@/server/contracts/session-notes';
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
  athleteVoice: coachProcedure
    .input(modifierHistoryQuery.pick({ athleteId: true }))
    .query(({ ctx, input }) => athleteVoice(ctx.db, ctx.principal.userId, input.athleteId)),
  addSessionNote: coachProcedure
    .input(
      z.strictObject({
        athleteId: sessionNoteInput.shape.user_id,
        sessionId: sessionNotePathParams.shape.id,
        note: sessionNoteInput.shape.note,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const n = await addSessionNote(ctx.db, ctx.principal.userId, input.athleteId, input.sessionId, input.note);
      return { ...n, createdAt: n.createdAt.toISOString() };
    }),
  setPolicy: coachProcedure
    .input(exercisePolicyInput)
    .mutation(({ ctx, input }) =>
      setExercisePolicy(ctx.db, ctx.principal.userId, input.athleteId, input.exercise, input.policy),
    ),
});
