import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SESSION_COOKIE, sessionCookieName } from '@/server/auth/credentials';
import { decodePending, encodePending, type PendingSignIn } from '@/server/auth/oidc';
import { createWebSession, signIn } from '@/server/auth/web-sessions';
import { resetEnv } from '@/server/env';
import { clientAddressOf } from '@/server/http/client-address';
import { publicOrigin } from '@/server/http/public-origin';
import { setRateLimits } from '@/server/http/rate-limit';
import { throttledSignIn } from '@/server/http/sign-in';
import { call } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

/**
 * Issue 29's low and informational findings, each as the probe sent it (items 1–4, 6, 7, 9 and 10 are tested
 * beside what they changed: tokens, jwt, import-limits, data-rights, coaching, sessions).
 */
const configure = (vars: Record<string, string>) => {
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  resetEnv();
  setRateLimits(undefined);
};

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnv();
  setRateLimits(undefined);
});

describe('the client address sign-in is throttled by (item 5)', () => {
  const xff = (value: string) => new Headers({ 'x-forwarded-for': value });

  it('trusts no X-Forwarded-For by default: twelve made-up addresses are one client', () => {
    const keys = new Set(Array.from({ length: 12 }, (_, i) => clientAddressOf(xff(`203.0.113.${i}`))));
    expect(keys).toEqual(new Set(['unknown']));
  });

  it('behind trusted proxies, the address the first of them saw — not what the client wrote before it', () => {
    configure({ TRUSTED_PROXY_HOPS: '1' });
    expect(clientAddressOf(xff('6.6.6.6, 198.51.100.7'))).toBe('198.51.100.7');
    expect(clientAddressOf(xff('198.51.100.7'))).toBe('198.51.100.7');
    configure({ TRUSTED_PROXY_HOPS: '2' });
    expect(clientAddressOf(xff('6.6.6.6, 198.51.100.7, 10.0.0.2'))).toBe('198.51.100.7');
    expect(clientAddressOf(xff('10.0.0.2'))).toBe('unknown'); // fewer hops than proxies: not trusted
  });

  it('on Vercel, the platform’s x-real-ip', () => {
    configure({ VERCEL: '1' });
    expect(clientAddressOf(new Headers({ 'x-real-ip': '198.51.100.9', 'x-forwarded-for': '6.6.6.6' }))).toBe(
      '198.51.100.9',
    );
  });
});

describeEachDatabase('issue 29’s probe, low and informational findings', (ctx) => {
  let lifter: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'probe-lifter');
  });

  it('12 wrong tokens, each with another X-Forwarded-For, are throttled like 12 from one client (item 5)', async () => {
    configure({ SIGNIN_ATTEMPTS_PER_MINUTE: '5' });
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const client = clientAddressOf(new Headers({ 'x-forwarded-for': `203.0.113.${i}` }));
      answers.push(
        await throttledSignIn(client, () =>
          signIn(ctx.db, { method: 'token', token: `ovl_wrong-${i}` }, testNow()),
        ).then(
          (s) => (s === null ? 'refused' : 'signed in'),
          (err: { status?: number }) => String(err.status),
        ),
      );
    }
    expect(answers.slice(0, 5)).toEqual(Array(5).fill('refused'));
    expect(answers.slice(5)).toEqual(Array(7).fill('429'));
  });

  it('a dashboard change whose Origin is the host named in X-Forwarded-Host is cross-site: 403 (item 8)', async () => {
    const s = await createWebSession(ctx.db, 'probe-lifter', testNow());
    const before = await rowCounts(ctx.db);
    const forged = await call('POST', '/api/trpc/privacy.setConsent', {
      json: { analytics: true },
      headers: {
        cookie: `${SESSION_COOKIE}=${s.token}`,
        origin: 'https://evil.test',
        'x-forwarded-host': 'evil.test',
      },
    });
    expect(forged.status).toBe(403);
    expect(await rowCounts(ctx.db)).toEqual(before);
    // From our own origin (the request's Host here; APP_ORIGIN in production) it is fine.
    const own = await call('POST', '/api/trpc/privacy.setConsent', {
      json: { analytics: true },
      headers: { cookie: `${SESSION_COOKIE}=${s.token}`, origin: 'http://localhost' },
    });
    expect(own.status).toBe(200);
  });

  it('a lifter posting to /experiments is refused for its role before the body is read: 403, no schema (info)', async () => {
    const res = await call('POST', '/api/v1/experiments', { token: lifter, json: { key: 42 } });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toMatch(/arms|hypothesis|policy/);
    const admin = await call('PUT', '/api/v1/admin/users/x', { token: lifter, json: { role: 'king' } });
    expect(admin.status).toBe(403);
  });
});

describe('the public origin (item 8)', () => {
  const request = (headers: Record<string, string>) => new Request('http://localhost:3000/signin/oidc', { headers });

  it('is never the host a request names in X-Forwarded-Host', () => {
    expect(publicOrigin(request({ host: 'overload.test:3000', 'x-forwarded-host': 'evil.test' }))).toBe(
      'http://overload.test:3000',
    );
  });

  it('is APP_ORIGIN when set, whatever the request says', () => {
    configure({ APP_ORIGIN: 'https://overload.example' });
    expect(publicOrigin(request({ host: 'evil.test', 'x-forwarded-host': 'evil.test' }))).toBe(
      'https://overload.example',
    );
  });
});

describe('cookies (info)', () => {
  const pending: PendingSignIn = {
    verifier: 'v'.repeat(43),
    state: 'state-1',
    nonce: 'nonce-1',
    next: '/dashboard',
    redirectUri: 'https://overload.example/signin/oidc/callback',
  };

  it('the pending OIDC sign-in is sealed: read back whole; changed, or unsealed as before, it is refused', () => {
    const cookie = encodePending(pending);
    expect(cookie).not.toContain(pending.verifier);
    expect(decodePending(cookie)).toEqual(pending);
    const flipped = cookie.slice(0, -6) + (cookie.at(-6) === 'A' ? 'B' : 'A') + cookie.slice(-5);
    expect(decodePending(flipped)).toBeNull();
    const unsealed = Buffer.from(JSON.stringify({ ...pending, next: '//evil.test' })).toString('base64url');
    expect(decodePending(unsealed)).toBeNull();
  });

  it('the session cookie carries the __Host- prefix in production', () => {
    expect(sessionCookieName()).toBe('overload_session');
    configure({ NODE_ENV: 'production', APP_ORIGIN: 'https://overload.example' });
    expect(sessionCookieName()).toBe('__Host-overload_session');
  });
});
