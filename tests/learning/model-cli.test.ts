import { spawnSync } from 'node:child_process';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { adaptiveModifiers, jobRuns, models, sessions, users } from '@/db/schema';
import { generateKey } from '@/server/privacy/encryption';
import { type CliDatabase, cliDatabase } from '../helpers/cli-database';

/**
 * The learning loop's commands as a researcher runs them, on a fresh database: what each refuses (a
 * clear message, exit code 1, nothing written) and the loop itself — simulate → train → list → show.
 */
describe('npm run simulate / model:train / model:list / model:show / job:modifiers', () => {
  let cli: CliDatabase;
  const pseudonymKey = generateKey();
  const run = (script: string, args: string[] = [], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      env: { ...process.env, DATABASE_URL: cli.url, PSEUDONYM_KEY: pseudonymKey, ...env },
      encoding: 'utf8',
    });
  async function withDb<T>(use: (db: Db) => Promise<T>): Promise<T> {
    const database = await cli.open();
    try {
      return await use(database.db);
    } finally {
      await database.close();
    }
  }
  const counts = () =>
    withDb(async (db) => ({
      users: await db.$count(users),
      sessions: await db.$count(sessions),
      models: await db.$count(models),
      modifiers: await db.$count(adaptiveModifiers),
      runs: (await db.select({ n: count() }).from(jobRuns))[0]!.n,
    }));

  beforeAll(async () => {
    cli = await cliDatabase();
  });
  afterAll(() => cli.drop());

  it.each([
    ['nothing to train on', [], /Nothing trained: no eligible decision rows/],
    ['--from after --to', ['--from', '2025-06-02', '--to', '2025-05-05'], /--from 2025-06-02 is after --to 2025-05-05/],
  ])('model:train refuses %s: exit code 1, no model stored', async (_, args, message) => {
    const r = run('model-train', args);
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(message)]);
    expect((await counts()).models).toBe(0);
  });

  it('model:show refuses an unknown version, and simulate a policy naming it: exit code 1, nothing written', async () => {
    const show = run('model-show', ['7']);
    expect([show.status, show.stderr]).toEqual([1, expect.stringMatching(/no model version 7/)]);
    const sim = run('simulate', ['--lifters', '5', '--weeks', '4', '--policy', 'model@7']);
    expect([sim.status, sim.stderr]).toEqual([1, expect.stringMatching(/Nothing simulated: no model version 7/)]);
    expect(await counts()).toMatchObject({ users: 0, sessions: 0 });
  });

  it('simulate → model:train → model:list → model:show', async () => {
    expect(run('simulate', ['--lifters', '12', '--epsilon', '0.9']).status).toBe(1);
    // The rule explores as an experiment's arm does: the model learns the steps' effects from those decisions.
    const sim = run('simulate', ['--lifters', '20', '--weeks', '10', '--seed', '3', '--epsilon', '0.3']);
    expect(sim.status).toBe(0);
    expect(sim.stdout).toMatch(/Simulating 20 lifters × 10 weeks .* under rules@\S+ exploring at ε 0\.3/);
    expect(sim.stdout).toMatch(/Wrote 20 lifters, \d+ sessions/);
    expect(await counts()).toMatchObject({ users: 20 });

    const train = run('model-train', ['--epochs', '3']);
    expect(train.status).toBe(0);
    expect(train.stdout).toMatch(/read 20 lifters/);
    expect(train.stdout).toMatch(/Model v1 \(@tensorflow\/tfjs-layers /);
    expect(train.stdout).toMatch(/log loss/);
    expect(train.stdout).toMatch(
      /strength gain over 4 weeks .*fitted on \d+ explored decisions weighted by 1\/propensity/,
    );

    const list = run('model-list');
    expect(list.stdout).toMatch(/^v1 {2}\d{4}-\d{2}-\d{2} {2}weeks /);
    const show = run('model-show', ['1']);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/Model v1/);
    expect(show.stdout).not.toMatch(/STALE/);
    expect(show.stdout).toMatch(/P\(success\) weights \(standardized features\)/);
    expect(show.stdout).toMatch(/strength gain: a network of 8 tanh units, fitted on explored decisions/);
  });

  it('a model trained on other features is refused by the job, serving or in shadow: exit code 1, nothing written', async () => {
    await withDb(async (db) => {
      const [m] = await db.select().from(models);
      const { version: _, createdAt: __, ...copy } = m!;
      await db
        .insert(models)
        .values({ ...copy, schemaHash: 'stale0000', parameters: { ...copy.parameters, schemaHash: 'stale0000' } });
    });
    expect(run('model-show', ['2']).stdout).toMatch(/STALE .* cannot serve/);
    const before = await counts();
    for (const variable of ['MODIFIER_POLICY', 'SHADOW_POLICIES']) {
      const job = run('job-modifiers', [], { [variable]: 'model@2' });
      expect([job.status, job.stderr]).toEqual([
        1,
        expect.stringMatching(/Nothing decided: model 2 was trained on feature schema stale0000; .*retrain it/),
      ]);
    }
    expect(await counts()).toEqual(before);
  });
});
