import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_FOLDER } from '@/db/client';

/** Copies of the migrations folder as it was before a given migration, for upgrade tests; `cleanup()` removes them. */
export function migrationsBefore() {
  const dirs: string[] = [];
  return {
    folderBefore(tag: string): string {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-migrations-'));
      dirs.push(dir);
      cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
      const journalFile = path.join(dir, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
      const at = journal.entries.findIndex((e) => e.tag === tag);
      if (at <= 0) throw new Error(`no migration ${tag}`);
      journal.entries = journal.entries.slice(0, at);
      writeFileSync(journalFile, JSON.stringify(journal));
      return dir;
    },
    cleanup() {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
