import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidJwtError, JwksUnavailableError, type JwtConfig, verifyAppJwt } from '@/server/auth/jwt';
import { testNow } from '../../helpers/clock';

/** A local identity provider's key set (RS256), served over HTTP as a real JWKS endpoint would be. */
describe('verifying the app’s JWTs against a JWKS', () => {
  let server: Server;
  let config: JwtConfig;
  let signer: CryptoKey;
  let publicPem: string;
  let other: CryptoKey;
  let served: { keys: JWK[]; down?: boolean };
  let fetches = 0;
  const now = () => Math.floor(testNow().getTime() / 1000);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    signer = pair.privateKey as CryptoKey;
    publicPem = await exportSPKI(pair.publicKey);
    other = (await generateKeyPair('RS256')).privateKey as CryptoKey;
    served = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] };
    server = createServer((req, res) => {
      fetches += 1;
      if (req.url?.startsWith('/down') || served.down) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served.keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    config = { issuer: 'https://id.example.test/', audience: 'overload-app', jwksUrl: `http://127.0.0.1:${port}/jwks` };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const token = (claims: Record<string, unknown> = {}, opts: { key?: CryptoKey; kid?: string } = {}) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'key-1' })
      .setIssuer((claims.iss as string) ?? config.issuer)
      .setAudience((claims.aud as string) ?? config.audience)
      .setSubject((claims.sub as string) ?? 'lifter-jwt')
      .setIssuedAt()
      .setExpirationTime((claims.exp as number) ?? now() + 300)
      .sign(opts.key ?? signer);

  const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');

  it('accepts a valid token and answers its subject', async () => {
    expect(await verifyAppJwt(await token(), config)).toEqual({ subject: 'lifter-jwt', userId: 'lifter-jwt' });
    expect(await verifyAppJwt(await token({ user_id: 'from-claim' }), { ...config, userClaim: 'user_id' })).toEqual({
      subject: 'lifter-jwt',
      userId: 'from-claim',
    });
  });

  it('allows a small clock skew on exp', async () => {
    expect(await verifyAppJwt(await token({ exp: now() - 10 }), config)).toMatchObject({ userId: 'lifter-jwt' });
  });

  it.each([
    ['expired', async () => token({ exp: now() - 600 })],
    ['not yet valid', async () => token({ nbf: now() + 600 })],
    ['from another issuer', async () => token({ iss: 'https://evil.example.test/' })],
    ['for another audience', async () => token({ aud: 'someone-else' })],
    ['signed by a key the provider does not publish', async () => token({}, { key: other, kid: 'key-2' })],
    ['signed by another key under a published kid', async () => token({}, { key: other })],
    [
      'unsigned (alg none)',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', iss: config.issuer, aud: config.audience, exp: now() + 300 })}.`,
    ],
    [
      'HS256 keyed with the public key (algorithm confusion)',
      async () => {
        const head = `${b64({ alg: 'HS256', kid: 'key-1' })}.${b64({ sub: 'x', iss: config.issuer, aud: config.audience, exp: now() + 300 })}`;
        return `${head}.${createHmac('sha256', publicPem).update(head).digest('base64url')}`;
      },
    ],
    [
      'with a tampered payload',
      async () => {
        const [h, , sig] = (await token()).split('.');
        return `${h}.${b64({ sub: 'admin', iss: config.issuer, aud: config.audience, exp: now() + 300 })}.${sig}`;
      },
    ],
    ['without a subject', async () => token({ sub: '' })],
    ['not a JWT at all', async () => 'ovl_not-a-jwt'],
  ])('refuses a token %s', async (_name, make) => {
    await expect(verifyAppJwt(await make(), config)).rejects.toBeInstanceOf(InvalidJwtError);
  });

  it('caches the key set, and fetches it again for a kid it does not hold (the provider rotated its keys)', async () => {
    const fresh = { ...config, jwksUrl: `${config.jwksUrl}?rotation`, jwksCooldownMs: 0 };
    const before = fetches;
    await verifyAppJwt(await token(), fresh);
    await verifyAppJwt(await token(), fresh);
    expect(fetches).toBe(before + 1);
    const rotated = await generateKeyPair('RS256', { extractable: true });
    served.keys.push({ ...(await exportJWK(rotated.publicKey)), kid: 'key-3', alg: 'RS256', use: 'sig' });
    const signedByNewKey = await token({}, { key: rotated.privateKey as CryptoKey, kid: 'key-3' });
    expect(await verifyAppJwt(signedByNewKey, fresh)).toMatchObject({ userId: 'lifter-jwt' });
    expect(fetches).toBe(before + 2);
  });

  it('a key set that cannot be fetched is unavailability, not a bad token', async () => {
    const down = { ...config, jwksUrl: config.jwksUrl.replace('/jwks', '/down') };
    await expect(verifyAppJwt(await token(), down)).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  describe('backing off when the key set fails (the probe: random kids while the JWKS answers 500)', () => {
    const COOLDOWN = 30_000;
    let at = 0;
    const clock = () => at;

    it('keeps the last good keys, refuses unknown kids with 401 during the cool-down without fetching', async () => {
      const flaky = { ...config, jwksUrl: `${config.jwksUrl}?flaky`, jwksCooldownMs: COOLDOWN, clock };
      await verifyAppJwt(await token(), flaky); // the good keys, fetched once
      served.down = true;
      try {
        const before = fetches;
        at += COOLDOWN; // past the cool-down: one unknown kid may try the provider, and finds it down
        await expect(verifyAppJwt(await token({}, { kid: 'random-1' }), flaky)).rejects.toBeInstanceOf(
          JwksUnavailableError,
        );
        expect(fetches).toBe(before + 1);
        for (let i = 2; i < 12; i++) {
          await expect(verifyAppJwt(await token({}, { kid: `random-${i}` }), flaky)).rejects.toBeInstanceOf(
            InvalidJwtError,
          );
        }
        expect(fetches).toBe(before + 1); // ten more random kids, no fetch
        expect(await verifyAppJwt(await token(), flaky)).toMatchObject({ userId: 'lifter-jwt' }); // known kid: fine
        at += COOLDOWN; // one failure: the cool-down doubled, so still waiting
        await expect(verifyAppJwt(await token({}, { kid: 'random-x' }), flaky)).rejects.toBeInstanceOf(InvalidJwtError);
        expect(fetches).toBe(before + 1);
        at += COOLDOWN; // 2 × the cool-down since the failure: try again
        await expect(verifyAppJwt(await token({}, { kid: 'random-y' }), flaky)).rejects.toBeInstanceOf(
          JwksUnavailableError,
        );
        expect(fetches).toBe(before + 2);
      } finally {
        served.down = false;
      }
    });

    it('tokens arriving while the first fetch is in flight wait for it: one fetch, all verified', async () => {
      const burst = { ...config, jwksUrl: `${config.jwksUrl}?burst`, jwksCooldownMs: COOLDOWN, clock };
      const before = fetches;
      const tokens = await Promise.all(Array.from({ length: 20 }, () => token()));
      const verified = await Promise.all(tokens.map((t) => verifyAppJwt(t, burst)));
      expect(verified.every((v) => v.userId === 'lifter-jwt')).toBe(true);
      expect(fetches).toBe(before + 1);
    });

    it('with no keys ever fetched, answers unavailable without fetching again until the cool-down ends', async () => {
      const never = {
        ...config,
        jwksUrl: config.jwksUrl.replace('/jwks', '/down?never'),
        jwksCooldownMs: COOLDOWN,
        clock,
      };
      const before = fetches;
      for (let i = 0; i < 5; i++) {
        await expect(verifyAppJwt(await token(), never)).rejects.toBeInstanceOf(JwksUnavailableError);
      }
      expect(fetches).toBe(before + 1);
      at += COOLDOWN; // after a failure the cool-down is doubled
      await expect(verifyAppJwt(await token(), never)).rejects.toBeInstanceOf(JwksUnavailableError);
      expect(fetches).toBe(before + 1);
      at += COOLDOWN;
      await expect(verifyAppJwt(await token(), never)).rejects.toBeInstanceOf(JwksUnavailableError);
      expect(fetches).toBe(before + 2);
    });
  });
});
