import { env } from '@/server/env';
import { ApiError } from './errors';

/**
 * Per-token rate limit: a token bucket per API token, refilled at `perMinute / 60` per second up to `burst`.
 * Kept in this process's memory, so the hot path costs a map lookup and no database round trip; with several
 * instances each enforces the limit on its own share of traffic (a shared store would make it global).
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one request will be allowed again (0 when allowed). */
  retryAfterSeconds: number;
  remaining: number;
}

export interface RateLimiter {
  readonly limitPerMinute: number;
  take(key: string): RateDecision;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly limitPerMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {
    this.perMs = limitPerMinute / 60_000;
  }

  take(key: string): RateDecision {
    const now = this.now();
    const held = this.buckets.get(key);
    const tokens = held ? Math.min(this.burst, held.tokens + (now - held.at) * this.perMs) : this.burst;
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)), remaining: 0 };
    }
    if (!held && this.buckets.size >= this.maxKeys) this.sweep(now);
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(tokens - 1) };
  }

  /** Forgets buckets that have refilled completely: they behave exactly like a new one. */
  private sweep(now: number) {
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(key);
  }
}

const unlimited: RateLimiter = {
  limitPerMinute: 0,
  take: () => ({ allowed: true, retryAfterSeconds: 0, remaining: Number.POSITIVE_INFINITY }),
};

export function limiterFromEnv(): RateLimiter {
  const e = env();
  return e.RATE_LIMIT_PER_MINUTE === 0 ? unlimited : new TokenBucketLimiter(e.RATE_LIMIT_PER_MINUTE, e.RATE_LIMIT_BURST);
}

const holder = globalThis as typeof globalThis & { __overloadRateLimiter?: RateLimiter };

export function rateLimiter(): RateLimiter {
  holder.__overloadRateLimiter ??= limiterFromEnv();
  return holder.__overloadRateLimiter;
}

/**
 * Takes one request from `key`'s bucket, or refuses with 429 `rate_limited` and `Retry-After`. The REST wrapper
 * and tRPC both call this, with the same key for the same API token, so a token has one limit across both.
 */
export function enforceRateLimit(key: string): void {
  const limit = rateLimiter().take(key);
  if (limit.allowed) return;
  throw new ApiError(
    429,
    'rate_limited',
    `Too many requests (${rateLimiter().limitPerMinute} a minute); retry after ${limit.retryAfterSeconds} s.`,
    undefined,
    { 'retry-after': String(limit.retryAfterSeconds) },
  );
}

/** Tests install their own limiter; `undefined` goes back to the environment's. */
export function useRateLimiter(limiter: RateLimiter | undefined): void {
  holder.__overloadRateLimiter = limiter;
}
