import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/db/schema';
import { seedSession } from '../fixtures/seed-examples';
import { call, get, post } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';
import { type LocalIdentityProvider, startIdentityProvider } from '../helpers/identity-provider';

const prs = (user?: string) =>
  `/api/trpc/analytics.prs?input=${encodeURIComponent(JSON.stringify(user ? { userId: user } : {}))}`;

describeEachDatabase('the app’s identity-provider JWTs on REST and tRPC', (ctx) => {
  let idp: LocalIdentityProvider;
  let apiToken: string;
  let admin: string;
  const auth0Sub = 'auth0|64f1c0ffee';
  /** An admin links this provider's identity `subject` to `userId`. */
  const linkAs = (token: string, subject: string, userId: string) =>
    call('PUT', '/api/v1/admin/identities', {
      token,
      json: { issuer: idp.issuer, subject, user_id: userId },
    });

  beforeAll(async () => {
    idp = await startIdentityProvider();
    idp.configure();
    apiToken = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    await createUser(ctx.db, 'coach-jwt', { role: 'coach', coaches: ['user-123'] });
    admin = await createUser(ctx.db, 'probe-admin', { role: 'admin' });
  });
  afterAll(async () => {
    idp.restore();
    await idp.close();
  });

  it('a valid JWT for someone never seen creates them as a lifter and writes their data', async () => {
    const jwt = await idp.token(auth0Sub);
    const res = await post('/api/v1/session', { ...seedSession, user_id: auth0Sub }, jwt);
    expect(res.status).toBe(201);
    const [user] = await ctx.db.select().from(users).where(eq(users.id, auth0Sub));
    expect(user?.role).toBe('lifter');
    // The same user on the next request (and a second token of theirs): no second row, same data.
    const again = await get(`/api/v1/analytics?user_id=${encodeURIComponent(auth0Sub)}`, await idp.token(auth0Sub));
    expect(again.status).toBe(200);
    expect((await ctx.db.select().from(users).where(eq(users.id, auth0Sub))).length).toBe(1);
  });

  it("a JWT reads only its user's data: another lifter's → 403, over REST and tRPC", async () => {
    const jwt = await idp.token(auth0Sub);
    const before = await rowCounts(ctx.db);
    const write = await post('/api/v1/session', seedSession, jwt);
    expect(write.status).toBe(403);
    expect(write.body.error.issues[0].path).toBe('user_id');
    expect((await get('/api/v1/analytics?user_id=user-123', jwt)).status).toBe(403);
    expect((await get(prs(), jwt)).status).toBe(200);
    expect((await get(prs('user-123'), jwt)).status).toBe(403);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('an existing account is reached only once an admin links the identity; it keeps its role', async () => {
    const jwt = await idp.token('coach-jwt');
    const refused = await get('/api/v1/analytics?user_id=user-123', jwt);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('identity_not_linked');
    expect((await get(prs('user-123'), jwt)).status).toBe(403);
    expect((await linkAs(admin, 'coach-jwt', 'coach-jwt')).body).toMatchObject({ changed: true });
    expect((await linkAs(admin, 'coach-jwt', 'coach-jwt')).body).toMatchObject({ changed: false });
    expect((await get('/api/v1/analytics?user_id=user-123', jwt)).status).toBe(200);
    expect((await get(prs('user-123'), jwt)).status).toBe(200);
    const [coach] = await ctx.db.select().from(users).where(eq(users.id, 'coach-jwt'));
    expect(coach?.role).toBe('coach');
  });

  it('a JWT whose sub is an existing admin’s id is not that admin (the probe): 403, nothing provisioned', async () => {
    const jwt = await idp.token('probe-admin');
    const before = await rowCounts(ctx.db);
    const rest = await call('PUT', '/api/v1/admin/users/x', { token: jwt, json: { role: 'admin' } });
    expect(rest.status).toBe(403);
    expect(rest.body.error.code).toBe('identity_not_linked');
    const trpc = await get(prs(), jwt);
    expect(trpc.status).toBe(403);
    expect(trpc.body.error.data.code).toBe('FORBIDDEN');
    expect(await rowCounts(ctx.db)).toEqual(before);
    expect(await ctx.db.select().from(users).where(eq(users.id, 'x'))).toEqual([]);
  });

  it('only an admin links identities: a lifter → 403; an unknown user → 404; unlinking refuses the identity again', async () => {
    expect((await linkAs(apiToken, 'lifter-try', 'user-123')).status).toBe(403);
    expect((await linkAs(admin, 'lifter-try', 'nobody-here')).status).toBe(404);
    await createUser(ctx.db, 'linked-later');
    expect((await linkAs(admin, 'linked-sub', 'linked-later')).status).toBe(200);
    const jwt = await idp.token('linked-sub');
    expect((await get('/api/v1/analytics?user_id=linked-later', jwt)).status).toBe(200);
    const query = `issuer=${encodeURIComponent(idp.issuer)}&subject=linked-sub`;
    const unlinked = await call('DELETE', `/api/v1/admin/identities?${query}`, { token: admin });
    expect(unlinked.body).toMatchObject({ changed: true, user_id: null });
    // A stranger again; its claim (sub) names no free account, so it is refused rather than made one.
    await createUser(ctx.db, 'linked-sub');
    expect((await get('/api/v1/analytics', jwt)).status).toBe(403);
  });

  it('a deleted user is not made again by its next JWT; an admin may provision it again', async () => {
    const jwt = await idp.token('jwt-leaver');
    expect((await get('/api/v1/analytics', jwt)).status).toBe(200); // made on first sight
    expect((await call('DELETE', '/api/v1/users/jwt-leaver', { token: jwt })).status).toBe(200);
    const after = await get('/api/v1/analytics', jwt);
    expect(after.status).toBe(403);
    expect(after.body.error.code).toBe('identity_retired');
    expect(await ctx.db.select().from(users).where(eq(users.id, 'jwt-leaver'))).toEqual([]);
    await call('PUT', '/api/v1/admin/users/jwt-leaver', { token: admin, json: { role: 'lifter' } });
    expect((await linkAs(admin, 'jwt-leaver', 'jwt-leaver')).status).toBe(200);
    expect((await get('/api/v1/analytics', jwt)).status).toBe(200);
  });

  it('opaque API tokens keep working beside JWTs', async () => {
    expect((await post('/api/v1/session', { ...seedSession, date: '2025-11-25T12:00:00Z' }, apiToken)).status).toBe(
      201,
    );
    expect((await get(prs(), apiToken)).status).toBe(200);
  });

  describe('refused with 401 and a JSON error, nothing written, no user created', () => {
    it.each([
      'expired',
      'not yet valid',
      'from another issuer',
      'for another audience',
      'signed by an unknown key',
      'unsigned (alg none)',
      'HS256 keyed with the public key',
      'a tampered payload',
      'typed as an ID token (id_token+jwt)',
      'typed as a logout token',
    ])('%s', async (which) => {
      const forged = Object.fromEntries(await idp.forgeries('jwt-newcomer'))[which]!;
      const before = await rowCounts(ctx.db);
      const rest = await post('/api/v1/session', { ...seedSession, user_id: 'jwt-newcomer' }, forged);
      expect(rest.status).toBe(401);
      expect(rest.body.error.code).toBe('unauthorized');
      expect(rest.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(rest.body.error.message).toBe('The bearer JWT was refused.'); // the reason is for the log only
      const trpc = await get(prs(), forged);
      expect(trpc.status).toBe(401);
      expect(trpc.body.error.data.code).toBe('UNAUTHORIZED');
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect(await ctx.db.select().from(users).where(eq(users.id, 'jwt-newcomer'))).toEqual([]);
    });

    it('a subject the contract cannot name as user_id', async () => {
      const res = await get('/api/v1/analytics', await idp.token('has spaces in it'));
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/not a usable user id/);
    });
  });

  it('a configured claim names a new account; it never takes over an existing one', async () => {
    idp.configure({ AUTH_USER_CLAIM: 'https://overload.example/user_id' });
    try {
      const claim = (userId: string) => ({ 'https://overload.example/user_id': userId });
      const fresh = await idp.token('provider-internal-id', claim('claimed-new'));
      expect((await get('/api/v1/analytics?user_id=claimed-new', fresh)).status).toBe(200);
      // The identity is iss + sub: the same person naming another user later stays who they are.
      const renamed = await idp.token('provider-internal-id', claim('user-123'));
      expect((await get(prs(), renamed)).body.result.data).toBeDefined();
      expect((await get('/api/v1/analytics?user_id=user-123', renamed)).status).toBe(403);
      // Another identity whose claim names an existing user gets nothing of it.
      const squatter = await idp.token('someone-else', claim('user-123'));
      const taken = await get('/api/v1/analytics?user_id=user-123', squatter);
      expect(taken.status).toBe(403);
      expect(taken.body.error.code).toBe('identity_not_linked');
      const missing = await get('/api/v1/analytics', await idp.token('provider-internal-id-2'));
      expect(missing.status).toBe(401);
    } finally {
      idp.configure({ AUTH_USER_CLAIM: 'sub' });
    }
  });

  it('without an identity provider configured, a JWT is just an unknown token', async () => {
    const jwt = await idp.token(auth0Sub);
    idp.restore();
    try {
      const res = await get('/api/v1/analytics', jwt);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    } finally {
      idp.configure();
    }
  });
});

describeEachDatabase('an identity provider whose keys are out of reach', () => {
  let idp: LocalIdentityProvider;
  beforeAll(async () => {
    idp = await startIdentityProvider();
    idp.setUp(false);
    idp.configure();
  });
  afterAll(async () => {
    idp.restore();
    await idp.close();
  });

  it('→ 503 with Retry-After on REST and tRPC, never a 500 or a 401', async () => {
    const jwt = await idp.token('user-somebody');
    const rest = await call('GET', '/api/v1/analytics', { token: jwt });
    expect(rest.status).toBe(503);
    expect(rest.body.error.code).toBe('identity_provider_unavailable');
    expect(rest.headers.get('retry-after')).toBe('5');
    const trpc = await get(prs(), jwt);
    expect(trpc.status).toBe(503);
  });
});
