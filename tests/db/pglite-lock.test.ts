import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';

describe('the embedded database folder is locked to one opener', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'overload-lock-'));
  const dir = path.join(root, 'pglite');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second opener with a clear message, and allows it after close', async () => {
    const first = await openDatabase({ pgliteDataDir: dir, migrate: false });
    await expect(openDatabase({ pgliteDataDir: dir, migrate: false })).rejects.toThrow(/in use by process \d+/);
    await first.close();
    const second = await openDatabase({ pgliteDataDir: dir, migrate: false });
    await second.close();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    writeFileSync(`${dir}.lock`, '999999999');
    const db = await openDatabase({ pgliteDataDir: dir, migrate: false });
    await db.close();
  });
});
