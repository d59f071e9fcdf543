import { z } from 'zod';
import { issueTokenInSession, listApiTokens, revokeApiTokenById } from '@/server/auth/tokens';
import { notFound } from '@/server/errors';
import { router, sessionProcedure } from '../init';

const MAX_TOKEN_DAYS = 365;

/**
 * The signed-in person's own API tokens: create (shown once), list, revoke — from a dashboard session only, so a
 * token can never mint another. A token made in a session signed in with a token expires no later than that one
 * and is revoked with it.
 */
export const tokensRouter = router({
  list: sessionProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.principal.userId)),
  create: sessionProcedure
    .input(
      z.strictObject({
        name: z.string().trim().min(1, 'Give the token a name').max(80),
        /** Days until it expires; null: until revoked. */
        expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).nullable(),
      }),
    )
    .mutation(({ ctx, input }) =>
      issueTokenInSession(ctx.db, ctx.principal.userId, { ...input, now: ctx.now, parent: ctx.signedInWith }),
    ),
  revoke: sessionProcedure.input(z.strictObject({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    if (!(await revokeApiTokenById(ctx.db, ctx.principal.userId, input.id))) throw notFound('Live token', 'id');
    return { revoked: true };
  }),
});
