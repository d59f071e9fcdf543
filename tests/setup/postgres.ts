import { sql } from 'drizzle-orm';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/client';
import { startAll } from '../../scripts/lib/start-all';
import { startPostgres, withDatabase } from '../../scripts/lib/throwaway-postgres';
import { startRedis } from '../../scripts/lib/throwaway-redis';

export const TEMPLATE_DB = 'overload_template';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    /** The test server also speaks TLS with this self-signed certificate (tests/db/tls.test.ts). */
    postgresCaFile: string;
    /** A throwaway Redis (Debian's redis-server) for the tests of limits and revocation across instances. */
    redisUrl: string;
  }
}

/** One PostgreSQL for the run, with a migrated template database each test file copies, and one Redis. */
export default async function setup(project: TestProject) {
  // Whatever started is stopped again when the rest fails, as when the run ends.
  const [pg, redis] = await startAll(
    () => startPostgres({ fast: true, tls: true }),
    () => startRedis(),
  );
  const stop = () => {
    pg.stop();
    redis.stop();
  };
  const stopOnSignal = () => {
    stop();
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const admin = await openDatabase({ databaseUrl: pg.url, migrate: false });
    await admin.db.execute(sql.raw(`create database ${TEMPLATE_DB}`));
    await admin.close();
    const template = await openDatabase({ databaseUrl: withDatabase(pg.url, TEMPLATE_DB), migrate: true });
    await template.close();
  } catch (err) {
    stop();
    throw err;
  }
  project.provide('postgresUrl', pg.url);
  project.provide('postgresCaFile', pg.caFile!);
  project.provide('redisUrl', redis.url);
  return stop;
}
