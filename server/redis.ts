import { Redis } from 'ioredis';
import { env } from '@/server/env';

/**
 * The shared Redis (`REDIS_URL`), one connection per process, or undefined without one. Commands fail at once while
 * it is unreachable (no offline queue) and after 500 ms when it does not answer, so a request never waits long on
 * it: the callers decide what a failure means.
 */
const holder = globalThis as typeof globalThis & { __overloadRedis?: { url: string; client: Redis } };

export function redis(): Redis | undefined {
  const url = env().REDIS_URL;
  if (!url) return undefined;
  if (holder.__overloadRedis?.url !== url) {
    holder.__overloadRedis?.client.disconnect();
    const client = new Redis(url, {
      enableOfflineQueue: false,
      // Concurrent requests' commands go out in one write: fewer system calls here and in Redis.
      enableAutoPipelining: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      // A Redis that accepts but does not answer must not hold a request: give up on a command after this.
      commandTimeout: 500,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    let warned = false;
    client.on('error', (err) => {
      if (!warned) console.warn(`Redis at ${new URL(url).host} is unreachable: ${err.message}`);
      warned = true;
    });
    client.on('ready', () => {
      warned = false;
    });
    holder.__overloadRedis = { url, client };
  }
  return holder.__overloadRedis.client;
}

/**
 * Opens the connection now and waits (at most `waitMs`) until it is ready: called when a server starts. A Redis
 * that is away does not stop the server; requests meanwhile are served as `RATE_LIMIT_ON_REDIS_FAILURE` says.
 */
export async function connectRedis(waitMs = 2_000): Promise<boolean> {
  const client = redis();
  if (!client) return false;
  if (client.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
