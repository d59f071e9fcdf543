import { cookies } from 'next/headers';
import { type NextRequest, NextResponse } from 'next/server';
import { safeNext } from '@/app/_lib/auth';
import {
  encodePending,
  OidcUnavailableError,
  oidcSettings,
  PENDING_COOKIE,
  PENDING_MINUTES,
  startOidcSignIn,
} from '@/server/auth/oidc';
import { env } from '@/server/env';
import { publicOrigin } from '@/server/http/public-origin';

export const dynamic = 'force-dynamic';

/** "Sign in with the identity provider": off to its authorization endpoint, with PKCE, state and nonce. */
export async function GET(request: NextRequest) {
  const origin = publicOrigin(request);
  const settings = oidcSettings();
  const back = (error: string) => NextResponse.redirect(new URL(`/signin?error=${error}`, origin), 303);
  if (!settings) return back('oidc_off');
  const next = request.nextUrl.searchParams.get('next');
  const redirectUri = settings.redirectUri ?? new URL('/signin/oidc/callback', origin).toString();
  try {
    const { url, pending } = await startOidcSignIn(settings, redirectUri, next ? safeNext(next, '') || null : null);
    (await cookies()).set(PENDING_COOKIE, encodePending(pending), {
      httpOnly: true,
      sameSite: 'lax', // sent on the provider's top-level redirect back here
      secure: env().NODE_ENV === 'production',
      path: '/signin/oidc',
      maxAge: PENDING_MINUTES * 60,
    });
    return NextResponse.redirect(url, 303);
  } catch (err) {
    if (err instanceof OidcUnavailableError) {
      console.error(err.message);
      return back('oidc_unavailable');
    }
    throw err;
  }
}
