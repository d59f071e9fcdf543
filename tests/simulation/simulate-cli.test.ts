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
    [['--lifters', '0'], /--lifters \(1–100000\)/, false],
    [['--weeks=-3'], /--weeks \(1–520\)/, false],
    [['--colour', 'red'], /Unknown option '--colour'/, false],
    [['--lifters', '3', '--weeks', '2', '--policy', 'nope'], /Nothing simulated: unknown modifier policy "nope"/, true],
  ] as const)('%j → exit 1', (args, message, opensDatabase) => {
    const data = path.join(dir, args.join('_').replace(/\W/g, ''));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', ...args], {
      env: { ...process.env, DATABASE_URL: '', PGLITE_DATA_DIR: data },
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([1, expect.stringMatching(message)]);
    expect(r.stdout).not.toMatch(/Wrote/);
    expect(existsSync(data)).toBe(opensDatabase);
  });
});
