import { z } from 'zod';
import { issueApiToken, listApiTokens, revokeApiTokenById } from '@/server/auth/tokens';
import { notFound } from '@/server/http/errors';
import { authedProcedure, router } from '../init';

export const MAX_TOKEN_DAYS = 365;

/** The signed-in person's own API tokens: create (shown once), list, revoke. */
export const tokensRouter = router({
  list: authedProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.principal.userId)),
  create: authedProcedure
    .input(
      z.strictObject({
        name: z.string().trim().min(1, 'Give the token a name').max(80),
        /** Days until it expires; null: until revoked. */
        expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).nullable(),
      }),
    )
    .mutation(({ ctx, input }) =>
      issueApiToken(ctx.db, ctx.principal.userId, {
        name: input.name,
        expiresAt: input.expiresInDays === null ? null : new Date(ctx.now.getTime() + input.expiresInDays * 86_400_000),
      }),
    ),
  revoke: authedProcedure.input(z.strictObject({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    if (!(await revokeApiTokenById(ctx.db, ctx.principal.userId, input.id))) throw notFound('Live token', 'id');
    return { revoked: true };
  }),
});
