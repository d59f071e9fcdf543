import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '@/db/client';
import { instrumentEvents, sessions } from '@/db/schema';
import { authorization } from '@/server/auth/credentials';
import { setDatabase } from '@/server/db';
import { DATABASE_RETRY_AFTER_SECONDS } from '@/server/http/errors';
import { startPostgres, type ThrowawayPostgres } from '../../scripts/lib/throwaway-postgres';
import { seedSession } from '../fixtures/seed-examples';
import { call } from '../helpers/api';
import { createUser } from '../helpers/fixtures';

const CONNECT_TIMEOUT_SECONDS = 1;
/** A request that cannot reach the database answers within the connect timeout and some slack, never hangs. */
const BOUND_MS = (CONNECT_TIMEOUT_SECONDS + 3) * 1000;

interface Outcome {
  status: number;
  ms: number;
  code?: string;
  retryAfter: string | null;
  session?: string;
  events?: string[];
}

function expectUnavailable(o: Outcome) {
  expect(o.status).toBe(503);
  expect(o.code).toBe('database_unavailable');
  expect(o.retryAfter).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
  expect(o.ms).toBeLessThan(BOUND_MS);
}

describe('PostgreSQL stopped under a write load, then started again', () => {
  let pg: ThrowawayPostgres;
  let database: Database;
  const tokens: { userId: string; token: string }[] = [];

  beforeAll(async () => {
    // Durable settings: an immediate stop is a crash, and acknowledged writes must survive it — with the default
    // settings (INSTRUMENT_SYNCHRONOUS_COMMIT=off, an opt-in, loses the last fraction of a second of events).
    // The WAL writer flushes what others left unflushed only every 10 s here (200 ms by default): a write answered
    // before its flush is then lost to a crash for certain, not by chance.
    pg = await startPostgres({ extraConfig: { wal_writer_delay: '10s' } });
    database = await openDatabase({
      databaseUrl: pg.url,
      migrate: true,
      poolMax: 5,
      connectTimeoutSeconds: CONNECT_TIMEOUT_SECONDS,
    });
    setDatabase(database);
    for (let i = 0; i < 4; i++) {
      const userId = `writer-${i}`;
      tokens.push({ userId, token: await createUser(database.db, userId, { analyticsOptIn: true }) });
    }
  });
  afterAll(async () => {
    setDatabase(undefined);
    await database?.close();
    pg?.stop();
  });

  /** One write: a session, or a batch of five events with their own ids; what was acknowledged is kept. */
  async function write(n: number): Promise<Outcome> {
    const { userId, token } = tokens[n % tokens.length]!;
    const started = performance.now();
    const events = Array.from({ length: 5 }, () => randomUUID());
    const res =
      n % 2 === 0
        ? await call('POST', '/api/v1/session', { token, json: { ...seedSession, user_id: userId } })
        : await call('POST', '/api/v1/instrument', {
            token,
            json: { events: events.map((event_id) => ({ type: 'session_finished', payload: { n }, event_id })) },
          });
    const ok = res.status < 300;
    return {
      status: res.status,
      ms: performance.now() - started,
      code: res.body?.error?.code,
      retryAfter: res.headers.get('retry-after'),
      ...(ok && n % 2 === 0 ? { session: res.body.session_id as string } : {}),
      ...(ok && n % 2 === 1 ? { events } : {}),
    };
  }

  it('keeps an instrument batch answered the moment before a crash', async () => {
    const { token } = tokens[1]!;
    const events = Array.from({ length: 20 }, () => randomUUID());
    const res = await call('POST', '/api/v1/instrument', {
      token,
      json: { events: events.map((event_id) => ({ type: 'session_finished', payload: {}, event_id })) },
    });
    expect(res.body).toEqual({ accepted: 20, duplicates: 0, dropped: 0 });
    pg.halt();
    pg.resume();
    // A fresh connection: the pool's were cut by the crash.
    const after = await openDatabase({ databaseUrl: pg.url });
    try {
      const stored = await after.db
        .select({ id: instrumentEvents.eventId })
        .from(instrumentEvents)
        .where(inArray(instrumentEvents.eventId, events));
      expect(stored).toHaveLength(20);
    } finally {
      await after.close();
    }
  });

  it('answers 503 database_unavailable with Retry-After at once while it is away, recovers at once, loses nothing acknowledged', async () => {
    const outcomes: Outcome[] = [];
    let phase: 'up' | 'down' | 'stopping' = 'up';
    const now = () => phase; // read afresh after each await
    const during: Record<'up' | 'down', Outcome[]> = { up: [], down: [] };
    let n = 0;
    const client = async () => {
      while (now() !== 'stopping') {
        const startedIn = now();
        const o = await write(n++);
        outcomes.push(o);
        // Only requests that started and ended in one phase say what that phase answers.
        if (startedIn !== 'stopping' && startedIn === now()) during[startedIn].push(o);
      }
    };
    // Waits for the load to reach a point; gives up (failing the test) rather than spin for ever if it never does.
    const until = async (done: () => boolean, what: string) => {
      const deadline = performance.now() + 20_000;
      while (!done()) {
        if (performance.now() > deadline) throw new Error(`never reached: ${what}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const clients = Array.from({ length: 4 }, client);

    let halted = false;
    try {
      await until(() => during.up.filter((o) => o.status < 300).length >= 20, '20 writes acknowledged');
      pg.halt();
      halted = true;
      phase = 'down';
      // Every request made while it is away ends while it is still away: none waits for it to come back.
      await until(() => during.down.length >= 40, '40 answers while the database is away');
    } finally {
      if (halted) pg.resume();
      phase = 'stopping';
      await Promise.all(clients);
    }

    expect(outcomes.every((o) => [200, 201, 503].includes(o.status))).toBe(true);
    for (const o of during.down) expectUnavailable(o);

    // Back: the very next request succeeds, without waiting out a reconnect back-off.
    const next = await write(0);
    expect(next.status).toBe(201);
    expect(next.ms).toBeLessThan(BOUND_MS);

    const acknowledged = [...outcomes, next];
    const sessionIds = acknowledged.flatMap((o) => (o.session ? [o.session] : []));
    const eventIds = acknowledged.flatMap((o) => o.events ?? []);
    expect(sessionIds.length).toBeGreaterThan(10);
    const storedSessions = await database.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(inArray(sessions.id, sessionIds));
    expect(storedSessions.map((s) => s.id).sort()).toEqual([...sessionIds].sort());
    const storedEvents = await database.db
      .select({ id: instrumentEvents.eventId })
      .from(instrumentEvents)
      .where(inArray(instrumentEvents.eventId, eventIds));
    expect(storedEvents.map((e) => e.id).sort()).toEqual([...eventIds].sort());
  });
});

describe('a database that accepts connections but never answers', () => {
  let server: net.Server;
  let database: Database;
  const held: net.Socket[] = [];

  beforeAll(async () => {
    server = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    database = await openDatabase({
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/silent`,
      connectTimeoutSeconds: CONNECT_TIMEOUT_SECONDS,
    });
    setDatabase(database);
  });
  afterAll(async () => {
    setDatabase(undefined);
    for (const s of held) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up after the connect timeout with 503, over REST and tRPC', async () => {
    const headers = { authorization: authorization('ovl_whoever') };
    for (const path of ['/api/v1/analytics', '/api/trpc/privacy.consent']) {
      const started = performance.now();
      const res = await call('GET', path, { headers });
      const ms = performance.now() - started;
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
      expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_SECONDS * 1000 - 50);
      expect(ms).toBeLessThan(BOUND_MS);
      const code = path.includes('trpc') ? res.body.error.data.code : res.body.error.code;
      expect(code).toBe(path.includes('trpc') ? 'SERVICE_UNAVAILABLE' : 'database_unavailable');
    }
  });
});
