'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { clearSessionCookie, clientAddress, homeOf, safeNext, setSessionCookie } from '@/app/_lib/auth';
import { sessionCookieName } from '@/server/auth/credentials';
import { endWebSession, type SignInAttempt, signIn } from '@/server/auth/web-sessions';
import { getDb } from '@/server/db';
import { ApiError } from '@/server/http/errors';
import { throttledSignIn } from '@/server/http/sign-in';
import { wallClock } from '@/server/time/clock';

/** Signs in, or back to the sign-in page with the reason (`error=token|demo|throttled`), keeping `next`. */
async function signInAndGo(attempt: SignInAttempt, next: FormDataEntryValue | null, failure: string) {
  const keepNext = typeof next === 'string' && next ? `&next=${encodeURIComponent(next)}` : '';
  let started: Awaited<ReturnType<typeof signIn>>;
  try {
    const db = await getDb();
    started = await throttledSignIn(await clientAddress(), () => signIn(db, attempt, wallClock()));
  } catch (err) {
    if (err instanceof ApiError && err.status === 429) redirect(`/signin?error=throttled${keepNext}`);
    throw err;
  }
  if (!started) redirect(`/signin?error=${failure}${keepNext}`);
  await setSessionCookie(started.token, started.expiresAt);
  redirect(safeNext(next, homeOf(started.principal.role)));
}

export async function signInWithToken(formData: FormData) {
  await signInAndGo({ method: 'token', token: String(formData.get('token') ?? '') }, formData.get('next'), 'token');
}

export async function signInDemo(formData: FormData) {
  const who = formData.get('who');
  const persona = who === 'coach' || who === 'researcher' ? who : 'lifter';
  await signInAndGo({ method: 'demo', persona }, formData.get('next'), 'demo');
}

export async function signOut() {
  const token = (await cookies()).get(sessionCookieName())?.value;
  await endWebSession(await getDb(), token);
  await clearSessionCookie();
  redirect('/signin');
}
