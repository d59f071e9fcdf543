import { createHash, timingSafeEqual } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import type { Db } from '@/db/client';
import { env } from '@/server/env';
import { DomainError, unauthenticated } from '@/server/errors';
import { wallClock } from '@/server/time/clock';
import { remembered } from './credential-cache';
import { IdentityRefusedError, userForIdentity } from './identities';
import { InvalidJwtError, type JwtConfig, looksLikeJwt, verifyAppJwt } from './jwt';
import type { ParentToken } from './principal';
import { apiTokenOwner, type Principal, principalForSession } from './principal';
import { listenForRevocations } from './revocation';
import { hashToken } from './token-hash';

/**
 * Every credential the service accepts is read here, and only here:
 * - an API token, `Authorization: Bearer ovl_…` (the app, scripts; REST and tRPC);
 * - a JWT from the app's identity provider, `Authorization: Bearer eyJ…`, when `AUTH_ISSUER`, `AUTH_AUDIENCE`
 *   and `AUTH_JWKS_URL` are set (REST and tRPC); a user it names for the first time is created as a lifter;
 * - a dashboard session, the `overload_session` cookie (tRPC and pages);
 * - the cron secret, `Authorization: Bearer $CRON_SECRET` (Vercel cron routes).
 * API-token lookups, and the user behind a JWT, are remembered for a few seconds (`credential-cache.ts`): they are
 * on every ingest request. A JWT's signature and dates are checked on every request.
 * Session lookups are not: dashboard traffic is light, and signing out or revoking then ends a session in every
 * process at once.
 */
const AUTH_SCHEME = 'Bearer';
export const SESSION_COOKIE = 'overload_session';

/**
 * The session cookie's name: in production with the `__Host-` prefix, which browsers accept only when the cookie is
 * Secure, for path `/` and this host alone (no Domain) — a sibling subdomain cannot plant or overwrite it.
 */
export function sessionCookieName(): string {
  return env().NODE_ENV === 'production' ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

/** What a route accepts: a bearer credential (API token or JWT), a dashboard session cookie. */
export type CredentialKind = 'bearer' | 'session';

export interface Caller {
  principal: Principal;
  kind: 'api_token' | 'jwt' | 'session';
  /** A session's: the API token it was signed in with, if it was (tokens made in it may not outlive that one). */
  signedInWith?: ParentToken | null;
}

/** The identity provider's settings, when one is configured. */
function jwtConfig(): JwtConfig | undefined {
  const e = env();
  if (!e.AUTH_ISSUER || !e.AUTH_AUDIENCE || !e.AUTH_JWKS_URL) return undefined;
  return {
    issuer: e.AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE,
    jwksUrl: e.AUTH_JWKS_URL,
    userClaim: e.AUTH_USER_CLAIM,
    algorithms: e.AUTH_JWT_ALGORITHMS,
    authorizedParties: e.AUTH_AUTHORIZED_PARTIES,
  };
}

/** `Authorization: Bearer <token>` for a token: how clients, docs and tests write the header. */
export function authorization(token: string): string {
  return `${AUTH_SCHEME} ${token}`;
}

function bearer(headers: Headers): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
  return match?.[1];
}

function sessionToken(headers: Headers): string | undefined {
  return parseCookie(headers.get('cookie') ?? '')[sessionCookieName()];
}

const cacheKey = (token: string) => `api_token:${hashToken(token)}`;

/**
 * The caller behind a JWT: the user its identity (`iss`, `sub`) is linked to. A token that does not verify is
 * refused with 401 — the reason goes to the log, not to the caller; an identity that may not come in, with 403.
 */
async function jwtCaller(db: Db, token: string, config: JwtConfig, ttl: number): Promise<Caller> {
  const { subject, userId } = await verifyAppJwt(token, config).catch((err: unknown) => {
    if (err instanceof InvalidJwtError) {
      console.warn(`JWT refused: ${err.message}`);
      throw unauthenticated('The bearer JWT was refused.', true);
    }
    throw err;
  });
  const identity = { issuer: config.issuer, subject };
  const principal = await remembered(`jwt:${JSON.stringify([identity.issuer, subject])}`, ttl, async () => ({
    principal: await userForIdentity(db, identity, userId).catch((err: unknown) => {
      throw err instanceof IdentityRefusedError ? identityRefused(err) : err;
    }),
  }));
  return { principal: principal!, kind: 'jwt' };
}

/** An identity that verified but may not come in: 403, saying why and what an admin can do. */
function identityRefused(err: IdentityRefusedError): DomainError {
  if (err.reason === 'unusable_id') return unauthenticated(`The JWT was refused: ${err.message}.`, true);
  const code = err.reason === 'retired' ? 'identity_retired' : 'identity_not_linked';
  return new DomainError('forbidden', code, `${err.message}.`);
}

/**
 * Who is calling, from the credentials `accept` allows, or null. An Authorization header, when present, is the
 * credential: a bad one is not rescued by a cookie sent alongside it. A JWT that fails verification throws 401
 * with its reason; an identity provider whose keys cannot be fetched throws `JwksUnavailableError` (503).
 */
export async function authenticate(
  db: Db,
  headers: Headers,
  accept: readonly CredentialKind[],
): Promise<Caller | null> {
  const ttl = env().AUTH_CACHE_SECONDS;
  listenForRevocations(); // other instances' revocations reach this one's remembered lookups
  const header = headers.has('authorization');
  if (header) {
    const token = bearer(headers);
    if (!accept.includes('bearer') || !token) return null;
    const config = jwtConfig();
    if (config && looksLikeJwt(token)) return jwtCaller(db, token, config, ttl);
    const principal = await remembered(cacheKey(token), ttl, async () => {
      const owner = await apiTokenOwner(db, token);
      return owner && { principal: { userId: owner.userId, role: owner.role }, validUntil: owner.expiresAt };
    });
    return principal && { principal, kind: 'api_token' };
  }
  const session = accept.includes('session') ? sessionToken(headers) : undefined;
  if (!session) return null;
  const found = await principalForSession(db, session, wallClock());
  if (!found) return null;
  const { signedInWith, ...principal } = found;
  return { principal, kind: 'session', signedInWith };
}

/** Like `authenticate`, for callers that must be someone: 401 otherwise. */
export async function requireCaller(db: Db, headers: Headers, accept: readonly CredentialKind[]): Promise<Caller> {
  const caller = await authenticate(db, headers, accept);
  if (caller) return caller;
  if (!headers.has('authorization') || !bearer(headers)) {
    throw unauthenticated(`Send an API token as Authorization: ${AUTH_SCHEME} <token>.`);
  }
  throw unauthenticated('The API token is unknown or revoked.', true);
}

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A Vercel cron call: the configured secret as a bearer credential. Fails closed without a secret. */
export function requireCronSecret(headers: Headers): void {
  const secret = env().CRON_SECRET;
  const given = bearer(headers);
  if (!secret) throw unauthenticated('CRON_SECRET is not configured.');
  if (!given || !sameSecret(given, secret)) throw unauthenticated('Wrong or missing cron secret.');
}
