/**
 * Content-Security-Policy for the app's pages: scripts only from our origin and carrying this response's nonce
 * (`'strict-dynamic'` lets those load the chunks they import), so an injected `<script>` does not run. Styles
 * keep `'unsafe-inline'`: recharts positions its SVG with `style` attributes, which no nonce can cover (and a
 * nonce in `style-src` would switch `'unsafe-inline'` off in browsers).
 */
export function pageCsp(nonce: string, opts: { dev: boolean }): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its error overlay and stack traces; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? ' ws: wss:' : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** API responses are JSON or CSV: a browser that opens one directly may load nothing and frame nothing. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** 128 random bits, base64: unguessable, and a valid CSP nonce-source. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}
