'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { clearSessionCookie, safeNext, setSessionCookie } from '@/app/_lib/auth';
import { endWebSession, SESSION_COOKIE, signInAsDemo, signInWithApiToken } from '@/server/auth/web-sessions';
import { getDb } from '@/server/db';

const home = (role: 'lifter' | 'coach') => (role === 'coach' ? '/coach' : '/dashboard');

export async function signInWithToken(formData: FormData) {
  const token = String(formData.get('token') ?? '');
  const next = formData.get('next');
  const result = token ? await signInWithApiToken(await getDb(), token) : null;
  if (!result) {
    redirect(`/signin?error=token${typeof next === 'string' && next ? `&next=${encodeURIComponent(next)}` : ''}`);
  }
  await setSessionCookie(result.token, result.expiresAt);
  redirect(safeNext(next, home(result.principal.role)));
}

export async function signInDemo(formData: FormData) {
  const who = formData.get('who') === 'coach' ? 'coach' : 'lifter';
  const result = await signInAsDemo(await getDb(), who);
  if (!result) redirect('/signin?error=demo');
  await setSessionCookie(result.token, result.expiresAt);
  redirect(home(result.principal.role));
}

export async function signOut() {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  await endWebSession(await getDb(), token);
  await clearSessionCookie();
  redirect('/signin');
}
