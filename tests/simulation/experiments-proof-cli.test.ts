import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** `npm run experiments:proof` refuses bad flags before it simulates anything. */
describe('npm run experiments:proof', () => {
  it('refuses bad flags: a message naming the flag, exit code 1', () => {
    for (const [args, message] of [
      [['--experiments', '3'], /--experiments must be at least 20/],
      [['--seed', 'x'], /--seed must be a number/],
    ] as const) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/experiments-proof.ts', ...args], {
        encoding: 'utf8',
      });
      expect([r.status, r.stderr], args.join(' ')).toEqual([1, expect.stringMatching(message)]);
    }
  });
});
