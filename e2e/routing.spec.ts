import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * One route file per endpoint, under /api/v1; the unversioned paths reach the same file through next.config.mjs's
 * rewrite — with that route's settings, as the production build records them.
 */
const distDir = process.env.NEXT_DIST_DIR ?? '.next-e2e';
const manifest = (name: string) => JSON.parse(readFileSync(path.join(distDir, name), 'utf8'));

test('an unversioned path is served by its /api/v1 route, settings included', async ({ request }) => {
  const functions = manifest('server/functions-config-manifest.json').functions as Record<
    string,
    { maxDuration?: number }
  >;
  expect(functions['/api/v1/imports']?.maxDuration).toBe(120);
  expect(Object.keys(functions)).not.toContain('/api/imports'); // no copy: the rewrite serves it
  for (const prefix of ['/api', '/api/v1']) {
    const res = await request.post(`${prefix}/imports?unit=kg`, { data: 'x', headers: { 'content-type': 'text/csv' } });
    expect(res.status()).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  }
});

test('an unknown API path answers the API’s JSON 404, versioned or not', async ({ request }) => {
  for (const url of ['/api/nope', '/api/v1/nope', '/api/sessions/x/y/z']) {
    const res = await request.get(url);
    expect(res.status(), url).toBe(404);
    expect((await res.json()).error.code, url).toBe('not_found');
  }
});
