import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `npm run simulate`'s bad flags: a message naming the flag, exit code 1, no database touched or nothing written. */
describe('npm run simulate refuses bad flags', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-simulate-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['--lifters', '0'], /--lifters \(1–100000\)/],
    [['--weeks=-3'], /--weeks \(1–520\)/],
    [['--colour', 'red'], /Unknown option '--colour'/],
    [['--lifters', '3', '--weeks', '2', '--policy', 'nope'], /Nothing simulated: unknown modifier policy "nope"/],
  ] as const)('%j → exit 1', (args, message) => {
    const data = path.join(dir, args.join('_').replace(/\W/g, ''));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', ...args], {
      env: { ...process.env, DATABASE_URL: '', PGLITE_DATA_DIR: data },
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(message)]);
    expect(r.stdout).not.toMatch(/Wrote/);
    // Refused before the database opens: a policy known by name needs none (a model's does: model-cli.test.ts).
    expect(existsSync(data)).toBe(false);
  });
});
