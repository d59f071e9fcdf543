import { forbidden } from '@/server/errors';
import { publicOrigin } from './public-origin';

/**
 * A request that changes data must come from our own pages, not another site (CSRF): browsers say where it
 * comes from in `Sec-Fetch-Site` or, older ones, `Origin` — compared with the app's public origin, never with a
 * host the request itself names in X-Forwarded-Host. Requests without either are not from a browser.
 */
export function refuseCrossSite(request: Request): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  const sameSite =
    site !== null
      ? site === 'same-origin' || site === 'none'
      : origin === null || (URL.canParse(origin) && new URL(origin).origin === publicOrigin(request));
  if (!sameSite) throw forbidden('Requests from another site may not change data.', 'Origin');
}
