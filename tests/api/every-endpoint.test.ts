import { beforeAll, describe, expect, it } from 'vitest';
import { documentedEndpoints } from '@/server/contracts/openapi';
import { DEFAULT_MAX_BODY_BYTES } from '@/server/http/body';
import { call } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

/**
 * The transport rules, on every documented endpoint — the new ones too, without a list to keep: strangers → 401,
 * and for every endpoint with a body, malformed JSON → 400, a wrong media type → 415, an oversize body → 413; never
 * a 5xx, never a write.
 */
const PARAMS: Record<string, string> = {
  id: '00000000-0000-4000-8000-000000000000',
  key: 'no-such-experiment',
  user_id: 'someone-else',
  athlete_id: 'someone-else',
  coach_id: 'someone-other',
};
const concrete = (path: string) => `/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? 'x')}`;
const guarded = documentedEndpoints.filter((e) => e.access !== 'public');
const withBody = guarded.filter((e) => e.body);
const withFile = guarded.filter((e) => e.upload);

describe('the endpoints this file covers', () => {
  it('include the sessions, coaching, admin, exercise and import routes', () => {
    const paths = guarded.map((e) => `${e.method} ${e.path}`);
    for (const p of [
      'PATCH /sessions/{id}',
      'POST /coaching/accept',
      'PUT /admin/users/{id}',
      'POST /exercises/rename',
      'DELETE /coaching/links/{user_id}',
      'POST /imports',
      'DELETE /imports/{id}',
    ]) {
      expect(paths).toContain(p);
    }
  });
});

describeEachDatabase('transport rules on every endpoint', (ctx) => {
  let token: string;
  let researcher: string;
  let admin: string;
  let before: Record<string, number>;
  /** A caller whose role the endpoint accepts: roles are checked before the body is read. */
  const tokenFor = (e: (typeof guarded)[number]) =>
    e.access === 'research' ? researcher : e.access === 'admin' ? admin : token;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'user-123', { analyticsOptIn: true });
    researcher = await createUser(ctx.db, 'researcher-1', { role: 'researcher' });
    admin = await createUser(ctx.db, 'admin-1', { role: 'admin' });
    before = await rowCounts(ctx.db);
  });

  it.each(guarded.map((e) => [e.method, e.path]))('%s %s: no token → 401 in JSON', async (method, path) => {
    const res = await call(method, concrete(path), { json: method === 'GET' ? undefined : {} });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it.each(withBody.map((e) => [e.method, e.path, e.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, e] as const))(
    '%s %s: malformed JSON 400, text/plain 415, oversize 413; nothing written',
    async (method, path, limit, endpoint) => {
      const token = tokenFor(endpoint);
      const url = concrete(path);
      const headers = { 'content-type': 'application/json', 'if-match': '*' };
      const malformed = await call(method, url, { token, raw: '{"a":', headers });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('invalid_json');
      const plain = await call(method, url, {
        token,
        raw: '{}',
        headers: { ...headers, 'content-type': 'text/plain' },
      });
      expect(plain.status).toBe(415);
      const huge = await call(method, url, { token, raw: `{"x":"${'a'.repeat(Number(limit))}"}`, headers });
      expect(huge.status).toBe(413);
      expect(await rowCounts(ctx.db)).toEqual(before);
    },
  );

  it.each(withFile.map((e) => [e.method, e.path, e.upload!.maxBytes]))(
    '%s %s (a file): JSON 415, oversize 413, a form without the file 400; nothing written',
    async (method, path, limit) => {
      const url = concrete(path);
      const json = await call(method, url, { token, json: {} });
      expect(json.status).toBe(415);
      const huge = await call(method, url, {
        token,
        raw: 'x'.repeat(Number(limit) + 1),
        headers: { 'content-type': 'text/csv' },
      });
      expect(huge.status).toBe(413);
      const form = await call(method, url, {
        token,
        raw: '--b\r\ncontent-disposition: form-data; name="x"\r\n\r\n1\r\n--b--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      });
      expect(form.status).toBe(400);
      expect(await rowCounts(ctx.db)).toEqual(before);
    },
  );
});
