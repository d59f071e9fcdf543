import { env } from '@/server/env';

/**
 * The client's address, for throttling sign-in — from what this deployment can trust, never from what the client
 * writes: on Vercel its `x-real-ip` (set by the platform); behind `TRUSTED_PROXY_HOPS` proxies that append to
 * X-Forwarded-For, the entry that many from the right (what the first trusted proxy saw); with neither, nobody's
 * in particular — every client shares one throttle rather than choosing its own (or someone else's) key.
 */
export function clientAddressOf(headers: Headers): string {
  const e = env();
  if (e.VERCEL) return headers.get('x-real-ip')?.trim() || 'unknown';
  if (e.TRUSTED_PROXY_HOPS === 0) return 'unknown';
  const hops = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  return hops[hops.length - e.TRUSTED_PROXY_HOPS] ?? 'unknown';
}
