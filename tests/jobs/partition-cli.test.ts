import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('--partition on the CLI', () => {
  it.each(['job-modifiers', 'job-analytics'])('%s refuses a malformed partition with the rule, exit 2', (script) => {
    const out = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, '--partition', '3/3'], {
      encoding: 'utf8',
    });
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/--partition must be k\/n/);
  });
});
