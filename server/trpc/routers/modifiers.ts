import { camelCased } from '@/server/contracts/camel-case';
import { modifiersQuery } from '@/server/contracts/modifiers';
import { overlayFor } from '@/server/modifiers/overlay';
import { authedProcedure, readableSubject, router } from '../init';

/** The lifter's own view of the overlay (the dashboard's "current modifiers"). */
export const modifiersRouter = router({
  current: authedProcedure
    .input(camelCased(modifiersQuery))
    .query(async ({ ctx, input }) => overlayFor(ctx.db, await readableSubject(ctx, input.userId), ctx.now)),
});
