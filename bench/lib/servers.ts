import { existsSync } from 'node:fs';
import type { Db } from '../../db/client';
import { identities } from '../../db/schema';
import { freePort } from '../../scripts/lib/free-port';
import { startIdentityProvider } from '../../scripts/lib/identity-provider';
import { nextBuild, startNext } from '../../scripts/lib/next-server';
import { startRedis } from '../../scripts/lib/throwaway-redis';
import { generateKey } from '../../server/privacy/encryption';
import { wallClock } from '../../server/time/clock';
import { startBaselineServer } from '../baseline-server';
import { type BenchConfig, log } from './config';

export interface Writer {
  userId: string;
  token: string;
}

export type Servers = Awaited<ReturnType<typeof startServers>>;

/**
 * What the HTTP rounds measure: the production build (built first unless `--no-build` finds one), a second
 * instance of it counting limits in Redis, the identity provider the JWT scenario signs with, and the bare
 * baseline. Each is registered in `stopAll` as it starts.
 */
export async function startServers(
  db: Db,
  databaseUrl: string,
  cfg: BenchConfig,
  writers: readonly Writer[],
  stopAll: (() => Promise<void> | void)[],
) {
  if (cfg.build || !existsSync(cfg.distDir)) {
    log(`building the production app into ${cfg.distDir} …`);
    await nextBuild({ NEXT_DIST_DIR: cfg.distDir });
  }
  // The app's identity provider (a local JWKS): the JWT scenario signs one token per writer.
  const idp = await startIdentityProvider();
  stopAll.unshift(() => idp.close());
  const appEnv = {
    NEXT_DIST_DIR: cfg.distDir,
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: '10',
    BENCH_ROUTES: 'on',
    RATE_LIMIT_PER_MINUTE: '0', // one token is hammered on purpose
    DATA_ENCRYPTION_KEY: generateKey(),
    PSEUDONYM_KEY: generateKey(),
    ...idp.env,
  };
  const app = await startNext({ port: await freePort(), stdio: 'ignore', env: appEnv });
  stopAll.unshift(() => app.stop());
  // A second instance of the same build with shared limits on: every request counted in Redis (a limit no
  // writer reaches, so the cost of counting is measured, not refusals).
  const redisServer = await startRedis();
  stopAll.unshift(() => redisServer.stop());
  const appRedis = await startNext({
    port: await freePort(),
    stdio: 'ignore',
    env: { ...appEnv, REDIS_URL: redisServer.url, RATE_LIMIT_PER_MINUTE: '1000000' },
  });
  stopAll.unshift(() => appRedis.stop());
  // The writers' identities at the bench's provider, linked to their accounts as an admin would link them.
  await db
    .insert(identities)
    .values(writers.map((w) => ({ issuer: idp.issuer, subject: w.userId, userId: w.userId, linkedBy: 'bench' })));
  const expires = Math.floor(wallClock().getTime() / 1000) + 6 * 3600;
  const jwtOf = new Map(
    await Promise.all(writers.map(async (w) => [w.userId, await idp.token(w.userId, { exp: expires })] as const)),
  );
  const baseline = await startBaselineServer(
    databaseUrl,
    writers.map((w) => w.userId),
    10,
  );
  stopAll.unshift(() => baseline.close());
  log(`app on ${app.url}, bare baseline on ${baseline.url}`);
  return { app, appRedis, redisServer, baseline, jwtOf };
}
