import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { seedFeedback, seedProfileVersion, seedSession } from '../fixtures/seed-examples';
import { call } from '../helpers/api';
import { today } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

/**
 * Random and mutated bodies at every endpoint: never a 5xx, and the database changes only when the answer
 * is a 2xx. Mutations start from valid bodies so they reach deep into the validation and the services.
 */
const valid: Record<string, unknown> = {
  '/api/v1/profile_versions': seedProfileVersion,
  '/api/v1/session': seedSession,
  '/api/v1/recommendations': { user_id: 'user-123', id: 'rec-1', exercise: 'Bench Press', rec_payload: { w: 80 } },
  '/api/v1/feedback': seedFeedback,
  '/api/v1/instrument': { events: [{ type: 'session_submitted', payload: {} }] },
  '/api/v1/consent': { user_id: 'user-123', analytics: true },
  '/api/v1/coaching/invites': { expires_in_days: 7 },
  '/api/v1/coaching/accept': { code: 'ovi_unknown' },
  '/api/v1/exercises/rename': { from: 'Incline Dumbbell Press', to: 'Incline DB Press' },
  '/api/v1/admin/coach-links': { athlete_id: 'user-123', coach_id: 'user-999' },
  '/api/v1/deloads': {
    kind: 'block',
    week_start: addDays(isoWeekStart(today()), 7),
    build_weeks: 3,
    cycles: 2,
    exercises: ['Bench Press'],
    load_factor: 0.8,
    set_factor: 0.6,
  },
};

const weird = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    null,
    '',
    ' ',
    -1,
    0,
    1e308,
    -1e-308,
    1001,
    10.5,
    '2025-02-30',
    '1999-01-01',
    'user-999',
    true,
    [],
    {},
  ),
  fc.string({ maxLength: 300 }),
  // Text Postgres refuses (NUL) or cannot store in jsonb (lone surrogates), anywhere in the body.
  fc.constantFrom('a\u0000b', '\ud800', 'x\udfffy', { 'k\u0000': 1 }, ['\u0000']),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

type Json = unknown;

/** Replace, delete or add at a random path of a JSON value. */
function mutate(value: Json, path: number[], replacement: Json, op: 'replace' | 'delete' | 'add'): Json {
  if (path.length === 0 || value === null || typeof value !== 'object')
    return op === 'delete' ? undefined : replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    if (value.length === 0) return op === 'add' ? [replacement] : value;
    const i = head! % value.length;
    const copy = [...value];
    if (rest.length === 0 && op === 'delete') copy.splice(i, 1);
    else copy[i] = mutate(copy[i], rest, replacement, op);
    return copy;
  }
  const obj = { ...(value as Record<string, Json>) };
  const keys = Object.keys(obj);
  if (keys.length === 0 || (rest.length === 0 && op === 'add')) {
    obj[`k${head}`] = replacement;
    return obj;
  }
  const key = keys[head! % keys.length]!;
  if (rest.length === 0 && op === 'delete') delete obj[key];
  else obj[key] = mutate(obj[key], rest, replacement, op);
  return obj;
}

const mutation = fc.record({
  path: fc.array(fc.nat(20), { minLength: 1, maxLength: 4 }),
  replacement: weird,
  op: fc.constantFrom('replace' as const, 'delete' as const, 'add' as const),
});

describeEachDatabase('fuzzing every endpoint', (ctx) => {
  let token: string;
  let sessionPath: string;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    await createUser(ctx.db, 'user-999');
    const created = await call('POST', '/api/v1/session', { token, json: seedSession });
    sessionPath = `/api/v1/sessions/${created.body.session_id}`;
  });

  // The counts as the last check left them: only a 2xx may change them, so only a 2xx needs a fresh count.
  let counts: Record<string, number> | undefined;
  async function check(path: string, body: Json, raw?: string, method = 'POST') {
    counts ??= await rowCounts(ctx.db);
    const res = await call(method, path, {
      token,
      raw: raw ?? JSON.stringify(body) ?? 'undefined',
      headers: { 'content-type': 'application/json', 'if-match': '*' },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
    expect(res.body).toBeTypeOf('object');
    if (res.status >= 300) {
      expect(res.body.error.code).toBeTypeOf('string');
      expect(await rowCounts(ctx.db)).toEqual(counts);
    } else counts = undefined;
  }

  for (const path of Object.keys(valid)) {
    describe(path, () => {
      it('mutated valid bodies never 5xx and write only on 2xx', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
            let body: Json = valid[path];
            for (const m of mutations) body = mutate(body, m.path, m.replacement, m.op);
            await check(path, body);
          }),
          { numRuns: 60 },
        );
      });

      it('arbitrary JSON and arbitrary text never 5xx', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
              fc.string(),
            ),
            async (raw) => {
              await check(path, undefined, raw);
            },
          ),
          { numRuns: 40 },
        );
      });
    });
  }

  describe('PATCH /api/v1/sessions/{id}', () => {
    const validPatch = { day_type: 'Push', calories: 2000, sets: seedSession.sets };
    it('mutated corrections never 5xx and write only on 2xx', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          let body: Json = validPatch;
          for (const m of mutations) body = mutate(body, m.path, m.replacement, m.op);
          await check(sessionPath, body, undefined, 'PATCH');
        }),
        { numRuns: 60 },
      );
    });
  });

  it('GET /api/v1/sessions with arbitrary query values never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ from: weird, to: weird, cursor: weird, limit: weird }, { requiredKeys: [] }),
        async (query) => {
          const text = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
          const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, text(v)]));
          const res = await call('GET', `/api/v1/sessions?${params}`, { token });
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
  });
});
