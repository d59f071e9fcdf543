import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { apiTokens, webSessions } from '@/db/schema';
import {
  createWebSession,
  deleteExpiredWebSessions,
  endWebSession,
  principalForSession,
  SESSION_COOKIE,
  signInAsDemo,
  signInWithApiToken,
} from '@/server/auth/web-sessions';
import { createTrpcContext } from '@/server/trpc/context';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

describeEachDatabase('dashboard sessions', (ctx) => {
  let token: string;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'user-123');
    await createUser(ctx.db, 'coach-1', { role: 'coach' });
  });

  it('exchanges a live API token for a session; stores only a hash', async () => {
    const s = await signInWithApiToken(ctx.db, `  ${token}  `);
    expect(s?.principal).toEqual({ userId: 'user-123', role: 'lifter' });
    expect(await principalForSession(ctx.db, s!.token)).toMatchObject({ userId: 'user-123' });
    expect(JSON.stringify(await ctx.db.select().from(webSessions))).not.toContain(s!.token);
  });

  it('refuses unknown and revoked tokens', async () => {
    expect(await signInWithApiToken(ctx.db, 'ovl_nope')).toBeNull();
    const revoked = await createUser(ctx.db, 'user-revoked');
    await ctx.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.userId, 'user-revoked'));
    expect(await signInWithApiToken(ctx.db, revoked)).toBeNull();
  });

  it('expires, and ends on sign-out', async () => {
    const old = await createWebSession(ctx.db, 'user-123', new Date('2020-01-01T00:00:00Z'));
    expect(await principalForSession(ctx.db, old.token)).toBeNull();
    expect(await deleteExpiredWebSessions(ctx.db)).toBeGreaterThanOrEqual(1);
    const s = await createWebSession(ctx.db, 'user-123');
    await endWebSession(ctx.db, s.token);
    expect(await principalForSession(ctx.db, s.token)).toBeNull();
    expect(await principalForSession(ctx.db, undefined)).toBeNull();
    expect(await principalForSession(ctx.db, 'garbage')).toBeNull();
  });

  it('offers demo sign-in only when the demo users exist', async () => {
    expect(await signInAsDemo(ctx.db, 'coach')).toMatchObject({ principal: { userId: 'coach-1', role: 'coach' } });
    expect(await signInAsDemo(ctx.db, 'lifter')).toMatchObject({ principal: { userId: 'user-123' } });
  });

  it('tRPC reads the session cookie, or a bearer token', async () => {
    const s = await createWebSession(ctx.db, 'coach-1');
    const fromCookie = await createTrpcContext({ headers: new Headers({ cookie: `a=b; ${SESSION_COOKIE}=${s.token}` }) });
    expect(fromCookie.principal).toMatchObject({ userId: 'coach-1', role: 'coach' });
    const fromBearer = await createTrpcContext({ headers: new Headers({ authorization: `Bearer ${token}` }) });
    expect(fromBearer.principal?.userId).toBe('user-123');
    expect((await createTrpcContext({ headers: new Headers() })).principal).toBeNull();
  });
});
