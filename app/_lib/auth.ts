import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { Principal } from '@/server/auth/principal';
import { principalForSession, SESSION_COOKIE } from '@/server/auth/web-sessions';
import { getDb } from '@/server/db';
import { env } from '@/server/env';

/** The signed-in user of this request, from the session cookie. */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return principalForSession(await getDb(), token);
});

/** Pages call this first: signed out → the sign-in page, coming back here afterwards. */
export async function requirePrincipal(path: string): Promise<Principal> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/signin?next=${encodeURIComponent(path)}`);
  return principal;
}

/** Only same-site paths: a `next` parameter must never send someone to another origin. */
export function safeNext(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : fallback;
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
