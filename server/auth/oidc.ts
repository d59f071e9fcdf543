import * as client from 'openid-client';
import type { Db } from '@/db/client';
import { env } from '@/server/env';
import { decrypt, encrypt } from '@/server/privacy/encryption';
import { keyring } from '@/server/privacy/keyring';
import { IdentityRefusedError, userForIdentity } from './identities';
import { createWebSession, type StartedSession } from './web-sessions';

/**
 * Sign-in for people through the identity provider, with OpenID Connect's authorization code flow and PKCE
 * (`openid-client`): the provider's settings are discovered once per process; each sign-in carries a fresh code
 * verifier, state and nonce, kept in a short-lived httpOnly cookie until the provider sends the person back. The
 * ID token's identity (`iss`, `sub`) is the user it is linked to, as a JWT's is (identities.ts).
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  name: string;
  redirectUri?: string;
}

export function oidcSettings(): OidcSettings | undefined {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID) return undefined;
  return {
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    name: e.OIDC_NAME,
    redirectUri: e.OIDC_REDIRECT_URI,
  };
}

/** The provider cannot be reached or described itself wrongly: the sign-in page says so. */
export class OidcUnavailableError extends Error {}
/**
 * The provider's answer did not check out (state, nonce, code, ID token), or its identity may not come in (an
 * account it is not linked to, a deleted one): the sign-in page says so.
 */
export class OidcRefusedError extends Error {
  constructor(
    message: string,
    readonly reason?: 'retired' | 'not_linked' | 'unusable_id',
  ) {
    super(message);
  }
}

const holder = globalThis as typeof globalThis & { __overloadOidc?: Map<string, Promise<client.Configuration>> };

function configuration(s: OidcSettings): Promise<client.Configuration> {
  holder.__overloadOidc ??= new Map();
  const key = `${s.issuer} ${s.clientId}`;
  let found = holder.__overloadOidc.get(key);
  if (!found) {
    const insecure = new URL(s.issuer).protocol === 'http:'; // env allows it on loopback only
    found = client
      .discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, {
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: 5,
      })
      .catch((err: Error) => {
        holder.__overloadOidc?.delete(key); // try again on the next sign-in
        throw new OidcUnavailableError(`${s.issuer} could not be discovered: ${err.message}`);
      });
    holder.__overloadOidc.set(key, found);
  }
  return found;
}

/** What the callback needs to check the provider's answer; kept in an httpOnly cookie meanwhile. */
export interface PendingSignIn {
  verifier: string;
  state: string;
  nonce: string;
  next: string | null;
  redirectUri: string;
}

export const PENDING_COOKIE = 'overload_oidc';
export const PENDING_MINUTES = 10;

export async function startOidcSignIn(
  s: OidcSettings,
  redirectUri: string,
  next: string | null,
): Promise<{ url: URL; pending: PendingSignIn }> {
  const config = await configuration(s);
  const verifier = client.randomPKCECodeVerifier();
  const pending = { verifier, state: client.randomState(), nonce: client.randomNonce(), next, redirectUri };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

/**
 * The pending sign-in as its cookie holds it: sealed with the data key (AES-256-GCM), so the browser can neither
 * read the PKCE verifier nor change a field (the `next` path, the redirect URI) without the cookie being refused.
 */
export const encodePending = (p: PendingSignIn) => encrypt(JSON.stringify(p), keyring());

export function decodePending(cookie: string | undefined): PendingSignIn | null {
  if (!cookie) return null;
  try {
    const p = JSON.parse(decrypt(cookie, keyring())) as Partial<PendingSignIn>;
    const ok = [p.verifier, p.state, p.nonce, p.redirectUri].every((v) => typeof v === 'string' && v.length > 0);
    return ok ? (p as PendingSignIn) : null;
  } catch {
    return null;
  }
}

/** Checks the provider's answer (state, PKCE, nonce, ID token) and starts a dashboard session for its user. */
export async function finishOidcSignIn(
  db: Db,
  s: OidcSettings,
  callbackUrl: URL,
  pending: PendingSignIn,
  now: Date,
): Promise<StartedSession> {
  const config = await configuration(s);
  let claims: client.IDToken | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (err) {
    throw new OidcRefusedError((err as Error).message);
  }
  const claim = env().AUTH_USER_CLAIM;
  const userId = claims?.[claim];
  if (!claims || typeof userId !== 'string') throw new OidcRefusedError(`the ID token has no ${claim} claim`);
  const principal = await userForIdentity(db, { issuer: claims.iss, subject: claims.sub }, userId).catch(
    (err: unknown) => {
      if (err instanceof IdentityRefusedError) throw new OidcRefusedError(err.message, err.reason);
      throw err;
    },
  );
  return { principal, ...(await createWebSession(db, principal.userId, now)) };
}
