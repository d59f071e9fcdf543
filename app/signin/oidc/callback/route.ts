import { cookies } from 'next/headers';
import { type NextRequest, NextResponse } from 'next/server';
import { clientAddress, homeOf, safeNext, setSessionCookie } from '@/app/_lib/auth';
import {
  decodePending,
  finishOidcSignIn,
  OidcRefusedError,
  OidcUnavailableError,
  oidcSettings,
  PENDING_COOKIE,
} from '@/server/auth/oidc';
import { getDb } from '@/server/db';
import { ApiError } from '@/server/http/errors';
import { publicOrigin } from '@/server/http/public-origin';
import { throttledSignIn } from '@/server/http/sign-in';
import { wallClock } from '@/server/time/clock';

export const dynamic = 'force-dynamic';

/** The provider sends the person back here: check its answer, start a session, go where they were going. */
export async function GET(request: NextRequest) {
  const origin = publicOrigin(request);
  const settings = oidcSettings();
  const jar = await cookies();
  const pending = decodePending(jar.get(PENDING_COOKIE)?.value);
  jar.delete({ name: PENDING_COOKIE, path: '/signin/oidc' }); // one answer per sign-in
  const back = (error: string) =>
    NextResponse.redirect(
      new URL(`/signin?error=${error}${pending?.next ? `&next=${encodeURIComponent(pending.next)}` : ''}`, origin),
      303,
    );
  if (!settings) return back('oidc_off');
  if (!pending) return back('oidc');
  // The URL the provider redirected to, as registered (a proxy may have changed the host we see).
  const callbackUrl = new URL(pending.redirectUri);
  callbackUrl.search = request.nextUrl.search;
  try {
    const db = await getDb();
    const started = await throttledSignIn(await clientAddress(), () =>
      finishOidcSignIn(db, settings, callbackUrl, pending, wallClock()),
    );
    await setSessionCookie(started.token, started.expiresAt);
    return NextResponse.redirect(new URL(safeNext(pending.next, homeOf(started.principal.role)), origin), 303);
  } catch (err) {
    if (err instanceof OidcRefusedError) {
      console.warn(`OIDC sign-in refused: ${err.message}`);
      return back(err.reason === 'not_linked' || err.reason === 'retired' ? 'oidc_unlinked' : 'oidc');
    }
    if (err instanceof OidcUnavailableError) return back('oidc_unavailable');
    if (err instanceof ApiError && err.status === 429) return back('throttled');
    throw err;
  }
}
