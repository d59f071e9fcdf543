import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm run user:create', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/user-create.ts', ...args], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', PGLITE_DATA_DIR: 'memory://' },
    });
  it('creates a user with a role and prints a token', () => {
    const out = run('--id', 'backend', '--role', 'admin');
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Created backend as admin/);
    expect(out.stdout).toMatch(/ovl_[\w-]{43}/);
  });
  it.each([
    [['--role', 'admin'], /--id is required/],
    [['--id', 'x', '--role', 'king'], /--role must be one of lifter, coach, researcher, admin/],
    [['--id', 'bad id'], /--id must be letters/],
  ])('%j → exit 2 with the rule', (args, message) => {
    const out = run(...args);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(message);
  });
});
