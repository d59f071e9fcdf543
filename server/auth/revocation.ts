import type { Redis } from 'ioredis';
import { redis } from '@/server/redis';
import { forgetUser } from './credential-cache';

/**
 * Revoking a token, deleting a user or changing a role must reach every instance, not only the one that did it:
 * with Redis, the user id is published on one channel that every instance listens to and forgets its remembered
 * credentials for that user on (within milliseconds). A message missed while Redis was away is covered by
 * `AUTH_CACHE_SECONDS`, the longest anything is remembered. Without Redis, this process forgets at once and the
 * others within `AUTH_CACHE_SECONDS`.
 */
const CHANNEL = 'overload:credentials:forget';

const holder = globalThis as typeof globalThis & { __overloadRevocations?: { source: Redis; subscriber: Redis } };

/** Listens for other instances' revocations (once per process and Redis). Cheap to call on every request. */
export function listenForRevocations(): void {
  const source = redis();
  if (!source || holder.__overloadRevocations?.source === source) return;
  holder.__overloadRevocations?.subscriber.disconnect();
  // A subscribed connection can do nothing else: a second one, which may queue while it (re)connects.
  const subscriber = source.duplicate({ enableOfflineQueue: true });
  subscriber.on('error', () => {}); // reported by the main connection
  subscriber.on('message', (_channel: string, userId: string) => forgetUser(userId));
  void subscriber.subscribe(CHANNEL).catch(() => {});
  holder.__overloadRevocations = { source, subscriber };
}

/** Forgets a user's remembered credentials here at once, and in every other instance through Redis. */
export async function forgetEverywhere(userId: string): Promise<void> {
  forgetUser(userId);
  await redis()
    ?.publish(CHANNEL, userId)
    .catch((err: Error) => console.warn(`Could not announce a revocation through Redis: ${err.message}`));
}
