import { type NextRequest, NextResponse } from 'next/server';
import { newNonce, pageCsp } from '@/server/http/csp';

/**
 * Pages only (see `config`): a fresh nonce per page response. Next.js reads it from the request's
 * Content-Security-Policy header while rendering and puts it on every script it emits. API routes never come
 * through here — they keep their one static header from next.config.mjs and pay nothing for this.
 */
export function proxy(request: NextRequest) {
  const csp = pageCsp(newNonce(), { dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Not the API, not Next's own paths (static files, the dev server's HMR socket), not next/link prefetches
      // (RSC payloads, not documents).
      source: '/((?!api/|_next/|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
