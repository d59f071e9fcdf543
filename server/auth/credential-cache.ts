import { wallClock } from '@/server/time/clock';
import type { Principal } from './principal';

/**
 * API-token lookups, remembered for a few seconds (`AUTH_CACHE_SECONDS`) so an ingest request costs one database
 * round trip instead of two. Only identity and role are remembered — never consent — and never an unknown token,
 * so a new token works at once. Revoking and deleting a user forget the entries at once in this process; other
 * processes notice within the TTL.
 */
interface Remembered {
  principal: Principal;
  expires: number;
}

const MAX_REMEMBERED = 50_000;
// On globalThis: Next may load this module once per route bundle; revocation must reach every copy.
const holder = globalThis as typeof globalThis & { __overloadCredentials?: Map<string, Remembered> };

function cache(): Map<string, Remembered> {
  holder.__overloadCredentials ??= new Map();
  return holder.__overloadCredentials;
}

/** A lookup's answer: who, and — for a credential that expires — until when it may be remembered. */
export interface Found {
  principal: Principal;
  validUntil?: Date | null;
}

export async function remembered(
  key: string,
  ttlSeconds: number,
  lookup: () => Promise<Found | null>,
  now = wallClock().getTime(),
): Promise<Principal | null> {
  const hit = cache().get(key);
  if (ttlSeconds > 0 && hit && hit.expires > now) return hit.principal;
  const found = await lookup();
  if (!found) {
    cache().delete(key);
    return null;
  }
  if (ttlSeconds <= 0) return found.principal;
  if (cache().size >= MAX_REMEMBERED) cache().clear(); // bounded; a refill costs one query per credential
  // Never remembered past the credential's own expiry.
  const expires = Math.min(now + ttlSeconds * 1000, found.validUntil?.getTime() ?? Number.POSITIVE_INFINITY);
  cache().set(key, { principal: found.principal, expires });
  return found.principal;
}

/** Forgets every credential of a user (tokens revoked, user deleted). */
export function forgetUser(userId: string): void {
  for (const [key, r] of cache()) if (r.principal.userId === userId) cache().delete(key);
}

/** Forgets everything remembered: the database behind it was replaced (tests switch databases). */
export function forgetAll(): void {
  cache().clear();
}
