import { forbidden } from './errors';

/**
 * A request that changes data must come from our own pages, not another site (CSRF): browsers say where it
 * comes from in `Sec-Fetch-Site` or, older ones, `Origin`. Requests without either are not from a browser.
 */
export function refuseCrossSite(request: Request): void {
  if (request.method === 'GET' || request.method === 'HEAD') return;
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  const sameSite =
    site !== null
      ? site === 'same-origin' || site === 'none'
      : origin === null || (URL.canParse(origin) && new URL(origin).host === host);
  if (!sameSite) throw forbidden('Requests from another site may not change data.', 'Origin');
}
