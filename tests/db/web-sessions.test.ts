import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { apiTokens, demoAccounts, users, webSessions } from '@/db/schema';
import { authenticate, authorization, SESSION_COOKIE } from '@/server/auth/credentials';
import { principalForSession } from '@/server/auth/principal';
import { hashToken } from '@/server/auth/token-hash';
import { revokeApiTokens } from '@/server/auth/tokens';
import {
  createWebSession,
  deleteExpiredWebSessions,
  demoAccountsAvailable,
  endWebSession,
  SESSION_DAYS,
  signIn,
} from '@/server/auth/web-sessions';
import { resetEnv } from '@/server/env';
import { setRateLimits } from '@/server/http/rate-limit';
import { throttledSignIn } from '@/server/http/sign-in';
import { createTrpcContext } from '@/server/trpc/context';
import { msAgo, testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

const cookie = (token: string) => new Headers({ cookie: `a=b; ${SESSION_COOKIE}=${token}` });

describeEachDatabase('dashboard sessions', (ctx) => {
  let token: string;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'user-123');
    await createUser(ctx.db, 'coach-1', { role: 'coach' });
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnv();
    setRateLimits(undefined);
  });

  it('exchanges a live API token for a session tied to that token; stores only a hash', async () => {
    const s = await signIn(ctx.db, { method: 'token', token: `  ${token}  ` }, testNow());
    expect(s?.principal).toEqual({ userId: 'user-123', role: 'lifter' });
    expect(await principalForSession(ctx.db, s!.token, testNow())).toMatchObject({ userId: 'user-123' });
    const [row] = await ctx.db.select().from(webSessions).where(eq(webSessions.userId, 'user-123'));
    const [tokenRow] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, 'user-123'));
    expect(row?.apiTokenId).toBe(tokenRow?.id);
    expect(JSON.stringify(await ctx.db.select().from(webSessions))).not.toContain(s!.token);
  });

  it('refuses unknown and revoked tokens', async () => {
    expect(await signIn(ctx.db, { method: 'token', token: 'ovl_nope' }, testNow())).toBeNull();
    const revoked = await createUser(ctx.db, 'user-revoked');
    await ctx.db.update(apiTokens).set({ revokedAt: testNow() }).where(eq(apiTokens.userId, 'user-revoked'));
    expect(await signIn(ctx.db, { method: 'token', token: revoked }, testNow())).toBeNull();
  });

  it.each([
    ['the turn of a year with an ISO week 53', '2026-12-31T23:30:00Z'],
    ['the night Europe moves its clocks forward', '2027-03-28T01:30:00Z'],
    ['the night New York moves its clocks back', '2027-11-07T06:30:00Z'],
  ])('expires %s exactly %s days after it started, and is deleted then', async (_, started) => {
    const t0 = new Date(started);
    const end = new Date(t0.getTime() + SESSION_DAYS * 86_400_000);
    const s = await createWebSession(ctx.db, 'user-123', t0);
    expect(s.expiresAt).toEqual(end);
    expect(await principalForSession(ctx.db, s.token, new Date(end.getTime() - 1))).toMatchObject({
      userId: 'user-123',
    });
    expect(await principalForSession(ctx.db, s.token, end)).toBeNull();
    const stored = async () =>
      (
        await ctx.db
          .select()
          .from(webSessions)
          .where(eq(webSessions.tokenHash, hashToken(s.token)))
      ).length;
    await deleteExpiredWebSessions(ctx.db, end); // refused from `end`, deleted once past it
    expect(await stored()).toBe(1);
    expect(await deleteExpiredWebSessions(ctx.db, new Date(end.getTime() + 1))).toBeGreaterThanOrEqual(1);
    expect(await stored()).toBe(0);
  });

  it('ends on sign-out', async () => {
    const s = await createWebSession(ctx.db, 'user-123', testNow());
    await endWebSession(ctx.db, s.token);
    expect(await principalForSession(ctx.db, s.token, testNow())).toBeNull();
    expect(await principalForSession(ctx.db, 'garbage', testNow())).toBeNull();
  });

  it('ends every session made from a token when the token is revoked, remembered lookups included', async () => {
    const lifter = await createUser(ctx.db, 'revoker');
    const s = await signIn(ctx.db, { method: 'token', token: lifter }, testNow());
    // The token's lookup is remembered by this process now (AUTH_CACHE_SECONDS), as a busy client's is.
    expect((await authenticate(ctx.db, cookie(s!.token), ['session']))?.principal.userId).toBe('revoker');
    const bearer = new Headers({ authorization: authorization(lifter) });
    expect((await authenticate(ctx.db, bearer, ['bearer']))?.principal.userId).toBe('revoker');
    expect(await revokeApiTokens(ctx.db, { token: lifter })).toBe(1);
    expect(await authenticate(ctx.db, cookie(s!.token), ['session'])).toBeNull();
    expect(await authenticate(ctx.db, bearer, ['bearer'])).toBeNull();
    expect(await revokeApiTokens(ctx.db, { token: lifter })).toBe(0); // already revoked
  });

  it('refuses a session whose token was revoked by another process, once it is looked up', async () => {
    const lifter = await createUser(ctx.db, 'elsewhere');
    const s = await signIn(ctx.db, { method: 'token', token: lifter }, testNow());
    await ctx.db.update(apiTokens).set({ revokedAt: testNow() }).where(eq(apiTokens.userId, 'elsewhere'));
    expect(await principalForSession(ctx.db, s!.token, testNow())).toBeNull();
    expect(await authenticate(ctx.db, cookie(s!.token), ['session'])).toBeNull();
  });

  it('refuses an expired token for sign-in, and ends the sessions made from it when it expires', async () => {
    const lifter = await createUser(ctx.db, 'expiring');
    const s = await signIn(ctx.db, { method: 'token', token: lifter }, testNow());
    expect(await principalForSession(ctx.db, s!.token, testNow())).toMatchObject({ userId: 'expiring' });
    await ctx.db
      .update(apiTokens)
      .set({ expiresAt: msAgo(1000) })
      .where(eq(apiTokens.userId, 'expiring'));
    expect(await principalForSession(ctx.db, s!.token, testNow())).toBeNull();
    expect(await signIn(ctx.db, { method: 'token', token: lifter }, testNow())).toBeNull();
  });

  it('ends a signed-out session at once', async () => {
    const s = await createWebSession(ctx.db, 'user-123', testNow());
    expect(await authenticate(ctx.db, cookie(s.token), ['session'])).not.toBeNull();
    await endWebSession(ctx.db, s.token);
    expect(await authenticate(ctx.db, cookie(s.token), ['session'])).toBeNull();
  });

  it('offers demo sign-in only for accounts the demo seeder marked, never for a real user with a demo id', async () => {
    // user-123 and coach-1 exist here, but nobody seeded them: no demo.
    expect(await demoAccountsAvailable(ctx.db)).toEqual({});
    expect(await signIn(ctx.db, { method: 'demo', persona: 'lifter' }, testNow())).toBeNull();
    await ctx.db.insert(demoAccounts).values([
      { userId: 'user-123', persona: 'lifter' },
      { userId: 'coach-1', persona: 'coach' },
    ]);
    expect(await signIn(ctx.db, { method: 'demo', persona: 'coach' }, testNow())).toMatchObject({
      principal: { userId: 'coach-1', role: 'coach' },
    });
    expect(await signIn(ctx.db, { method: 'demo', persona: 'lifter' }, testNow())).toMatchObject({
      principal: { userId: 'user-123' },
    });
  });

  it('never offers demo sign-in in production unless DEMO_SIGNIN=on, nor anywhere with DEMO_SIGNIN=off', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('APP_ORIGIN', 'https://overload.example');
    resetEnv();
    expect(await demoAccountsAvailable(ctx.db)).toEqual({});
    expect(await signIn(ctx.db, { method: 'demo', persona: 'lifter' }, testNow())).toBeNull();
    vi.stubEnv('DEMO_SIGNIN', 'on');
    resetEnv();
    expect(await demoAccountsAvailable(ctx.db)).toEqual({ lifter: 'user-123', coach: 'coach-1' });
    vi.stubEnv('NODE_ENV', 'test');
    vi.stubEnv('DEMO_SIGNIN', 'off');
    resetEnv();
    expect(await signIn(ctx.db, { method: 'demo', persona: 'coach' }, testNow())).toBeNull();
  });

  it('drops the demo marker with the account', async () => {
    await ctx.db.insert(users).values({ id: 'demo-gone', role: 'lifter' });
    await ctx.db.insert(demoAccounts).values({ userId: 'demo-gone', persona: 'lifter' });
    await ctx.db.delete(users).where(eq(users.id, 'demo-gone'));
    expect(await ctx.db.select().from(demoAccounts).where(eq(demoAccounts.userId, 'demo-gone'))).toEqual([]);
  });

  it('throttles sign-in attempts per client, whatever they try', async () => {
    setRateLimits({ signIn: 3 });
    const attempt = (client: string, t: string) =>
      throttledSignIn(client, () => signIn(ctx.db, { method: 'token', token: t }, testNow()));
    for (let i = 0; i < 3; i++) expect(await attempt('10.0.0.9', 'ovl_guess')).toBeNull();
    await expect(attempt('10.0.0.9', token)).rejects.toMatchObject({ status: 429, code: 'rate_limited' });
    expect(await attempt('10.0.0.10', token)).not.toBeNull();
  });

  it('tRPC reads the session cookie, or a bearer token', async () => {
    const s = await createWebSession(ctx.db, 'coach-1', testNow());
    const fromCookie = await createTrpcContext({ headers: cookie(s.token) });
    expect(fromCookie.caller).toMatchObject({ principal: { userId: 'coach-1', role: 'coach' }, kind: 'session' });
    const fromBearer = await createTrpcContext({ headers: new Headers({ authorization: authorization(token) }) });
    expect(fromBearer.caller).toMatchObject({ principal: { userId: 'user-123' }, kind: 'api_token' });
    expect((await createTrpcContext({ headers: new Headers() })).caller).toBeNull();
    // A bad Authorization header is the credential: a cookie beside it does not rescue it.
    const both = new Headers({ authorization: 'Bearer ovl_wrong', cookie: `${SESSION_COOKIE}=${s.token}` });
    expect((await createTrpcContext({ headers: both })).caller).toBeNull();
  });
});
