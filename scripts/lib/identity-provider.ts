import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { wallClock } from '@/server/time/clock';

/**
 * A local identity provider as the app's would be: an RS256 key pair whose public half is served as a JWKS over
 * HTTP, and tokens signed with it (or deliberately wrong ones) — for the tests and the bench. `env` is what points
 * Overload at it.
 */
export interface LocalIdentityProvider {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** A token for `sub`, valid for 5 minutes unless claims say otherwise. */
  token(
    sub: string,
    claims?: Record<string, unknown>,
    opts?: { key?: CryptoKey; kid?: string; typ?: string },
  ): Promise<string>;
  /** The forgeries every verifier must refuse, for `sub`. */
  forgeries(sub: string): Promise<[string, string][]>;
  /** Whether the key set answers (false: 500). */
  setUp(up: boolean): void;
  /** AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL for it. */
  env: Record<'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_JWKS_URL', string>;
  close(): Promise<void>;
}

const b64 = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
const now = () => Math.floor(wallClock().getTime() / 1000);

export async function startIdentityProvider(): Promise<LocalIdentityProvider> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const signer = pair.privateKey as CryptoKey;
  const publicPem = await exportSPKI(pair.publicKey);
  const stranger = (await generateKeyPair('RS256')).privateKey as CryptoKey;
  const keys: { keys: JWK[] } = {
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }],
  };
  let up = true;
  const server: Server = createServer((_req, res) => {
    if (!up) res.writeHead(500).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // A distinct URL per provider: the service keeps one cached key set per JWKS URL.
  const jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
  const issuer = `https://id-${port}.example.test/`;
  const audience = 'overload-app';

  const token: LocalIdentityProvider['token'] = (sub, claims = {}, opts = {}) =>
    new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'key-1', ...(opts.typ ? { typ: opts.typ } : {}) })
      .setIssuer((claims.iss as string) ?? issuer)
      .setAudience((claims.aud as string) ?? audience)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime((claims.exp as number) ?? now() + 300)
      .sign(opts.key ?? signer);

  return {
    issuer,
    audience,
    jwksUrl,
    token,
    async forgeries(sub) {
      const claims = { sub, iss: issuer, aud: audience, exp: now() + 300 };
      const hsHead = `${b64({ alg: 'HS256', kid: 'key-1' })}.${b64(claims)}`;
      const good = await token(sub);
      const [h, , s] = good.split('.');
      return [
        ['expired', await token(sub, { exp: now() - 600 })],
        ['not yet valid', await token(sub, { nbf: now() + 600 })],
        ['from another issuer', await token(sub, { iss: 'https://evil.example.test/' })],
        ['for another audience', await token(sub, { aud: 'someone-else' })],
        ['signed by an unknown key', await token(sub, {}, { key: stranger, kid: 'key-9' })],
        ['unsigned (alg none)', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
        [
          'HS256 keyed with the public key',
          `${hsHead}.${createHmac('sha256', publicPem).update(hsHead).digest('base64url')}`,
        ],
        ['a tampered payload', `${h}.${b64({ ...claims, sub: 'someone-else' })}.${s}`],
        // RFC 8725 §3.11: a token explicitly typed as something else than an access token.
        ['typed as an ID token (id_token+jwt)', await token(sub, {}, { typ: 'id_token+jwt' })],
        ['typed as a logout token', await token(sub, {}, { typ: 'logout+jwt' })],
      ];
    },
    setUp(value) {
      up = value;
    },
    env: { AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience, AUTH_JWKS_URL: jwksUrl },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
