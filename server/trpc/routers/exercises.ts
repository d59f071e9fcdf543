import { z } from 'zod';
import { exerciseRename } from '@/server/contracts/exercises';
import { listExercises, renameExercise } from '@/server/exercises/exercises';
import { authedProcedure, router } from '../init';

/** The signed-in lifter's exercises: list, rename or merge (the same services as REST `/exercises`). */
export const exercisesRouter = router({
  list: authedProcedure.input(z.object({}).optional()).query(({ ctx }) => listExercises(ctx.db, ctx.principal.userId)),
  rename: authedProcedure
    .input(exerciseRename)
    .mutation(({ ctx, input }) => renameExercise(ctx.db, ctx.principal.userId, input.from, input.to)),
});
