import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase } from '@/db/client';
import { users } from '@/db/schema';
import { SESSION_COOKIE } from '@/server/auth/credentials';
import { createApiToken, issueApiToken } from '@/server/auth/tokens';
import { createWebSession } from '@/server/auth/web-sessions';
import { freePort } from '../../scripts/lib/free-port';
import { withDatabase } from '../../scripts/lib/throwaway-postgres';
import { TEMPLATE_DB } from '../setup/postgres';

const FAR_FUTURE = new Date('2999-01-01T00:00:00Z');

/**
 * Several instances of the app, as on Vercel: separate processes, one PostgreSQL, one Redis. Limits are one
 * budget across them; a token revoked through one is refused by the other within a second; Redis going away
 * fails open or closed as configured, never a 500.
 */
interface Instance {
  url: string;
  process: ChildProcess;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn('npx', ['tsx', 'tests/helpers/app-process.ts'], {
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: npx, tsx and the app end together
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

const get = (instance: Instance, path: string, token: string) =>
  fetch(`${instance.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('instances sharing one Redis [postgres]', () => {
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  let admin: Database;
  let database: Database;
  let redisClient: Redis;
  const instances: Instance[] = [];
  let a: Instance;
  let b: Instance;
  let closed: Instance;
  const LIMIT = 6;

  beforeAll(async () => {
    const url = inject('postgresUrl');
    admin = await openDatabase({ databaseUrl: url, poolMax: 1 });
    await admin.db.execute(sql.raw(`create database ${dbName} template ${TEMPLATE_DB}`));
    const databaseUrl = withDatabase(url, dbName);
    database = await openDatabase({ databaseUrl, poolMax: 2 });
    redisClient = new Redis(inject('redisUrl'));
    await redisClient.flushall();
    const common = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: inject('redisUrl'),
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      AUTH_CACHE_SECONDS: '120', // long: only the Redis announcement can end a remembered token in time
      DB_POOL_MAX: '2',
    };
    [a, b, closed] = await Promise.all([
      startInstance(common),
      startInstance(common),
      startInstance({ ...common, RATE_LIMIT_ON_REDIS_FAILURE: 'closed' }),
    ]);
    instances.push(a, b, closed);
  }, 60_000);

  afterAll(async () => {
    for (const i of instances) process.kill(-i.process.pid!, 'SIGTERM');
    redisClient?.disconnect();
    await database?.close();
    await admin?.db.execute(sql.raw(`drop database if exists ${dbName} with (force)`));
    await admin?.close();
  });

  it('one limit across both instances: the budget is spent wherever the requests land', async () => {
    await database.db.insert(users).values({ id: 'limited', role: 'lifter' });
    const token = await createApiToken(database.db, 'limited', 'shared');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await get(i % 2 ? a : b, '/api/v1/sessions', token)).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    for (const instance of [a, b]) {
      const refused = await get(instance, '/api/v1/sessions', token);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    }
  });

  it('a token revoked through one instance is refused by the other within 1 s, though it remembered it', async () => {
    await database.db.insert(users).values({ id: 'revoker', role: 'lifter' });
    // Signed in to the dashboard (only there are tokens managed); when does not matter here, so the session is
    // dated where it stays valid whatever the date of the run.
    const dashboard = await createWebSession(database.db, 'revoker', FAR_FUTURE);
    const victim = await issueApiToken(database.db, 'revoker', { name: 'phone' });
    expect((await get(a, '/api/v1/sessions', victim.token)).status).toBe(200);
    expect((await get(b, '/api/v1/sessions', victim.token)).status).toBe(200); // b remembers it for 120 s
    const revoke = await fetch(`${a.url}/api/trpc/tokens.revoke`, {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${dashboard.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: victim.id }),
    });
    expect(revoke.status).toBe(200);
    expect((await get(a, '/api/v1/sessions', victim.token)).status).toBe(401);
    await expect
      .poll(async () => (await get(b, '/api/v1/sessions', victim.token)).status, { timeout: 1_000, interval: 20 })
      .toBe(401);
  });

  it('Redis away: fail-open instances count in memory and serve; a fail-closed one answers 503, never 500', async () => {
    await database.db.insert(users).values({ id: 'outage', role: 'lifter' });
    const token = await createApiToken(database.db, 'outage', 'outage');
    // Remembered first, so the outage tests the limiter and not a token lookup.
    for (const i of [a, closed]) expect((await get(i, '/api/v1/sessions', token)).status).toBe(200);
    await redisClient.call('CLIENT', 'PAUSE', '3000', 'ALL'); // Redis stops answering anyone for 3 s
    try {
      const open = await get(a, '/api/v1/sessions', token);
      expect(open.status).toBe(200);
      const shut = await get(closed, '/api/v1/sessions', token);
      expect(shut.status).toBe(503);
      expect((await shut.json()).error.code).toBe('rate_limiter_unavailable');
    } finally {
      await redisClient.call('CLIENT', 'UNPAUSE');
    }
  });
});
