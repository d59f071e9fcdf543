import { importPathParams } from '@/server/contracts/imports';
import { listImports, undoImport } from '@/server/imports/imports';
import { authedProcedure, router } from '../init';

/** The signed-in lifter's imports (the upload itself is `POST /api/v1/imports`, which streams the file). */
export const importsRouter = router({
  list: authedProcedure.query(({ ctx }) => listImports(ctx.db, ctx.principal.userId)),
  undo: authedProcedure
    .input(importPathParams)
    .mutation(({ ctx, input }) => undoImport(ctx.db, ctx.principal.userId, input.id)),
});
