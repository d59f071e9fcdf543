import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The dependency rules of `.dependency-cruiser.cjs`, checked over `dirs` from `cwd`: the violations, as `rule: from → to`. */
function violations(cwd: string, dirs: string[]): string[] {
  const run = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'),
      '--config',
      path.join(root, '.dependency-cruiser.cjs'),
      '--output-type',
      'json',
      ...dirs,
    ],
    { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const report = JSON.parse(run.stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] };
  };
  return report.summary.violations.map((v) =>
    v.cycle
      ? `${v.rule.name}: ${v.from} → ${v.cycle.map((c) => c.name).join(' → ')}`
      : `${v.rule.name}: ${v.from} → ${v.to}`,
  );
}

describe('dependencies point one way: app → server/http | server/trpc → server/<domain> → db, no cycles', () => {
  it('finds an upward import, a contract importing a domain, production using the demo, and a cycle', () => {
    // A small project breaking each rule once, checked with the same rules.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-layering-'));
    try {
      const files: Record<string, string> = {
        'tsconfig.json': '{"compilerOptions":{"module":"esnext","moduleResolution":"bundler"}}',
        'server/http/errors.ts': 'export const status = 400;\n',
        'server/analytics/service.ts': "import { status } from '../http/errors';\nexport const s = status;\n",
        'server/contracts/wire.ts': "import { s } from '../analytics/service';\nexport const w = s;\n",
        'server/learning/train.ts': "import { r } from '../demo/random';\nexport const t = r;\n",
        'server/demo/random.ts': 'export const r = 1;\n',
        'server/jobs/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'server/jobs/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
        'db/schema.ts': "import { w } from '../server/contracts/wire';\nexport const x = w;\n",
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      expect(violations(dir, ['server', 'db']).sort()).toEqual(
        [
          'db-is-the-bottom: db/schema.ts → server/contracts/wire.ts',
          'domains-know-no-transport: server/analytics/service.ts → server/http/errors.ts',
          'contracts-import-no-domain: server/contracts/wire.ts → server/analytics/service.ts',
          'demo-and-simulator-stay-out-of-production: server/learning/train.ts → server/demo/random.ts',
          'no-cycles: server/jobs/a.ts → server/jobs/b.ts → server/jobs/a.ts',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds for the whole project', () => {
    expect(violations(root, ['app', 'server', 'db', 'scripts', 'bench', 'tests', 'e2e'])).toEqual([]);
  });
});

describe('db/ loads without the environment or the disk', () => {
  it('imports the schema and the client with an empty environment, reading no variable and writing no file', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'overload-layering-'));
    try {
      // The child records every environment variable that code outside the module loader (tsx, Node's own) reads.
      const probe = `
        const read = new Set();
        const loader = /node_modules[/]tsx[/]|node:internal/;
        const caller = () => new Error().stack.split(String.fromCharCode(10))[3] ?? '';
        process.env = new Proxy({}, {
          get: (t, k) => { if (typeof k === 'string' && !loader.test(caller())) read.add(k + ' ' + caller().trim()); return undefined; },
        });
        const schema = await import(${JSON.stringify(path.join(root, 'db/schema/index.ts'))});
        await import(${JSON.stringify(path.join(root, 'db/client.ts'))});
        const { getTableColumns } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'node_modules/drizzle-orm/index.js')).href)});
        const columns = Object.keys(getTableColumns(schema.users));
        console.log(JSON.stringify({ read: [...read], columns }));
      `;
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href,
          '--input-type=module',
          '-e',
          probe,
        ],
        {
          cwd,
          env: {} as NodeJS.ProcessEnv,
          encoding: 'utf8',
        },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const out = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { read: string[]; columns: string[] };
      expect(out.columns).toContain('analyticsOptIn');
      expect(out.read).toEqual([]);
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
