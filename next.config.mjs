const production = process.env.NODE_ENV === 'production';

/**
 * Security headers on every response, pages and API alike. The pages' Content-Security-Policy carries a
 * per-response script nonce and is set by `proxy.ts` (`server/http/csp.ts`); API responses get a static one here
 * (keep it in step with `API_CSP` there), so the API path runs no proxy.
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  // Browsers ignore HSTS over plain http (and on localhost); in production the app is served over https only.
  ...(production ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
];

/**
 * The API is served under /api/v1; the same paths without the version (the seed's `/api/session`, …) are rewritten
 * there, so each endpoint has one route file and its settings (e.g. `maxDuration`) hold on both paths. These first
 * segments under /api are served as they are: the versioned API itself, tRPC, the cron routes, the benchmark's
 * route, the health check and the OpenAPI document (tests/helpers/api.ts applies these rewrites with Next's own
 * matcher).
 */
const API_SERVED_AS_IS = ['v1', 'trpc', 'cron', 'bench', 'health', 'openapi.json'];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ['@electric-sql/pglite'],
  // The e2e run builds into its own folder so it never fights a running `next dev` over `.next`.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  typedRoutes: false,
  // `npm test` type-checks the whole project (`tsc --noEmit`) before it builds for Playwright; the build need not
  // do it again (NEXT_SKIP_TYPECHECK=1, set by scripts/e2e.ts only).
  typescript: { ignoreBuildErrors: process.env.NEXT_SKIP_TYPECHECK === '1' },
  async rewrites() {
    const asIs = API_SERVED_AS_IS.map((segment) => segment.replace('.', '\\.')).join('|');
    // The lookahead sees the rest of the path: a first segment served as is, whether more follows or not.
    return [{ source: `/api/:first((?!(?:${asIs})(?:/|$))[^/]+)/:rest*`, destination: '/api/v1/:first/:rest*' }];
  },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
