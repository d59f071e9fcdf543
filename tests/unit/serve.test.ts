import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module (production starts without a TypeScript loader)
import { workerCount } from '../../scripts/lib/worker-count.mjs';
// @ts-expect-error plain JavaScript module
import { heapGrowthFlag } from '../../scripts/lib/heap-growth.mjs';
// @ts-expect-error plain JavaScript module
import { afterWorkerExit, RESTART_DEFAULTS, restartLimits } from '../../scripts/lib/restart-policy.mjs';
import { freePort } from '../../scripts/lib/free-port';

describe('workerCount (WEB_CONCURRENCY)', () => {
  const pg = 'postgres://db/overload';
  it.each([
    [{}, 8, 1],
    [{ WEB_CONCURRENCY: '' }, 8, 1],
    [{ WEB_CONCURRENCY: '3', DATABASE_URL: pg }, 8, 3],
    [{ WEB_CONCURRENCY: ' 2 ', DATABASE_URL: pg }, 8, 2],
    [{ WEB_CONCURRENCY: 'auto', DATABASE_URL: pg }, 8, 8],
    [{ WEB_CONCURRENCY: 'auto', DATABASE_URL: pg }, 1, 1],
    [{ WEB_CONCURRENCY: '1' }, 8, 1],
  ])('%j on %i cores → %i', (env, cores, workers) => {
    expect(workerCount(env, cores).workers).toBe(workers);
  });

  it('runs one process on the embedded database, and says why', () => {
    const r = workerCount({ WEB_CONCURRENCY: '4' }, 8);
    expect(r.workers).toBe(1);
    expect(r.reason).toMatch(/embedded database/);
    expect(workerCount({ WEB_CONCURRENCY: 'auto', DATABASE_URL: '  ' }, 8).workers).toBe(1);
  });

  it.each(['0', '-1', '1.5', 'two', '65', 'auto2'])('refuses WEB_CONCURRENCY=%s, naming the variable', (value) => {
    expect(() => workerCount({ WEB_CONCURRENCY: value, DATABASE_URL: pg }, 8)).toThrow(/WEB_CONCURRENCY/);
  });
});

describe('heapGrowthFlag (HEAP_GROWING_PERCENT)', () => {
  it.each([
    [{}, 20, '--heap-growing-percent=900'],
    [{ HEAP_GROWING_PERCENT: '' }, 20, '--heap-growing-percent=900'],
    [{ HEAP_GROWING_PERCENT: '  ' }, 20, '--heap-growing-percent=900'],
    [{}, 22, '--heap-growing-percent=0'], // later runtimes: V8's own heuristics (measured on 24, change 21)
    [{}, 24, '--heap-growing-percent=0'],
    [{ HEAP_GROWING_PERCENT: '0' }, 20, '--heap-growing-percent=0'],
    [{ HEAP_GROWING_PERCENT: '900' }, 24, '--heap-growing-percent=900'], // the variable wins on any runtime
    [{ HEAP_GROWING_PERCENT: ' 50 ' }, 20, '--heap-growing-percent=50'],
    [{ HEAP_GROWING_PERCENT: '10000' }, 24, '--heap-growing-percent=10000'],
  ])('%j on Node %i → %s', (env, major, flag) => {
    expect(heapGrowthFlag(env, major)).toBe(flag);
  });

  it("defaults to the running Node.js's rule", () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(heapGrowthFlag({})).toBe(heapGrowthFlag({}, major));
  });

  // Anything else would reach V8's flag parser, which ignores what it cannot read without a word.
  it.each(['-5', '1.5', '1e3', '10001', 'lots', '900 --expose-gc'])('refuses HEAP_GROWING_PERCENT=%s, naming it', (value) => {
    expect(() => heapGrowthFlag({ HEAP_GROWING_PERCENT: value })).toThrow(/HEAP_GROWING_PERCENT/);
  });
  it('makes full collections rarer when set at run time, as serve.mjs sets it', () => {
    const majors = (flag: string) => {
      const r = spawnSync(process.execPath, [path.resolve('tests/fixtures/old-generation-churn.cjs'), flag], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      return Number(r.stdout.trim());
    };
    const v8Own = majors('--heap-growing-percent=0');
    const ours = majors(heapGrowthFlag({}, 20)); // Node 20's default, the one that raises the factor
    expect(v8Own).toBeGreaterThanOrEqual(4); // the churn does reach the old generation
    expect(ours).toBeLessThan(v8Own * 0.7); // 2 against 7 on Node 20 here, 2 against 5 on Node 24
  }, 60_000);
});

describe('afterWorkerExit (a worker of npm start exited on its own)', () => {
  const now = 1_000_000;
  const s = 1000;
  it.each([
    ['ran a while, no replacements yet', { lived: 60 * s, now, restarts: [] }, 'restart'],
    ['died right after starting', { lived: 4.9 * s, now, restarts: [] }, 'stop'],
    ['ran a while, 4 replacements in the last minute', { lived: 6 * s, now, restarts: [1, 2, 3, 4].map((k) => now - k * 10 * s) }, 'restart'],
    ['ran a while, 5 replacements in the last minute: a slow crash loop', { lived: 6 * s, now, restarts: [1, 2, 3, 4, 5].map((k) => now - k * 10 * s) }, 'stop'],
    ['ran a while, 5 replacements but the oldest a minute ago', { lived: 6 * s, now, restarts: [1, 2, 3, 4, 6].map((k) => now - k * 10 * s) }, 'restart'],
  ] as [string, { lived: number; now: number; restarts: number[] }, string][])('%s → %s', (_label, exit, action) => {
    const decision = afterWorkerExit(exit, RESTART_DEFAULTS);
    expect(decision.action).toBe(action);
    if (action === 'stop') expect(decision.reason).toMatch(/starting|replaced/);
  });

  it('hands back only the replacements still inside the window, so the caller keeps no more than that', () => {
    const restarts = [70, 50, 10].map((k) => now - k * s);
    expect(afterWorkerExit({ lived: 6 * s, now, restarts }, RESTART_DEFAULTS).recent).toEqual([now - 50 * s, now - 10 * s]);
    expect(afterWorkerExit({ lived: 1 * s, now, restarts }, RESTART_DEFAULTS).recent).toEqual([now - 50 * s, now - 10 * s]);
  });

  it('takes shorter limits from the environment (tests only), and ignores anything but whole numbers', () => {
    expect(restartLimits({})).toEqual(RESTART_DEFAULTS);
    expect(restartLimits({ OVERLOAD_SERVE_STARTUP_MS: '100', OVERLOAD_SERVE_RESTART_WINDOW_MS: '2000' })).toEqual({
      ...RESTART_DEFAULTS,
      startupMs: 100,
      windowMs: 2000,
    });
    expect(restartLimits({ OVERLOAD_SERVE_STARTUP_MS: '-1', OVERLOAD_SERVE_RESTART_WINDOW_MS: 'soon' })).toEqual(RESTART_DEFAULTS);
  });
});

describe('scripts/serve.mjs (npm start)', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    child = undefined;
  });

  async function serve(env: Record<string, string>): Promise<string> {
    const port = await freePort();
    child = spawn(process.execPath, [path.resolve('scripts/serve.mjs'), '-p', String(port)], {
      env: { ...process.env, OVERLOAD_NEXT_BIN: path.resolve('tests/fixtures/fake-next.cjs'), ...env },
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (await pidAt(url).catch(() => undefined)) return url;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('serve.mjs did not answer');
  }

  const pidAt = async (url: string, p = '/') => ((await (await fetch(url + p)).json()) as { pid: number }).pid;

  async function pidsAnswering(url: string, n = 24): Promise<Set<number>> {
    const pids = new Set<number>();
    for (let i = 0; i < n; i++) pids.add(await pidAt(url));
    return pids;
  }

  it('serves from WEB_CONCURRENCY processes on one port with PostgreSQL', async () => {
    const url = await serve({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://unused/db' });
    let pids = await pidsAnswering(url);
    for (let i = 0; i < 30 && pids.size < 2; i++) {
      await new Promise((r) => setTimeout(r, 100)); // the second worker may still be starting
      pids = await pidsAnswering(url);
    }
    expect(pids.size).toBe(2);
    expect(pids.has(child!.pid!)).toBe(false); // the primary only hands out connections
  });

  it('serves from this one process on the embedded database, whatever WEB_CONCURRENCY says', async () => {
    const url = await serve({ WEB_CONCURRENCY: '2', DATABASE_URL: '' });
    expect(await pidsAnswering(url, 8)).toEqual(new Set([child!.pid!]));
  });

  it('says which heap growth it sets, and refuses a bad value before it starts anything', async () => {
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(process.execPath, [path.resolve('scripts/serve.mjs'), '-p', '0'], {
          env: { ...process.env, OVERLOAD_NEXT_BIN: path.resolve('tests/fixtures/fake-next.cjs'), ...env },
        });
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (out += d));
        // The fake server listens forever: stop it once it has said what it set.
        const timer = setTimeout(() => p.kill('SIGTERM'), 1_500);
        p.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, out });
        });
      });
    const good = await run({ HEAP_GROWING_PERCENT: '900', WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://unused/db' });
    // Once per serving process: both workers, not the primary.
    expect(good.out.match(/\[serve\] --heap-growing-percent=900 in pid \d+/g)).toHaveLength(2);
    const bad = await run({ HEAP_GROWING_PERCENT: 'lots' });
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/HEAP_GROWING_PERCENT must be a whole number/);
    expect(bad.out).not.toMatch(/next start workers|\[serve\] --heap/);
  });

  it('stops, failing, when its workers keep crashing a while after they start', async () => {
    const p = spawn(process.execPath, [path.resolve('scripts/serve.mjs'), '-p', '0'], {
      env: {
        ...process.env,
        OVERLOAD_NEXT_BIN: path.resolve('tests/fixtures/fake-next.cjs'),
        WEB_CONCURRENCY: '2',
        DATABASE_URL: 'postgres://unused/db',
        FAKE_NEXT_EXIT_AFTER_MS: '400', // each worker "crashes" after 400 ms…
        OVERLOAD_SERVE_STARTUP_MS: '100', // …which is past start-up here
      },
    });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => p.on('exit', resolve));
    expect(code).toBe(1);
    // Replaced five times, then it gives up instead of forking forever.
    expect(err.match(/starting another/g)).toHaveLength(RESTART_DEFAULTS.maxRestarts);
    expect(err).toMatch(/5 workers replaced within 60 s already; stopping/);
  }, 20_000);

  it('stops every worker on SIGTERM', async () => {
    const url = await serve({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://unused/db' });
    const workers = await pidsAnswering(url);
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });

  /** Asks until the worker with this pid gets the request and exits. */
  async function crash(url: string, pid: number) {
    for (let i = 0; i < 20; i++) {
      const answer = await pidAt(url, `/crash/${pid}`).catch(() => 'gone' as const);
      if (answer === 'gone') return;
    }
    throw new Error(`worker ${pid} never got the request`);
  }

  it('replaces a worker that dies after running a while, and gives up on one that dies at once', async () => {
    const url = await serve({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://unused/db' });
    await new Promise((r) => setTimeout(r, 5_200)); // past the "died right after starting" window
    const before = [...(await pidsAnswering(url))];
    await crash(url, before[0]!);
    let after = new Set<number>();
    for (let i = 0; i < 40 && !(after.size === 2 && !after.has(before[0]!)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await pidsAnswering(url, 8);
    }
    const replacement = [...after].find((p) => !before.includes(p));
    expect(after.size).toBe(2);
    expect(after.has(before[1]!)).toBe(true);
    expect(replacement).toBeDefined();

    // The replacement dies within its first seconds: the server stops, with a failure code.
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    await crash(url, replacement!);
    expect(await exited).toBe(1);
  }, 20_000);
});
