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
  const auth0Sub = 'auth0|64f1c0ffee';

  beforeAll(async () => {
    idp = await startIdentityProvider();
    idp.configure();
    apiToken = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    await createUser(ctx.db, 'coach-jwt', { role: 'coach', coaches: ['user-123'] });
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

  it('an existing user keeps their role: a coach signing in with a JWT reads their athlete', async () => {
    const jwt = await idp.token('coach-jwt');
    expect((await get('/api/v1/analytics?user_id=user-123', jwt)).status).toBe(200);
    expect((await get(prs('user-123'), jwt)).status).toBe(200);
    const [coach] = await ctx.db.select().from(users).where(eq(users.id, 'coach-jwt'));
    expect(coach?.role).toBe('coach');
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
    ])('%s', async (which) => {
      const forged = Object.fromEntries(await idp.forgeries('jwt-newcomer'))[which]!;
      const before = await rowCounts(ctx.db);
      const rest = await post('/api/v1/session', { ...seedSession, user_id: 'jwt-newcomer' }, forged);
      expect(rest.status).toBe(401);
      expect(rest.body.error.code).toBe('unauthorized');
      expect(rest.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      const trpc = await get(prs(), forged);
      expect(trpc.status).toBe(401);
      expect(trpc.body.error.data.code).toBe('UNAUTHORIZED');
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect(await ctx.db.select().from(users).where(eq(users.id, 'jwt-newcomer'))).toEqual([]);
    });

    it('a subject the contract cannot name as user_id', async () => {
      const res = await get('/api/v1/analytics', await idp.token('has spaces in it'));
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/sub/);
    });
  });

  it('the user id from a configured claim instead of sub', async () => {
    idp.configure({ AUTH_USER_CLAIM: 'https://overload.example/user_id' });
    try {
      const jwt = await idp.token('provider-internal-id', { 'https://overload.example/user_id': 'user-123' });
      const res = await get('/api/v1/analytics?user_id=user-123', jwt);
      expect(res.status).toBe(200);
      const missing = await get('/api/v1/analytics', await idp.token('provider-internal-id'));
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
