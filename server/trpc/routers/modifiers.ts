import { z } from 'zod';
import { userIdField } from '@/server/contracts/common';
import { overlayFor } from '@/server/modifiers/overlay';
import { authedProcedure, readableSubject, router } from '../init';

/** The lifter's own view of the overlay (the dashboard's "current modifiers"). */
export const modifiersRouter = router({
  current: authedProcedure
    .input(z.object({ userId: userIdField.optional() }))
    .query(async ({ ctx, input }) => overlayFor(ctx.db, await readableSubject(ctx, input.userId), ctx.now)),
});
