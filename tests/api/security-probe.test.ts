import { count, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adaptiveModifiers, apiTokens, exercisePolicies, users } from '@/db/schema';
import { SESSION_COOKIE } from '@/server/auth/credentials';
import { revokeApiTokens } from '@/server/auth/tokens';
import { signIn } from '@/server/auth/web-sessions';
import { setDatabase } from '@/server/db';
import { TRPC_MAX_BATCH, TRPC_MAX_BODY_BYTES } from '@/server/trpc/limits';
import { call, get } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

/**
 * The findings of a black-box security probe, each as the probe made it: through tRPC (and REST where the
 * route exists), by token and by cookie.
 */
describeEachDatabase('what the security probe found', (ctx) => {
  let coachToken: string;
  let lifterToken: string;
  let coachCookie: string;
  const trpc = (
    method: 'GET' | 'POST',
    path: string,
    opts: { json?: unknown; raw?: string; cookie?: string; headers?: Record<string, string> } = {},
  ) =>
    call(method, `/api/trpc/${path}`, {
      json: opts.json,
      raw: opts.raw,
      headers: {
        ...(opts.raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.cookie ? { cookie: `${SESSION_COOKIE}=${opts.cookie}` } : {}),
        ...opts.headers,
      },
    });

  beforeAll(async () => {
    lifterToken = await createUser(ctx.db, 'athlete-1', { analyticsOptIn: true });
    coachToken = await createUser(ctx.db, 'coach-9', { role: 'coach', coaches: ['athlete-1'] });
    coachCookie = (await signIn(ctx.db, { method: 'token', token: coachToken }, testNow()))!.token;
  });

  describe('1. a session made from an API token ends when the token is revoked', () => {
    it('tRPC with the cookie → 401 after revocation, as the bearer itself', async () => {
      const token = await createUser(ctx.db, 'revoked-lifter');
      const cookie = (await signIn(ctx.db, { method: 'token', token }, testNow()))!.token;
      expect((await trpc('GET', 'privacy.consent', { cookie })).status).toBe(200);
      await revokeApiTokens(ctx.db, { token });
      const res = await trpc('GET', 'privacy.consent', { cookie });
      expect(res.status).toBe(401);
      expect(res.body.error.data.code).toBe('UNAUTHORIZED');
      expect((await get('/api/v1/consent', token)).status).toBe(401);
    });

    it('even when the revocation was written by another process (no remembered lookup here)', async () => {
      const token = await createUser(ctx.db, 'revoked-elsewhere');
      const cookie = (await signIn(ctx.db, { method: 'token', token }, testNow()))!.token;
      await ctx.db.update(apiTokens).set({ revokedAt: testNow() }).where(eq(apiTokens.userId, 'revoked-elsewhere'));
      expect((await trpc('GET', 'privacy.consent', { cookie })).status).toBe(401);
    });
  });

  describe('2. demo sign-in cannot sign anyone in', () => {
    it('a real account with the contract’s example id is not a demo account', async () => {
      await createUser(ctx.db, 'user-123');
      await createUser(ctx.db, 'coach-1', { role: 'coach' });
      expect(await signIn(ctx.db, { method: 'demo', persona: 'lifter' }, testNow())).toBeNull();
      expect(await signIn(ctx.db, { method: 'demo', persona: 'coach' }, testNow())).toBeNull();
    });
  });

  describe('3. tRPC input is guarded like REST input', () => {
    it.each([
      ['a NUL', 'Bench\\u0000Press'],
      ['a lone surrogate', 'Bench\\ud800Press'],
    ])('%s in coach.setPolicy → 400 naming the field, nothing written', async (_what, exercise) => {
      const before = await rowCounts(ctx.db);
      const raw = `{"athleteId":"athlete-1","exercise":"${exercise}","policy":"reps"}`;
      const res = await trpc('POST', 'coach.setPolicy', { raw, cookie: coachCookie });
      expect(res.status).toBe(400);
      expect(res.body.error.data.code).toBe('BAD_REQUEST');
      expect(res.body.error.data.issues).toEqual([{ path: 'exercise', message: expect.stringMatching(/NUL|Unicode/) }]);
      expect(await rowCounts(ctx.db)).toEqual(before);
    });

    it('a NUL in a GET input (coach.modifierHistory) → 400, also escaped in the query string', async () => {
      const input = encodeURIComponent('{"athleteId":"athlete-1","exercise":"a\\u0000b"}');
      const res = await trpc('GET', `coach.modifierHistory?input=${input}`, { cookie: coachCookie });
      expect(res.status).toBe(400);
      const broken = await trpc('GET', 'coach.modifierHistory?input=%7B%22athleteId%22%3A%22%ED%A0%80%22%7D', {
        cookie: coachCookie,
      });
      expect(broken.status).toBe(400);
    });

    it(`a body over ${TRPC_MAX_BODY_BYTES / 1024} KB → 413 before it is parsed`, async () => {
      const raw = JSON.stringify({
        athleteId: 'athlete-1',
        exercise: 'Squat',
        week: '2025-11-24',
        multiplier: 0.9,
        note: 'x'.repeat(8 * 1024 * 1024),
      });
      const res = await trpc('POST', 'coach.override', { raw, cookie: coachCookie });
      expect(res.status).toBe(413);
      expect(res.body.error.data.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('a body that is not JSON → 400, one not declared JSON → 415', async () => {
      expect((await trpc('POST', 'privacy.setConsent', { raw: '{nope', cookie: coachCookie })).status).toBe(400);
      const res = await trpc('POST', 'privacy.setConsent', {
        raw: '{"analytics":true}',
        cookie: coachCookie,
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(415);
    });

    it(`a batch of more than ${TRPC_MAX_BATCH} calls → 400, none of them run`, async () => {
      const n = 150;
      const paths = Array.from({ length: n }, () => 'privacy.consent').join(',');
      const input = encodeURIComponent(
        JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))),
      );
      const res = await trpc('GET', `${paths}?batch=1&input=${input}`, { cookie: coachCookie });
      expect(res.status).toBe(400);
      const ok = Array.from({ length: TRPC_MAX_BATCH }, () => 'privacy.consent').join(',');
      const fine = encodeURIComponent(
        JSON.stringify(Object.fromEntries(Array.from({ length: TRPC_MAX_BATCH }, (_, i) => [i, {}]))),
      );
      expect((await trpc('GET', `${ok}?batch=1&input=${fine}`, { cookie: coachCookie })).status).toBe(200);
    });

    it('an unexpected error answers a generic 500, logged on the server, with no SQL or parameters', async () => {
      const secret = 'enc:v1:abc123:secret-ciphertext';
      const failing = new Proxy(
        {},
        {
          get: () => () => {
            throw new Error(`Failed query: insert into "adaptive_modifiers" ("note") values ($1) params: ${secret}`);
          },
        },
      );
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      setDatabase({ db: failing as never, kind: ctx.kind, close: async () => {} });
      try {
        for (const res of [
          await trpc('GET', 'privacy.consent', { cookie: coachCookie }),
          await get('/api/v1/consent', lifterToken),
        ]) {
          expect(res.status).toBe(500);
          const text = JSON.stringify(res.body);
          expect(text).toContain('Something went wrong on our side.');
          expect(text).not.toMatch(/insert|adaptive_modifiers|secret-ciphertext|params/);
        }
        expect(logged.mock.calls.map((c) => String(c[1] ?? c[0]))).toEqual([
          expect.stringContaining(secret),
          expect.stringContaining(secret),
        ]);
      } finally {
        logged.mockRestore();
        setDatabase(ctx.database);
      }
    });
  });

  describe('4. coach overrides stay within the modifier bounds', () => {
    const override = (change: Record<string, unknown>) =>
      trpc('POST', 'coach.override', {
        json: { athleteId: 'athlete-1', exercise: 'Squat', week: '2025-11-24', note: 'probe', ...change },
        cookie: coachCookie,
      });

    it.each([
      [{ multiplier: 0.5 }, 'multiplier'],
      [{ multiplier: 1.5 }, 'multiplier'],
      [{ repDelta: -5 }, 'repDelta'],
      [{ repDelta: 2 }, 'repDelta'],
    ])('%j → 400 naming %s, nothing written', async (change, field) => {
      const res = await override(change);
      expect(res.status).toBe(400);
      expect(res.body.error.data.issues.map((i: { path: string }) => i.path)).toEqual([field]);
      const [n] = await ctx.db
        .select({ n: count() })
        .from(adaptiveModifiers)
        .where(eq(adaptiveModifiers.source, 'coach'));
      expect(n!.n).toBe(0);
    });

    it('the bounds themselves are accepted and served', async () => {
      expect((await override({ multiplier: 0.8, repDelta: -3 })).status).toBe(200);
      expect((await override({ multiplier: 1.25 })).status).toBe(200);
    });
  });

  describe('5. limits and cross-site requests', () => {
    afterEach(() => vi.unstubAllEnvs());

    it.each([
      ['Origin of another site', { origin: 'https://evil.example', host: 'localhost' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
      ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
    ])('a mutation with %s → 403, nothing written', async (_what, headers) => {
      const res = await trpc('POST', 'coach.setPolicy', {
        json: { athleteId: 'athlete-1', exercise: 'Deadlift', policy: 'reps' },
        cookie: coachCookie,
        headers,
      });
      expect(res.status).toBe(403);
      expect(res.body.error.data.code).toBe('FORBIDDEN');
      expect(await ctx.db.select().from(exercisePolicies).where(eq(exercisePolicies.exercise, 'Deadlift'))).toEqual([]);
    });

    it('a same-origin mutation, or one from a client that is not a browser, goes through', async () => {
      const cases: Record<string, string>[] = [
        { 'sec-fetch-site': 'same-origin', origin: 'http://localhost' },
        { origin: 'http://localhost', host: 'localhost' },
        {},
      ];
      for (const headers of cases) {
        const res = await trpc('POST', 'privacy.setConsent', {
          json: { analytics: true },
          cookie: coachCookie,
          headers,
        });
        expect(res.status).toBe(200);
      }
      const [coach] = await ctx.db.select().from(users).where(eq(users.id, 'coach-9'));
      expect(coach?.analyticsOptIn).toBe(true);
    });
  });
});
