import { TRPCError } from '@trpc/server';
import { parseISO } from 'date-fns';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type Db, rows } from '@/db/client';
import type { Principal } from '@/server/auth/principal';
import { NON_INFERIORITY_MARGINS } from '@/server/experiments/decisions';
import { startExperiment } from '@/server/experiments/experiments';
import { RULE_VERSION } from '@/server/modifiers/rules';
import { call } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';
import { dashboardCaller } from '../helpers/trpc';

const NOW = testNow();
const researcher: Principal = { userId: 'researcher-1', role: 'researcher' };

const draft = (
  key: string,
  arms = [
    { name: 'control', policy: 'rules', weight: 0.5 },
    { name: 'treatment', policy: 'hold', weight: 0.5 },
  ],
) => ({ key, hypothesis: 'Holding the load keeps more weeks on plan.', arms });

/** Everything an experiment request can write: a failed one must leave all of it unchanged. */
async function experimentRows(db: Db) {
  const [counts] = await rows<Record<string, number>>(
    db,
    sql`select (select count(*)::int from experiments) as experiments,
               (select count(*)::int from experiment_arms) as arms,
               (select count(*)::int from experiment_assignments) as assignments,
               (select count(*)::int from experiment_exposures) as exposures,
               (select string_agg(key || ':' || status, ',' order by key) from experiments) as states`,
  );
  return counts;
}

describeEachDatabase('experiments over REST and tRPC', (ctx) => {
  let researcherToken: string;
  let lifterToken: string;
  let coachToken: string;
  const trpc = (p: Principal = researcher) => dashboardCaller(ctx.db, p, NOW);

  beforeAll(async () => {
    researcherToken = await createUser(ctx.db, 'researcher-1', { role: 'researcher' });
    lifterToken = await createUser(ctx.db, 'lifter-1', { analyticsOptIn: true });
    coachToken = await createUser(ctx.db, 'coach-1', { role: 'coach', coaches: ['lifter-1'] });
  });

  it('refuses strangers, lifters and coaches on every route, writing nothing', async () => {
    const before = await experimentRows(ctx.db);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/experiments'],
      ['POST', '/api/v1/experiments', draft('sneaky')],
      ['GET', '/api/v1/experiments/sneaky'],
      ['PATCH', '/api/v1/experiments/sneaky', { hypothesis: 'x' }],
      ['POST', '/api/v1/experiments/sneaky/start'],
      ['POST', '/api/v1/experiments/sneaky/stop'],
      ['GET', '/api/experiments'],
    ];
    for (const [method, path, json] of routes) {
      expect((await call(method, path, { json })).status, `${method} ${path} without a token`).toBe(401);
      const forged = await call(method, path, { json, token: 'ovl_not-a-token-anyone-has' });
      expect(forged.status, `${method} ${path} with a stranger's token`).toBe(401);
      for (const token of [lifterToken, coachToken]) {
        const res = await call(method, path, { token, json });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    for (const p of [
      { userId: 'lifter-1', role: 'lifter' },
      { userId: 'coach-1', role: 'coach' },
    ] as Principal[]) {
      await expect(trpc(p).experiments.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(trpc(p).experiments.create(draft('sneaky'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await experimentRows(ctx.db)).toEqual(before);
  });

  it('creates a draft (201), resolving each arm’s policy to the id it will be served under; a key in use → 409', async () => {
    const res = await call('POST', '/api/v1/experiments', { token: researcherToken, json: draft('hold-vs-rules') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      key: 'hold-vs-rules',
      status: 'draft',
      arms: [
        { name: 'control', policy: `rules@${RULE_VERSION}`, weight: 0.5, epsilon: 0 },
        { name: 'treatment', policy: 'hold', weight: 0.5, epsilon: 0 },
      ],
      primary_metric: 'strength_progression',
      start_week: null,
      created_by: 'researcher-1',
    });
    expect(res.body.guardrails).toEqual(
      expect.arrayContaining(['success_rate', 'sessions_per_week', 'not_helpful_share', 'dropout', 'coach_overrides']),
    );
    const before = await experimentRows(ctx.db);
    const again = await call('POST', '/api/v1/experiments', { token: researcherToken, json: draft('hold-vs-rules') });
    expect(again.status).toBe(409);
    expect(again.body.error.issues[0].path).toBe('key');
    await expect(trpc().experiments.create(draft('hold-vs-rules'))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await experimentRows(ctx.db)).toEqual(before);

    const listed = await call('GET', '/api/v1/experiments', { token: researcherToken });
    expect(listed.status).toBe(200);
    expect(listed.body.experiments.map((e: { key: string }) => e.key)).toContain('hold-vs-rules');
    const one = await call('GET', '/api/v1/experiments/hold-vs-rules', { token: researcherToken });
    expect(one.body).toEqual(res.body);
    expect(await trpc().experiments.get({ key: 'hold-vs-rules' })).toEqual(res.body);
    const missing = await call('GET', '/api/v1/experiments/no-such-thing', { token: researcherToken });
    expect(missing.status).toBe(404);
    expect(missing.body.error.issues[0].path).toBe('key');
    const badKey = await call('GET', '/api/v1/experiments/Not%20A%20Key', { token: researcherToken });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.issues[0].path).toBe('key');
  });

  it.each([
    [
      'an unknown policy name',
      {
        arms: [
          { name: 'a', policy: 'magic', weight: 0.5 },
          { name: 'b', policy: 'hold', weight: 0.5 },
        ],
      },
      'arms[0].policy',
    ],
    [
      'a model that does not exist',
      {
        arms: [
          { name: 'a', policy: 'rules', weight: 0.5 },
          { name: 'b', policy: 'model@99', weight: 0.5 },
        ],
      },
      'arms[1].policy',
    ],
    [
      'weights not summing to 1',
      {
        arms: [
          { name: 'a', policy: 'rules', weight: 0.5 },
          { name: 'b', policy: 'hold', weight: 0.4 },
        ],
      },
      'arms',
    ],
    [
      'a negative weight',
      {
        arms: [
          { name: 'a', policy: 'rules', weight: 1.5 },
          { name: 'b', policy: 'hold', weight: -0.5 },
        ],
      },
      'arms[0].weight',
    ],
    [
      'two arms of one name',
      {
        arms: [
          { name: 'a', policy: 'rules', weight: 0.5 },
          { name: 'a', policy: 'hold', weight: 0.5 },
        ],
      },
      'arms[1].name',
    ],
    ['a single arm', { arms: [{ name: 'a', policy: 'rules', weight: 0.99 }] }, 'arms'],
    [
      'ε above one half',
      {
        arms: [
          { name: 'a', policy: 'rules', weight: 0.5 },
          { name: 'b', policy: 'hold', weight: 0.5, epsilon: 0.9 },
        ],
      },
      'arms[1].epsilon',
    ],
    [
      'arms exploring differently',
      {
        arms: [
          { name: 'a', policy: 'rules', weight: 0.5, epsilon: 0.2 },
          { name: 'b', policy: 'hold', weight: 0.5 },
        ],
      },
      'arms[1].epsilon',
    ],
    ['a margin of zero', { margins: { dropout: 0 } }, 'margins.dropout'],
    ['a margin past its bound', { margins: { success_rate: 0.9 } }, 'margins.success_rate'],
    ['a margin that is not a number', { margins: { sessions_per_week: '0.2' } }, 'margins.sessions_per_week'],
    ['a margin for no guardrail', { margins: { vibes: 0.1 } }, 'margins.vibes'],
    ['an unknown metric', { primary_metric: 'happiness' }, 'primary_metric'],
    ['an unknown guardrail', { guardrails: ['dropout', 'vibes'] }, 'guardrails[1]'],
    ['a field nobody knows', { colour: 'red' }, 'colour'],
    ['a key that is not a slug', { key: 'Has Spaces' }, 'key'],
    ['no hypothesis', { hypothesis: undefined }, 'hypothesis'],
  ])('%s → 400 naming %s, over REST and tRPC, nothing written', async (_name, change, field) => {
    const body = { ...draft('bad-input'), ...change };
    const before = await experimentRows(ctx.db);
    const res = await call('POST', '/api/v1/experiments', { token: researcherToken, json: body });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    const err = await trpc()
      .experiments.create(body as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe('BAD_REQUEST');
    expect(await experimentRows(ctx.db)).toEqual(before);
  });

  it('refuses malformed JSON and a non-object body with 400', async () => {
    for (const raw of ['{"key": ', '[]', 'null']) {
      const res = await call('POST', '/api/v1/experiments', {
        token: researcherToken,
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, raw).toBe(400);
      expect(res.body.error).toBeDefined();
    }
  });

  it('a retried create with the same Idempotency-Key answers the same 201 once', async () => {
    const headers = { 'idempotency-key': 'create-retry-1' };
    const first = await call('POST', '/api/v1/experiments', {
      token: researcherToken,
      json: draft('retried'),
      headers,
    });
    const second = await call('POST', '/api/v1/experiments', {
      token: researcherToken,
      json: draft('retried'),
      headers,
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const [n] = await rows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from experiments where key = 'retried'`,
    );
    expect(n!.n).toBe(1);
  });

  it('a draft’s report is its plan: nobody assigned, no window, the calculator over the opted-in lifters', async () => {
    const res = await call('GET', '/api/v1/experiments/retried/report?mde=0.5', { token: researcherToken });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.window).toBeNull();
    expect(res.body.arms.map((a: { assigned: number }) => a.assigned)).toEqual([0, 0]);
    expect(res.body.verdict.code).toBe('no difference yet');
    expect(res.body.planning).toMatchObject({ metric: 'strength_progression', mde: 0.5, lifters: 0 });
    expect(res.body.off_policy).toBeNull();
  });

  it('an experiment may set its own margins: stored, answered with the defaults beside them, and tested against', async () => {
    const created = await call('POST', '/api/v1/experiments', {
      token: researcherToken,
      json: { ...draft('own-margins'), margins: { dropout: 0.05, sessions_per_week: 0.3 } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.margins).toEqual({
      dropout: 0.05,
      sessions_per_week: 0.3,
      not_helpful_share: NON_INFERIORITY_MARGINS.not_helpful_share,
      success_rate: NON_INFERIORITY_MARGINS.success_rate,
      coach_overrides: NON_INFERIORITY_MARGINS.coach_overrides,
    });
    const patched = await call('PATCH', '/api/v1/experiments/own-margins', {
      token: researcherToken,
      json: { margins: { success_rate: 0.1 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.margins).toMatchObject({ success_rate: 0.1, dropout: NON_INFERIORITY_MARGINS.dropout });
    // The report's guardrails are tested against them.
    const report = await call('GET', '/api/v1/experiments/own-margins/report', { token: researcherToken });
    const margin = (metric: string) =>
      report.body.guardrails.find((g: { metric: string }) => g.metric === metric).margin as number;
    expect([margin('success_rate'), margin('dropout')]).toEqual([0.1, NON_INFERIORITY_MARGINS.dropout]);
  });

  it('a draft changes; it starts from next Monday (twice is the same), after which its arms cannot change', async () => {
    const patched = await call('PATCH', '/api/v1/experiments/hold-vs-rules', {
      token: researcherToken,
      json: {
        arms: [
          { name: 'control', policy: 'rules', weight: 0.6, epsilon: 0.2 },
          { name: 'treatment', policy: 'hold', weight: 0.4, epsilon: 0.2 },
        ],
      },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.arms.map((a: { weight: number }) => a.weight)).toEqual([0.6, 0.4]);
    const badPatch = await call('PATCH', '/api/v1/experiments/hold-vs-rules', {
      token: researcherToken,
      json: {
        arms: [
          { name: 'x', policy: 'rules', weight: 0.2 },
          { name: 'y', policy: 'rules', weight: 0.2 },
        ],
      },
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.issues[0].path).toBe('arms');

    const started = await call('POST', '/api/v1/experiments/hold-vs-rules/start', { token: researcherToken });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.status).toBe('running');
    const monday = parseISO(`${started.body.start_week}T00:00:00Z`);
    expect(monday.getUTCDay()).toBe(1);
    expect(monday > NOW || Math.abs(monday.getTime() - NOW.getTime()) < 8 * 86_400_000).toBe(true);
    const again = await call('POST', '/api/v1/experiments/hold-vs-rules/start', { token: researcherToken });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(started.body);

    const before = await experimentRows(ctx.db);
    for (const json of [
      {
        arms: [
          { name: 'control', policy: 'rules', weight: 0.5 },
          { name: 'treatment', policy: 'hold', weight: 0.5 },
        ],
      },
      { hypothesis: 'changed my mind' },
    ]) {
      const res = await call('PATCH', '/api/v1/experiments/hold-vs-rules', { token: researcherToken, json });
      expect(res.status).toBe(409);
      expect(res.body.error.issues[0].path).toBe('status');
    }
    await expect(trpc().experiments.update({ key: 'hold-vs-rules', patch: { hypothesis: 'x' } })).rejects.toMatchObject(
      { code: 'CONFLICT' },
    );
    expect(await experimentRows(ctx.db)).toEqual(before);
  });

  it('a second experiment cannot run beside the first (409), over REST and tRPC', async () => {
    expect((await call('POST', '/api/v1/experiments', { token: researcherToken, json: draft('second') })).status).toBe(
      201,
    );
    const before = await experimentRows(ctx.db);
    const res = await call('POST', '/api/v1/experiments/second/start', { token: researcherToken });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/hold-vs-rules is running/);
    expect(res.body.error.issues[0].path).toBe('status');
    await expect(trpc().experiments.start({ key: 'second' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await experimentRows(ctx.db)).toEqual(before);
  });

  it('stops (twice is the same); a stopped experiment cannot start again; a draft cannot stop', async () => {
    const stopped = await call('POST', '/api/v1/experiments/hold-vs-rules/stop', { token: researcherToken });
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    expect(stopped.body.end_week).not.toBeNull();
    const again = await call('POST', '/api/v1/experiments/hold-vs-rules/stop', { token: researcherToken });
    expect(again.body).toEqual(stopped.body);
    const restart = await call('POST', '/api/v1/experiments/hold-vs-rules/start', { token: researcherToken });
    expect(restart.status).toBe(409);
    const draftStop = await call('POST', '/api/v1/experiments/retried/stop', { token: researcherToken });
    expect(draftStop.status).toBe(409);
    // Now the second one may run.
    expect((await trpc().experiments.start({ key: 'second' })).status).toBe('running');
    expect((await trpc().experiments.stop({ key: 'second' })).status).toBe('stopped');
  });
});

describeEachDatabase('starting with nobody to enroll', (ctx) => {
  it('answers 409 while no lifter has opted in to analytics, and starts once one has', async () => {
    const token = await createUser(ctx.db, 'researcher-2', { role: 'researcher' });
    await createUser(ctx.db, 'not-opted-in');
    await createUser(ctx.db, 'a-coach', { role: 'coach', analyticsOptIn: true });
    await call('POST', '/api/v1/experiments', { token, json: draft('empty') });
    const before = await experimentRows(ctx.db);
    const res = await call('POST', '/api/v1/experiments/empty/start', { token });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/opted in/);
    expect(await experimentRows(ctx.db)).toEqual(before);
    await createUser(ctx.db, 'opted-in', { analyticsOptIn: true });
    expect((await startExperiment(ctx.db, 'empty', NOW)).status).toBe('running');
  });
});
