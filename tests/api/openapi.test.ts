import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentedEndpoints, openApiDocument } from '@/server/contracts/openapi';
import { call } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === 'route.ts' ? [full] : [];
  });
}

describe('the OpenAPI document', () => {
  const doc = openApiDocument();

  it('is OpenAPI 3.1 with a bearer scheme and the shared error shape', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components?.securitySchemes?.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.components?.schemas?.Error).toBeDefined();
  });

  it('documents every versioned route file, and nothing that has none', () => {
    const root = path.join(process.cwd(), 'app', 'api', 'v1');
    const served = routeFiles(root)
      .map((f) => `/api/v1/${path.relative(root, path.dirname(f)).replace(/\[(\w+)\]/g, '{$1}')}`)
      .sort();
    const documented = [...new Set(documentedEndpoints.map((e) => `/api/v1${e.path}`))].sort();
    expect(documented).toEqual(served);
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual(served);
  });

  it('documents each request body with the zod schema the route validates with', () => {
    const schemas = (doc.components?.schemas ?? {}) as Record<string, any>;
    const session = schemas.SessionInput;
    expect(session.required).toEqual(expect.arrayContaining(['user_id', 'date', 'sets']));
    expect(session.additionalProperties).toBe(false);
    const set = schemas.SetInput;
    expect(set.properties.actual_reps.anyOf[0]).toMatchObject({ type: 'integer', minimum: 0, maximum: 100 });
  });
});

describeEachDatabase('every documented example', (ctx) => {
  let lifterToken: string;
  let researcherToken: string;
  beforeAll(async () => {
    lifterToken = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    researcherToken = await createUser(ctx.db, 'openapi-researcher', { role: 'researcher' });
  });

  for (const spec of documentedEndpoints.filter((e) => e.example !== undefined)) {
    it(`${spec.method} ${spec.path} answers ${spec.response.status} with its documented shape`, async () => {
      const token = spec.access === 'research' ? researcherToken : lifterToken;
      const res =
        spec.method === 'GET'
          ? await call('GET', `/api/v1${spec.path}?${new URLSearchParams(spec.example as Record<string, string>)}`, {
              token,
            })
          : await call(spec.method, `/api/v1${spec.path}`, { token, json: spec.example });
      expect(res.status, JSON.stringify(res.body)).toBe(spec.response.status);
      expect(spec.response.schema.safeParse(res.body).success).toBe(true);
    });
  }
});
