import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '@/server/contracts/common';
import { seedProfileVersion, seedSession } from '../fixtures/seed-examples';
import { call } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

/** The JSON text of a body whose free field holds `levels` nested objects, written as text (JSON.stringify recurses). */
const deepText = (levels: number) => `${'{"a":'.repeat(levels - 1)}{"a":1}${'}'.repeat(levels - 1)}`;

const FIELDS: { field: string; path: string; url: string; body: (deep: string) => string }[] = [
  {
    field: 'rec_meta',
    path: 'rec_meta',
    url: '/api/v1/session',
    body: (deep) => JSON.stringify({ ...seedSession, rec_meta: null }).replace('"rec_meta":null', `"rec_meta":${deep}`),
  },
  {
    field: 'a snapshot key',
    path: 'snapshot',
    url: '/api/v1/profile_versions',
    body: (deep) =>
      JSON.stringify({ ...seedProfileVersion, snapshot: { weightKg: 70, extra: null } }).replace(
        '"extra":null',
        `"extra":${deep}`,
      ),
  },
  {
    field: 'rec_payload',
    path: 'rec_payload',
    url: '/api/v1/recommendations',
    body: (deep) => `{"user_id":"user-123","exercise":"Squat","rec_payload":${deep}}`,
  },
  {
    field: 'an instrument payload',
    path: 'payload',
    url: '/api/v1/instrument',
    body: (deep) => `{"type":"session_finished","payload":${deep}}`,
  },
  {
    field: 'a batched instrument payload',
    path: 'events[0].payload',
    url: '/api/v1/instrument',
    body: (deep) => `{"events":[{"type":"session_finished","payload":${deep}}]}`,
  },
];

describe('nestsDeeperThan', () => {
  it.each([
    [1, 0, false],
    [{}, 1, false],
    [{}, 0, true],
    [{ a: [] }, 2, false],
    [{ a: [] }, 1, true],
    [{ a: [1, { b: { c: 'x' } }] }, 4, false],
    [{ a: [1, { b: { c: 'x' } }] }, 3, true],
    ['text', 0, false],
    [null, 0, false],
  ])('%j deeper than %i → %s (only objects and arrays are levels)', (value, limit, expected) => {
    expect(nestsDeeperThan(value, limit)).toBe(expected);
  });

  it('counts a million levels without recursing', () => {
    let v: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(nestsDeeperThan(v, MAX_JSON_DEPTH)).toBe(true);
  });
});

describeEachDatabase(`free JSON nests at most ${MAX_JSON_DEPTH} levels`, (ctx) => {
  let token: string;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
  });

  const send = (url: string, raw: string) =>
    call('POST', url, { token, raw, headers: { 'content-type': 'application/json' } });

  for (const f of FIELDS) {
    it(`${f.field}: 10,000 levels → 400 naming ${f.path}, nothing written`, async () => {
      const before = await rowCounts(ctx.db);
      const res = await send(f.url, f.body(deepText(10_000)));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.issues).toEqual([
        { path: f.path, message: `must nest at most ${MAX_JSON_DEPTH} levels of objects and arrays` },
      ]);
      expect(await rowCounts(ctx.db)).toEqual(before);
    });

    it(`${f.field}: exactly ${MAX_JSON_DEPTH} levels are stored, ${MAX_JSON_DEPTH + 1} are not`, async () => {
      // Inside a snapshot key the snapshot object is the first level.
      const inner = f.path === 'snapshot' ? MAX_JSON_DEPTH - 1 : MAX_JSON_DEPTH;
      expect((await send(f.url, f.body(deepText(inner + 1)))).status).toBe(400);
      expect((await send(f.url, f.body(deepText(inner)))).status).toBeLessThan(300);
    });
  }

  it('a deep value with a NUL escape in it is still refused with 400, not a stack overflow', async () => {
    const deep = `${'['.repeat(50_000)}"a\\u0000"${']'.repeat(50_000)}`;
    const res = await send('/api/v1/instrument', `{"type":"session_finished","payload":{"x":${deep}}}`);
    expect(res.status).toBe(400);
  });
});
