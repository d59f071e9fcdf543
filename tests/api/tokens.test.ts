import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiTokens } from '@/db/schema';
import { SESSION_COOKIE } from '@/server/auth/credentials';
import { revokeApiTokens } from '@/server/auth/tokens';
import { createWebSession, signIn } from '@/server/auth/web-sessions';
import { call, get } from '../helpers/api';
import { msAgo, testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';
import { type LocalIdentityProvider, startIdentityProvider } from '../helpers/identity-provider';

const DAY = 86_400_000;
/** The dashboard's way in: a session cookie, same-origin. */
const session = (cookie: string) => ({ cookie: `${SESSION_COOKIE}=${cookie}`, 'sec-fetch-site': 'same-origin' });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const trpc = (path: string, input: unknown, headers: Record<string, string>) =>
  call('POST', `/api/trpc/${path}`, { json: input, headers });
const list = (headers: Record<string, string>) =>
  call('GET', `/api/trpc/tokens.list?input=${encodeURIComponent('{}')}`, { headers });
const made = (res: { body: { result: { data: { id: string; token: string; expiresAt: string | null } } } }) =>
  res.body.result.data;

describeEachDatabase('API tokens: managed only in a dashboard session, never outliving their maker', (ctx) => {
  let idp: LocalIdentityProvider;
  beforeAll(async () => {
    idp = await startIdentityProvider();
  });
  afterAll(async () => {
    idp.restore();
    await idp.close();
  });

  it('a bearer API token may not create, list or revoke tokens (the probe: a 1-day token asking for a permanent one)', async () => {
    const oneDay = await createUser(ctx.db, 'probe-1');
    await ctx.db
      .update(apiTokens)
      .set({ expiresAt: new Date(testNow().getTime() + DAY) })
      .where(eq(apiTokens.userId, 'probe-1'));
    const child = await trpc('tokens.create', { name: 'child', expiresInDays: null }, bearer(oneDay));
    expect(child.status).toBe(403);
    expect(child.body.error.data.code).toBe('FORBIDDEN');
    expect((await list(bearer(oneDay))).status).toBe(403);
    const [own] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, 'probe-1'));
    expect((await trpc('tokens.revoke', { id: own!.id }, bearer(oneDay))).status).toBe(403);
    expect(await ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, 'probe-1'))).toHaveLength(1);
  });

  it('neither may an identity provider’s JWT', async () => {
    idp.configure();
    try {
      const jwt = await idp.token('probe-jwt');
      expect((await get('/api/v1/sessions', jwt)).status).toBe(200); // a good credential for the API…
      const child = await trpc('tokens.create', { name: 'child', expiresInDays: null }, bearer(jwt));
      expect(child.status).toBe(403); // …but not for making tokens
      expect(await ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, 'probe-jwt'))).toEqual([]);
    } finally {
      idp.restore();
    }
  });

  it('in a session signed in with a 1-day token, a token asked "until revoked" expires with that token, and dies with it', async () => {
    const parent = await createUser(ctx.db, 'probe-2');
    const dayFromNow = new Date(testNow().getTime() + DAY);
    await ctx.db.update(apiTokens).set({ expiresAt: dayFromNow }).where(eq(apiTokens.userId, 'probe-2'));
    const signedIn = (await signIn(ctx.db, { method: 'token', token: parent }, testNow()))!;
    const child = made(await trpc('tokens.create', { name: 'child', expiresInDays: null }, session(signedIn.token)));
    expect(new Date(child.expiresAt!)).toEqual(dayFromNow);
    const week = made(await trpc('tokens.create', { name: 'week', expiresInDays: 7 }, session(signedIn.token)));
    expect(new Date(week.expiresAt!)).toEqual(dayFromNow);
    const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, child.id));
    const [parentRow] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, row!.tokenHash));
    expect(row!.parentTokenId).not.toBeNull();
    expect(parentRow!.parentTokenId).toBe(row!.parentTokenId);

    // A grandchild, made in a session signed in with the child.
    const childSession = (await signIn(ctx.db, { method: 'token', token: child.token }, testNow()))!;
    const grandchild = made(
      await trpc('tokens.create', { name: 'grandchild', expiresInDays: null }, session(childSession.token)),
    );
    for (const t of [child.token, week.token, grandchild.token])
      expect((await get('/api/v1/sessions', t)).status).toBe(200);

    expect(await revokeApiTokens(ctx.db, { token: parent })).toBe(4); // the parent and all it made
    for (const t of [parent, child.token, week.token, grandchild.token]) {
      expect((await get('/api/v1/sessions', t)).status).toBe(401);
    }
    expect((await list(session(childSession.token))).status).toBe(401); // its sessions ended too
  });

  it('revoking a token in the dashboard revokes the tokens made with it', async () => {
    const parent = await createUser(ctx.db, 'probe-3');
    const signedIn = (await signIn(ctx.db, { method: 'token', token: parent }, testNow()))!;
    const child = made(await trpc('tokens.create', { name: 'child', expiresInDays: 30 }, session(signedIn.token)));
    const other = await createWebSession(ctx.db, 'probe-3', testNow()); // signed in another way: no parent
    const [parentRow] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, 'probe-3'));
    expect((await trpc('tokens.revoke', { id: parentRow!.id }, session(other.token))).status).toBe(200);
    expect((await get('/api/v1/sessions', child.token)).status).toBe(401);
  });

  it('in a session signed in another way, the token gets the expiry asked for and no parent', async () => {
    await createUser(ctx.db, 'probe-4');
    const s = await createWebSession(ctx.db, 'probe-4', testNow());
    const asked = testNow().getTime();
    const forever = made(await trpc('tokens.create', { name: 'phone', expiresInDays: null }, session(s.token)));
    const month = made(await trpc('tokens.create', { name: 'month', expiresInDays: 30 }, session(s.token)));
    const answered = testNow().getTime();
    expect(forever.expiresAt).toBeNull();
    expect(Date.parse(month.expiresAt!)).toBeGreaterThanOrEqual(asked + 30 * DAY);
    expect(Date.parse(month.expiresAt!)).toBeLessThanOrEqual(answered + 30 * DAY);
    const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, forever.id));
    expect(row!.parentTokenId).toBeNull();
  });

  it('creates (shown once), lists without values, uses, and revokes — refused at once', async () => {
    await createUser(ctx.db, 'user-123');
    const s = session((await createWebSession(ctx.db, 'user-123', testNow())).token);
    const fresh = made(await trpc('tokens.create', { name: 'phone', expiresInDays: 30 }, s));
    expect(fresh.token).toMatch(/^ovl_/);
    expect((await get('/api/v1/sessions', fresh.token)).status).toBe(200);
    const listed = (await list(s)).body.result.data;
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(fresh.token);
    expect(listed.find((t: { id: string }) => t.id === fresh.id)).toMatchObject({ name: 'phone', revokedAt: null });
    expect(listed.find((t: { id: string }) => t.id === fresh.id).lastUsedAt).not.toBeNull();

    expect((await trpc('tokens.revoke', { id: fresh.id }, s)).status).toBe(200);
    expect((await get('/api/v1/sessions', fresh.token)).status).toBe(401);
    expect((await trpc('tokens.revoke', { id: fresh.id }, s)).status).toBe(404);
  });

  it('an expired token is refused, also when it was remembered', async () => {
    await createUser(ctx.db, 'expiring');
    const s = session((await createWebSession(ctx.db, 'expiring', testNow())).token);
    const created = made(await trpc('tokens.create', { name: 'short', expiresInDays: 1 }, s));
    expect((await get('/api/v1/sessions', created.token)).status).toBe(200);
    await ctx.db
      .update(apiTokens)
      .set({ expiresAt: msAgo(1000) })
      .where(eq(apiTokens.id, created.id));
    // Remembered entries never outlive the expiry they were read with; this one was read with tomorrow's:
    // the database answer after the cache is what this asserts, so forget the remembered lookup first.
    const { forgetUser } = await import('@/server/auth/credential-cache');
    forgetUser('expiring');
    expect((await get('/api/v1/sessions', created.token)).status).toBe(401);
  });

  it('bad input → 400 naming the field; another user’s token id → 404', async () => {
    await createUser(ctx.db, 'bad-input');
    const s = session((await createWebSession(ctx.db, 'bad-input', testNow())).token);
    const noName = await trpc('tokens.create', { name: ' ', expiresInDays: null }, s);
    expect(noName.status).toBe(400);
    expect(noName.body.error.data.issues[0].path).toBe('name');
    expect((await trpc('tokens.create', { name: 'x', expiresInDays: 366 }, s)).status).toBe(400);
    await createUser(ctx.db, 'user-999');
    const theirs = session((await createWebSession(ctx.db, 'user-999', testNow())).token);
    const their = made(await trpc('tokens.create', { name: 'theirs', expiresInDays: null }, theirs));
    expect((await trpc('tokens.revoke', { id: their.id }, s)).status).toBe(404);
    expect((await get('/api/v1/sessions', their.token)).status).toBe(200);
  });
});
