import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { msAgo } from '../tests/helpers/clock';
import { demoToken } from './demo';

// The REST contract over real HTTP, through the production build.
test.describe('REST API over HTTP', () => {
  // Posted as the second lifter so the dashboard specs see the demo lifter's seeded history untouched.
  const session = {
    user_id: 'user-456',
    date: msAgo(3600_000).toISOString(),
    day_type: 'Chest',
    finished: true,
    calories: 2600,
    sets: [
      {
        exercise: 'Incline Dumbbell Press',
        set_number: 1,
        rec_weight: 18.5,
        rec_reps: 6,
        actual_weight: 18.5,
        actual_reps: 6,
        intensity: 7,
      },
    ],
  };

  test('POST /api/session with a retry under one Idempotency-Key answers the same session twice', async ({
    request,
  }) => {
    const headers = { authorization: `Bearer ${demoToken('user-456')}`, 'idempotency-key': `e2e-${randomUUID()}` };
    const first = await request.post('/api/session', { data: session, headers });
    expect(first.status()).toBe(201);
    const retry = await request.post('/api/v1/session', { data: session, headers });
    expect(retry.status()).toBe(201);
    expect(await retry.json()).toEqual(await first.json());
    expect(retry.headers()['idempotency-replayed']).toBe('true');
  });

  test('no token → 401, someone else’s data → 403, bad field → 400 naming it', async ({ request }) => {
    expect((await request.post('/api/session', { data: session })).status()).toBe(401);
    const other = await request.post('/api/session', {
      data: session,
      headers: { authorization: `Bearer ${demoToken('user-123')}` },
    });
    expect(other.status()).toBe(403);
    const bad = await request.post('/api/session', {
      data: { ...session, calories: -1 },
      headers: { authorization: `Bearer ${demoToken('user-456')}` },
    });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe('calories');
  });

  test('GET /api/analytics reports the seeded plateau; a coach may read it, another lifter may not', async ({
    request,
  }) => {
    const url = '/api/analytics?user_id=user-123&range=30d';
    const res = await request.get(url, { headers: { authorization: `Bearer ${demoToken('user-123')}` } });
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.plateaus.map((p: { exercise: string }) => p.exercise)).toEqual(['Bench Press']);
    expect(body.prs['Bench Press']).toBe(80);
    expect((await request.get(url, { headers: { authorization: `Bearer ${demoToken('coach-1')}` } })).status()).toBe(
      200,
    );
    expect((await request.get(url, { headers: { authorization: `Bearer ${demoToken('user-456')}` } })).status()).toBe(
      403,
    );
  });

  test('serves the OpenAPI document and a readable docs page', async ({ request, page }) => {
    const doc = await (await request.get('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/session', '/api/v1/instrument']));
    await page.goto('/docs');
    await expect(page.getByRole('heading', { level: 1, name: 'Overload API' })).toBeVisible();
    await expect(page.locator('#createSession')).toContainText('/api/v1/session');
    await expect(page.locator('#schema-SetInput')).toContainText('rec_weight');
  });

  test('every response carries the security headers, pages and API alike', async ({ request }) => {
    for (const path of ['/', '/dashboard', '/api/health', '/api/v1/session', '/api/openapi.json']) {
      const res = await request.get(path, { maxRedirects: 0 });
      const h = res.headers();
      expect(h['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(h['content-security-policy'], path).toContain(
        path.startsWith('/api/') ? "default-src 'none'" : "default-src 'self'",
      );
      expect(h['x-content-type-options'], path).toBe('nosniff');
      expect(h['x-frame-options'], path).toBe('DENY');
      // The e2e server is the production build: HSTS is on.
      expect(h['strict-transport-security'], path).toMatch(/max-age=\d{8}/);
      expect(h['x-powered-by'], path).toBeUndefined();
    }
  });

  test('pages allow only scripts carrying their response’s own nonce', async ({ request }) => {
    const nonces = new Set<string>();
    for (const path of ['/', '/signin', '/docs', '/signin']) {
      const res = await request.get(path);
      const csp = res.headers()['content-security-policy']!;
      const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src '))!;
      expect(scriptSrc, path).not.toContain('unsafe-inline');
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce!);
      // Every script of the page, framework chunks and inline hydration data alike, carries that nonce.
      const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size, 'a fresh nonce per response').toBe(4);
  });

  test('privacy endpoints over HTTP: consent, export as CSV', async ({ request }) => {
    const auth = { authorization: `Bearer ${demoToken('user-456')}` };
    const consent = await request.post('/api/v1/consent', { data: { analytics: true }, headers: auth });
    expect(consent.status()).toBe(200);
    expect(await consent.json()).toMatchObject({ analytics: true });
    const csv = await request.get('/api/v1/export?format=csv', { headers: auth });
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toBe(
      'date,performed_at,day_type,session_id,exercise,set_number,rec_weight,rec_reps,actual_weight,actual_reps,intensity,done',
    );
  });
});
