import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFeedback, seedProfileVersion, seedSession } from '../fixtures/seed-examples';
import { call, post } from '../helpers/api';
import { daysAgo } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

type Body = Record<string, any>;
/** [what is wrong, the body to send, expected status, the field the error must name] */
type Case = [string, Body, number, string];

const clone = <T>(v: T): T => structuredClone(v);
const withSet = (patch: Body, index = 0): Body => {
  const b = clone(seedSession) as Body;
  b.sets[index] = { ...b.sets[index], ...patch };
  return b;
};
const without = (b: Body, key: string): Body => {
  const c = clone(b);
  delete c[key];
  return c;
};
const tooFarAhead = daysAgo(-10);

const profileCases: Case[] = [
  ['missing user_id', without(seedProfileVersion, 'user_id'), 400, 'user_id'],
  ['user_id not a string', { ...seedProfileVersion, user_id: 123 }, 400, 'user_id'],
  ['missing snapshot', without(seedProfileVersion, 'snapshot'), 400, 'snapshot'],
  ['snapshot not an object', { ...seedProfileVersion, snapshot: 'fat' }, 400, 'snapshot'],
  ['weightKg a string', { ...seedProfileVersion, snapshot: { weightKg: '70' } }, 400, 'snapshot.weightKg'],
  ['weightKg negative', { ...seedProfileVersion, snapshot: { weightKg: -1 } }, 400, 'snapshot.weightKg'],
  ['heightCm absurd', { ...seedProfileVersion, snapshot: { heightCm: 900 } }, 400, 'snapshot.heightCm'],
  ['age fractional', { ...seedProfileVersion, snapshot: { age: 20.5 } }, 400, 'snapshot.age'],
  ['sex unknown value', { ...seedProfileVersion, snapshot: { sex: 'yes' } }, 400, 'snapshot.sex'],
  [
    'idealWeightGoal zero',
    { ...seedProfileVersion, snapshot: { idealWeightGoal: 0 } },
    400,
    'snapshot.idealWeightGoal',
  ],
  ['timeZone not IANA', { ...seedProfileVersion, snapshot: { timeZone: 'Mars/Base' } }, 400, 'snapshot.timeZone'],
  ['missing effective_date', without(seedProfileVersion, 'effective_date'), 400, 'effective_date'],
  ['effective_date not a date', { ...seedProfileVersion, effective_date: '24/11/2025' }, 400, 'effective_date'],
  ['effective_date impossible', { ...seedProfileVersion, effective_date: '2025-02-30' }, 400, 'effective_date'],
  ['effective_date in 1999', { ...seedProfileVersion, effective_date: '1999-12-31' }, 400, 'effective_date'],
  ['effective_date far ahead', { ...seedProfileVersion, effective_date: tooFarAhead }, 400, 'effective_date'],
  ['source not user|auto', { ...seedProfileVersion, source: 'coach' }, 400, 'source'],
  ['notes too long', { ...seedProfileVersion, notes: 'x'.repeat(2001) }, 400, 'notes'],
  ['unknown top-level key', { ...seedProfileVersion, weight: 70 }, 400, 'weight'],
];

const sessionCases: Case[] = [
  ['missing user_id', without(seedSession, 'user_id'), 400, 'user_id'],
  ['missing date', without(seedSession, 'date'), 400, 'date'],
  ['date garbage', { ...seedSession, date: 'yesterday' }, 400, 'date'],
  ['date without zone', { ...seedSession, date: '2025-11-24T12:34:00' }, 400, 'date'],
  ['date in the far future', { ...seedSession, date: `${tooFarAhead}T10:00:00Z` }, 400, 'date'],
  ['date before 2000', { ...seedSession, date: '1999-01-01' }, 400, 'date'],
  ['finished not boolean', { ...seedSession, finished: 'yes' }, 400, 'finished'],
  ['calories negative', { ...seedSession, calories: -5 }, 400, 'calories'],
  ['calories absurd', { ...seedSession, calories: 20_001 }, 400, 'calories'],
  ['calories fractional', { ...seedSession, calories: 2600.5 }, 400, 'calories'],
  ['day_type empty', { ...seedSession, day_type: '' }, 400, 'day_type'],
  ['missing sets', without(seedSession, 'sets'), 400, 'sets'],
  ['sets not an array', { ...seedSession, sets: {} }, 400, 'sets'],
  ['set without exercise', withSet({ exercise: undefined }), 400, 'sets[0].exercise'],
  ['set_number zero', withSet({ set_number: 0 }), 400, 'sets[0].set_number'],
  ['rec_weight over 1000 kg', withSet({ rec_weight: 1000.5 }), 400, 'sets[0].rec_weight'],
  ['actual_weight negative', withSet({ actual_weight: -2.5 }), 400, 'sets[0].actual_weight'],
  ['actual_reps over 100', withSet({ actual_reps: 101 }), 400, 'sets[0].actual_reps'],
  ['rec_reps fractional', withSet({ rec_reps: 5.5 }), 400, 'sets[0].rec_reps'],
  ['intensity over 10', withSet({ intensity: 11 }), 400, 'sets[0].intensity'],
  ['done set without actual_reps', withSet({ actual_reps: undefined }), 400, 'sets[0].actual_reps'],
  ['unknown key in a set', withSet({ rpe: 7 }), 400, 'sets[0].rpe'],
  [
    'duplicate set_number',
    { ...seedSession, sets: [seedSession.sets[0], { ...seedSession.sets[0], set_number: 1 }] },
    400,
    'sets[1].set_number',
  ],
  ['rec_meta not an object', { ...seedSession, rec_meta: [1, 2] }, 400, 'rec_meta'],
  ['rec_meta.rec_source not a string', { ...seedSession, rec_meta: { rec_source: 7 } }, 400, 'rec_meta.rec_source'],
  [
    'rec_meta.rec_source too long',
    { ...seedSession, rec_meta: { rec_source: 'x'.repeat(65) } },
    400,
    'rec_meta.rec_source',
  ],
  [
    'a lone surrogate deep in rec_meta',
    { ...seedSession, rec_meta: { plan: ['ok', '\ud800'] } },
    400,
    'rec_meta.plan[1]',
  ],
];

const recommendationBody = { user_id: 'user-123', exercise: 'Bench Press', rec_payload: { weight: 80, reps: 5 } };
const recommendationCases: Case[] = [
  ['missing user_id', without(recommendationBody, 'user_id'), 400, 'user_id'],
  ['missing exercise', without(recommendationBody, 'exercise'), 400, 'exercise'],
  ['exercise blank', { ...recommendationBody, exercise: '   ' }, 400, 'exercise'],
  ['exercise too long', { ...recommendationBody, exercise: 'x'.repeat(121) }, 400, 'exercise'],
  ['exercise a number', { ...recommendationBody, exercise: 5 }, 400, 'exercise'],
  ['missing rec_payload', without(recommendationBody, 'rec_payload'), 400, 'rec_payload'],
  ['rec_payload a string', { ...recommendationBody, rec_payload: 'heavy' }, 400, 'rec_payload'],
  ['rec_payload null', { ...recommendationBody, rec_payload: null }, 400, 'rec_payload'],
  ['rec_payload over 64 KB', { ...recommendationBody, rec_payload: { blob: 'x'.repeat(70_000) } }, 400, 'rec_payload'],
  ['rec_source empty', { ...recommendationBody, rec_source: '' }, 400, 'rec_source'],
  ['rec_source a list', { ...recommendationBody, rec_source: ['po'] }, 400, 'rec_source'],
  ['id with spaces', { ...recommendationBody, id: 'rec 456' }, 400, 'id'],
  ['id empty', { ...recommendationBody, id: '' }, 400, 'id'],
  ['id too long', { ...recommendationBody, id: 'r'.repeat(101) }, 400, 'id'],
  ['unknown key', { ...recommendationBody, weight: 80 }, 400, 'weight'],
];

const feedbackCases: Case[] = [
  ['missing user_id', without(seedFeedback, 'user_id'), 400, 'user_id'],
  ['missing ref_type', without(seedFeedback, 'ref_type'), 400, 'ref_type'],
  ['ref_type unknown', { ...seedFeedback, ref_type: 'set' }, 400, 'ref_type'],
  ['missing ref_id', without(seedFeedback, 'ref_id'), 400, 'ref_id'],
  ['ref_id empty', { ...seedFeedback, ref_id: '' }, 400, 'ref_id'],
  ['ref_id a number', { ...seedFeedback, ref_id: 456 }, 400, 'ref_id'],
  ['missing helpful', without(seedFeedback, 'helpful'), 400, 'helpful'],
  ['helpful as a string', { ...seedFeedback, helpful: 'true' }, 400, 'helpful'],
  ['helpful as 1', { ...seedFeedback, helpful: 1 }, 400, 'helpful'],
  ['notes too long', { ...seedFeedback, notes: 'n'.repeat(2001) }, 400, 'notes'],
  ['notes a number', { ...seedFeedback, notes: 5 }, 400, 'notes'],
  ['unknown key', { ...seedFeedback, rating: 5 }, 400, 'rating'],
  ['notes with a NUL character', { ...seedFeedback, notes: 'felt\u0000right' }, 400, 'notes'],
  ['recommendation that does not exist', { ...seedFeedback, ref_id: 'rec-nope' }, 404, 'ref_id'],
  ['session id that is not a uuid', { ...seedFeedback, ref_type: 'session', ref_id: 'ses-1' }, 404, 'ref_id'],
  [
    'session that does not exist',
    { ...seedFeedback, ref_type: 'session', ref_id: '00000000-0000-4000-8000-000000000000' },
    404,
    'ref_id',
  ],
];

const event = { type: 'session_submitted', payload: { sets: 1 } };
const instrumentCases: Case[] = [
  ['missing type', { payload: {} }, 400, 'type'],
  ['type unknown', { ...event, type: 'clicked' }, 400, 'type'],
  ['missing payload', { type: 'session_finished' }, 400, 'payload'],
  ['payload a string', { ...event, payload: 'x' }, 400, 'payload'],
  ['event_id not a uuid', { ...event, event_id: 'abc' }, 400, 'event_id'],
  ['occurred_at garbage', { ...event, occurred_at: 'now' }, 400, 'occurred_at'],
  ['sent_at without zone', { ...event, sent_at: '2025-11-24T12:00:00' }, 400, 'sent_at'],
  ['event over 32 KB', { ...event, payload: { blob: 'x'.repeat(33 * 1024) } }, 400, '(body)'],
  ['unknown key', { ...event, level: 'info' }, 400, 'level'],
  ['user_id not a string', { ...event, user_id: 7 }, 400, 'user_id'],
  ['empty batch', { events: [] }, 400, 'events'],
  ['batch over 1,000 events', { events: Array.from({ length: 1001 }, () => event) }, 400, 'events'],
  ['bad event inside a batch', { events: [event, event, { ...event, type: 'nope' }] }, 400, 'events[2].type'],
  [
    'event over 32 KB inside a batch',
    { events: [{ ...event, payload: { b: 'x'.repeat(33 * 1024) } }] },
    400,
    'events[0]',
  ],
  ['batch sent_at garbage', { sent_at: 'later', events: [event] }, 400, 'sent_at'],
  ['events not an array', { events: event }, 400, 'events'],
];

const endpoints: { path: string; body: Body; cases: Case[]; limitKb: number }[] = [
  { path: '/api/v1/profile_versions', body: seedProfileVersion, cases: profileCases, limitKb: 256 },
  { path: '/api/v1/session', body: seedSession, cases: sessionCases, limitKb: 256 },
  { path: '/api/v1/recommendations', body: recommendationBody, cases: recommendationCases, limitKb: 256 },
  { path: '/api/v1/feedback', body: seedFeedback, cases: feedbackCases, limitKb: 256 },
  { path: '/api/v1/instrument', body: event, cases: instrumentCases, limitKb: 1024 },
];

describeEachDatabase('bad input', (ctx) => {
  let token: string;
  let before: Record<string, number>;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    before = await rowCounts(ctx.db);
  });
  afterAll(async () => {
    // Not one of the requests below may have written anything.
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  for (const ep of endpoints) {
    describe(ep.path, () => {
      it('has at least 15 field cases', () => expect(ep.cases.length).toBeGreaterThanOrEqual(15));

      const named = ep.cases.map(([what, body, status, field]) => ({ what, body, status, field }));
      it.each(named)('$what → $status naming $field', async ({ body, status, field }) => {
        const res = await post(ep.path, body, token);
        expect(res.status).toBe(status);
        expect(res.body.error.code).toBe(status === 404 ? 'not_found' : 'validation_failed');
        expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
      });

      it('malformed JSON → 400 invalid_json', async () => {
        const res = await call('POST', ep.path, {
          token,
          raw: '{"user_id": "user-123",',
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_json');
      });

      it('empty body → 400 invalid_json', async () => {
        const res = await call('POST', ep.path, { token, raw: '', headers: { 'content-type': 'application/json' } });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_json');
      });

      it.each([
        ['a JSON array', []],
        ['JSON null', null],
        ['a JSON string', 'hello'],
      ])('%s instead of an object → 400 naming the body', async (_what, value) => {
        const res = await post(ep.path, value, token);
        expect(res.status).toBe(400);
        expect(res.body.error.issues[0].path).toMatch(/^\(body\)|^type$|^events$/);
      });

      it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['']])('Content-Type %j → 415', async (type) => {
        const res = await call('POST', ep.path, {
          token,
          raw: JSON.stringify(ep.body),
          headers: { 'content-type': type },
        });
        expect(res.status).toBe(415);
        expect(res.body.error.code).toBe('unsupported_media_type');
      });

      it(`a body over ${ep.limitKb} KB → 413, also without a Content-Length`, async () => {
        const big = JSON.stringify({ ...ep.body, pad: 'x'.repeat(ep.limitKb * 1024) });
        const res = await call('POST', ep.path, {
          token,
          raw: new TextEncoder().encode(big),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(413);
        expect(res.body.error.code).toBe('payload_too_large');
        const declared = await call('POST', ep.path, {
          token,
          raw: '{}',
          headers: { 'content-type': 'application/json', 'content-length': String(ep.limitKb * 1024 + 1) },
        });
        expect(declared.status).toBe(413);
      });

      it.each(['GET', 'PUT', 'PATCH', 'DELETE'])('%s → 405 with Allow: POST', async (method) => {
        const res = await call(method, ep.path, { token });
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('POST');
        expect(res.body.error.code).toBe('method_not_allowed');
      });

      it('a bad Idempotency-Key header → 400 naming it', async () => {
        const res = await post(ep.path, ep.body, token, { 'idempotency-key': 'bad key with spaces' });
        expect(res.status).toBe(400);
        expect(res.body.error.issues[0].path).toBe('Idempotency-Key');
      });
    });
  }

  it('an unknown API route → 404 in the JSON error shape', async () => {
    const res = await post('/api/v1/workouts', seedSession, token);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});
