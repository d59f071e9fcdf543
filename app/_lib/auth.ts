import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { authenticate, SESSION_COOKIE } from '@/server/auth/credentials';
import type { Principal } from '@/server/auth/principal';
import { getDb } from '@/server/db';
import { env } from '@/server/env';

/** The signed-in user of this request, from the session cookie (the same check tRPC makes). */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const caller = await authenticate(await getDb(), await headers(), ['session']);
  return caller?.principal ?? null;
});

/** Pages call this first: signed out → the sign-in page, coming back here afterwards. */
export async function requirePrincipal(path: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/signin?next=${encodeURIComponent(path)}`);
  return principal;
}

/** Where each role lands after signing in. */
export function homeOf(role: Principal['role']): string {
  return { lifter: '/dashboard', coach: '/coach', researcher: '/models', admin: '/settings' }[role];
}

/** Only same-site paths: a `next` parameter must never send someone to another origin. */
export function safeNext(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : fallback;
}

/** The client's address, for throttling sign-in: the first hop the platform's proxy recorded. */
export async function clientAddress(): Promise<string> {
  const h = await headers();
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() || h.get('x-real-ip') || 'unknown';
}

export async function setSessionCookie(token: string, expires: Date) {
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().NODE_ENV === 'production',
    path: '/',
    expires,
  });
}

export async function clearSessionCookie() {
  (await cookies()).delete(SESSION_COOKIE);
}

/**
 * The origin the browser used (behind a proxy: the host it forwarded): redirects must stay on it, or the cookies
 * set there are not sent (Next's `request.url` may name `localhost` instead).
 */
export function requestOrigin(request: Request): string {
  const h = request.headers;
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? new URL(request.url).host;
  const proto = h.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
  return `${proto}://${host}`;
}
