import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { authenticate, sessionCookieName } from '@/server/auth/credentials';
import type { Principal } from '@/server/auth/principal';
import { getDb } from '@/server/db';
import { env } from '@/server/env';
import { clientAddressOf } from '@/server/http/client-address';

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

/** The client's address, for throttling sign-in (server/http/client-address.ts says which). */
export async function clientAddress(): Promise<string> {
  return clientAddressOf(await headers());
}

export async function setSessionCookie(token: string, expires: Date) {
  (await cookies()).set(sessionCookieName(), token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().NODE_ENV === 'production',
    path: '/',
    expires,
  });
}

/** Expires the cookie with the attributes it was set with: a `__Host-` cookie is only replaced by a Secure one. */
export async function clearSessionCookie() {
  (await cookies()).set(sessionCookieName(), '', {
    httpOnly: true,
    sameSite: 'lax',
    secure: env().NODE_ENV === 'production',
    path: '/',
    maxAge: 0,
  });
}
