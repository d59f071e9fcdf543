import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|mjs|cjs)$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** Every module a file imports (static, dynamic and re-exports), as a path from the project root. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
  return specifiers.flatMap((s) => {
    if (s.startsWith('@/')) return [s.slice(2)];
    if (s.startsWith('.')) return [path.relative(root, path.resolve(root, path.dirname(file), s))];
    return []; // a package
  });
}

const RULES: { layer: string; mayNotImport: string[] }[] = [
  { layer: 'db', mayNotImport: ['server', 'app'] },
  { layer: 'server', mayNotImport: ['app'] },
];

describe('layers point one way: app → server → db', () => {
  it('finds imports of every kind', () => {
    const text = `import a from '@/server/x';\nexport { b } from '../../app/y';\nconst c = await import('./z');\nimport 'zod';`;
    expect(importsOf('db/schema/t.ts', text)).toEqual(['server/x', 'app/y', 'db/schema/z']);
  });

  for (const { layer, mayNotImport } of RULES) {
    it(`${layer}/ imports nothing from ${mayNotImport.join(' or ')}/`, () => {
      const files = sourceFiles(layer);
      expect(files.length).toBeGreaterThan(5);
      const offending = files.flatMap((file) =>
        importsOf(file, readFileSync(path.join(root, file), 'utf8'))
          .filter((target) => mayNotImport.some((l) => target === l || target.startsWith(`${l}/`)))
          .map((target) => `${file} → ${target}`),
      );
      expect(offending).toEqual([]);
    });
  }
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
