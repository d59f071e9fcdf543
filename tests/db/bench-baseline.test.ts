import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type Database, openDatabase, rows } from '@/db/client';
import { decrypt, ENVELOPE_PREFIX } from '@/server/privacy/encryption';
import { keyring } from '@/server/privacy/keyring';
import { type BaselineServer, startBaselineServer } from '../../bench/baseline-server';
import { withDatabase } from '../../scripts/lib/throwaway-postgres';
import { TEMPLATE_DB } from '../setup/postgres';

// The bench's bare baseline must store what the app stores, or the ratio between them says nothing.
let admin: Database;
let database: Database;
let baseline: BaselineServer;
const name = `t_${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  const url = inject('postgresUrl');
  admin = await openDatabase({ databaseUrl: url, poolMax: 1 });
  await admin.db.execute(sql.raw(`create database ${name} template ${TEMPLATE_DB}`));
  database = await openDatabase({ databaseUrl: withDatabase(url, name), poolMax: 2 });
  baseline = await startBaselineServer(withDatabase(url, name), ['lifter-a', 'lifter-b'], 2);
});

afterAll(async () => {
  await baseline?.close();
  await database?.close();
  await admin?.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
  await admin?.close();
});

const post = (body: unknown) =>
  fetch(`${baseline.url}/instrument`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));

it('validates with the contract, spreads requests over the lifters in turn and draws time-ordered ids', async () => {
  const batch = { events: [1, 2, 3].map((n) => ({ type: 'session_finished', payload: { n } })) };
  expect(await post(batch)).toEqual({ status: 200, body: { accepted: 3 } });
  expect(await post({ type: 'session_submitted', payload: { n: 4 } })).toEqual({ status: 200, body: { accepted: 1 } });
  expect(await post(batch)).toEqual({ status: 200, body: { accepted: 3 } });
  expect((await post({ events: [] })).status).toBe(400);

  const stored = await rows<{ user_id: string; payload: string; version: string }>(
    database.db,
    sql`select user_id, payload, substr(event_id::text, 15, 1) as version
        from instrument_events order by event_id`,
  );
  // Sealed, as the app stores payloads.
  expect(stored.every((r) => r.payload.startsWith(ENVELOPE_PREFIX))).toBe(true);
  // Ordered by id is ordered by arrival: v7 ids grow with time (and within a millisecond, with position).
  expect(stored.map((r) => [r.user_id, (JSON.parse(decrypt(r.payload, keyring())) as { n: number }).n])).toEqual([
    ['lifter-a', 1],
    ['lifter-a', 2],
    ['lifter-a', 3],
    ['lifter-b', 4],
    ['lifter-a', 1],
    ['lifter-a', 2],
    ['lifter-a', 3],
  ]);
  expect(new Set(stored.map((r) => r.version))).toEqual(new Set(['7']));
});
