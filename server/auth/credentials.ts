import { createHash, timingSafeEqual } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import type { Db } from '@/db/client';
import { env } from '@/server/env';
import { ApiError } from '@/server/http/errors';
import { remembered } from './credential-cache';
import { apiTokenOwner, type Principal, principalForSession } from './principal';
import { hashToken } from './tokens';

/**
 * Every credential the service accepts is read here, and only here:
 * - an API token, `Authorization: Bearer ovl_…` (the app, scripts; REST and tRPC);
 * - a dashboard session, the `overload_session` cookie (tRPC and pages);
 * - the cron secret, `Authorization: Bearer $CRON_SECRET` (Vercel cron routes).
 * API-token lookups are remembered for a few seconds (`credential-cache.ts`): they are on every ingest request.
 * Session lookups are not: dashboard traffic is light, and signing out or revoking then ends a session in every
 * process at once.
 */
export const AUTH_SCHEME = 'Bearer';
export const SESSION_COOKIE = 'overload_session';

export type CredentialKind = 'api_token' | 'session';

export interface Caller {
  principal: Principal;
  kind: CredentialKind;
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
  return parseCookie(headers.get('cookie') ?? '')[SESSION_COOKIE];
}

const cacheKey = (token: string) => `api_token:${hashToken(token)}`;

/**
 * Who is calling, from the credentials `accept` allows, or null. An Authorization header, when present, is the
 * credential: a bad one is not rescued by a cookie sent alongside it.
 */
export async function authenticate(
  db: Db,
  headers: Headers,
  accept: readonly CredentialKind[],
): Promise<Caller | null> {
  const ttl = env().AUTH_CACHE_SECONDS;
  const header = headers.has('authorization');
  if (header) {
    const token = bearer(headers);
    if (!accept.includes('api_token') || !token) return null;
    const principal = await remembered(cacheKey(token), ttl, async () => {
      const owner = await apiTokenOwner(db, token);
      return owner && { userId: owner.userId, role: owner.role };
    });
    return principal && { principal, kind: 'api_token' };
  }
  const session = accept.includes('session') ? sessionToken(headers) : undefined;
  if (!session) return null;
  const principal = await principalForSession(db, session);
  return principal && { principal, kind: 'session' };
}

export function unauthorized(message: string, invalidToken = false): ApiError {
  return new ApiError(401, 'unauthorized', message, undefined, {
    'www-authenticate': invalidToken ? `${AUTH_SCHEME} error="invalid_token"` : AUTH_SCHEME,
  });
}

/** Like `authenticate`, for callers that must be someone: 401 otherwise. */
export async function requireCaller(db: Db, headers: Headers, accept: readonly CredentialKind[]): Promise<Caller> {
  const caller = await authenticate(db, headers, accept);
  if (caller) return caller;
  if (!headers.has('authorization') || !bearer(headers)) {
    throw unauthorized(`Send an API token as Authorization: ${AUTH_SCHEME} <token>.`);
  }
  throw unauthorized('The API token is unknown or revoked.', true);
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
  if (!secret) throw unauthorized('CRON_SECRET is not configured.');
  if (!given || !sameSecret(given, secret)) throw unauthorized('Wrong or missing cron secret.');
}
