/**
 * The benchmark's "bare baseline": a minimal node:http server doing what POST /api/instrument does at its
 * core — read the body, validate it with the same zod schema, insert the events through the same `postgres`
 * driver — with no framework, no authentication, no consent check. What Overload adds on top is measured
 * against it. It stores what the app stores, so the two inserts cost the database alike: payloads sealed with the
 * same keys, requests spread over the same lifters in turn, and time-ordered (v7) event ids, as the app draws for
 * events sent without one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import { v7 as uuidv7 } from 'uuid';
import { instrumentInput } from '../server/contracts/instrument';
import { encrypt } from '../server/privacy/encryption';
import { keyring } from '../server/privacy/keyring';
import { wallClock } from '../server/time/clock';

export interface BaselineServer {
  url: string;
  close(): Promise<void>;
}

export async function startBaselineServer(
  databaseUrl: string,
  userIds: readonly string[],
  poolMax = 10,
): Promise<BaselineServer> {
  if (userIds.length === 0) throw new Error('the bare baseline needs at least one user id');
  const sql = postgres(databaseUrl, { max: poolMax, onnotice: () => {} });
  let turn = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const parsed = instrumentInput.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        if (!parsed.success) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid"}');
          return;
        }
        const events = 'events' in parsed.data ? parsed.data.events : [parsed.data];
        const now = wallClock();
        const userId = userIds[turn++ % userIds.length]!;
        const rows = events.map((e) => ({
          event_id: uuidv7(),
          user_id: userId,
          type: e.type,
          payload: encrypt(JSON.stringify(e.payload), keyring()),
          received_at: now,
          derived_at: now,
        }));
        await sql`insert into instrument_events ${sql(rows, 'event_id', 'user_id', 'type', 'payload', 'received_at', 'derived_at')}`;
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"accepted":${rows.length}}`);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(err) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.end({ timeout: 5 });
    },
  };
}
