import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedEndpoints } from '@/server/contracts/openapi';

const root = path.resolve(import.meta.dirname, '../..');
const routeFiles = readdirSync(path.join(root, 'app/api'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name === 'route.ts')
  .map((e) => path.relative(root, path.join(e.parentPath, e.name)));

/** `/users/{id}` → `app/api/v1/users/[id]/route.ts`. */
const fileOf = (specPath: string) => `app/api/v1${specPath.replace(/\{(\w+)\}/g, '[$1]')}/route.ts`;

describe('one route file per endpoint', () => {
  it('serves every documented endpoint from its /api/v1 route file, which handles its method', () => {
    const missing = documentedEndpoints.filter((e) => {
      const file = fileOf(e.path);
      return (
        !existsSync(path.join(root, file)) ||
        !readFileSync(path.join(root, file), 'utf8').includes(`api.${e.operationId}`)
      );
    });
    expect(missing.map((e) => `${e.method} ${e.path}`)).toEqual([]);
  });

  it('keeps no copies: outside /api/v1 only the routes that are not the versioned API', () => {
    const outside = routeFiles.filter((f) => !f.startsWith('app/api/v1/'));
    expect(outside.sort()).toEqual(
      [
        'app/api/[...path]/route.ts',
        'app/api/bench/noop/route.ts',
        'app/api/cron/analytics/route.ts',
        'app/api/cron/modifiers/route.ts',
        'app/api/cron/retention/route.ts',
        'app/api/health/route.ts',
        'app/api/openapi.json/route.ts',
        'app/api/trpc/[trpc]/route.ts',
      ].sort(),
    );
    const reExports = routeFiles.filter((f) => /export \{[^}]*\} from/.test(readFileSync(path.join(root, f), 'utf8')));
    expect(reExports).toEqual([]);
  });
});
