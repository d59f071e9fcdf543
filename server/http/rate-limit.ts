import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterRes,
} from 'rate-limiter-flexible';
import { env } from '@/server/env';
import { redis } from '@/server/redis';
import { ApiError } from './errors';

/**
 * Request limits, counted per key in fixed one-minute windows by `rate-limiter-flexible`:
 * - `request`: every REST request and every tRPC call of a principal (one budget per user, whichever token or
 *   session it comes through), `RATE_LIMIT_PER_MINUTE`;
 * - `signIn`: sign-in attempts per client address, `SIGNIN_ATTEMPTS_PER_MINUTE`.
 * With `REDIS_URL` the counts live in Redis, one budget across every instance; without it, in this process's
 * memory, where several instances each count their own share. While Redis is unreachable the limiter fails open
 * (each process counts in memory meanwhile: `RATE_LIMIT_ON_REDIS_FAILURE=open`, the default) or closed (limited
 * requests answer 503 `rate_limiter_unavailable`) — never a 500, never a wait.
 */
export type LimitKind = 'request' | 'signIn';
export type Limits = Record<LimitKind, number>;

type Limiters = Record<LimitKind, RateLimiterAbstract | null>;

// On globalThis: Next may load this module once per route bundle, and every copy must count into one budget.
const holder = globalThis as typeof globalThis & { __overloadLimiters?: Limiters };

function build(limits: Limits): Limiters {
  const store = redis();
  const failOpen = env().RATE_LIMIT_ON_REDIS_FAILURE === 'open';
  const limiter = (kind: LimitKind): RateLimiterAbstract | null => {
    if (limits[kind] <= 0) return null;
    const options = { keyPrefix: `overload:limit:${kind}`, points: limits[kind], duration: 60 };
    if (!store) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: store,
      rejectIfRedisNotReady: true,
      insuranceLimiter: failOpen ? new RateLimiterMemory(options) : undefined,
    });
  };
  return { request: limiter('request'), signIn: limiter('signIn') };
}

function limiters(): Limiters {
  holder.__overloadLimiters ??= build({
    request: env().RATE_LIMIT_PER_MINUTE,
    signIn: env().SIGNIN_ATTEMPTS_PER_MINUTE,
  });
  return holder.__overloadLimiters;
}

/** Tests set limits of their own (0: none); `undefined` goes back to the environment's. */
export function setRateLimits(limits: Partial<Limits> | undefined): void {
  holder.__overloadLimiters = limits ? build({ request: 0, signIn: 0, ...limits }) : undefined;
}

const isRefusal = (x: unknown): x is RateLimiterRes =>
  typeof x === 'object' && x !== null && typeof (x as RateLimiterRes).msBeforeNext === 'number';

/** Takes one from `key`'s budget, or refuses with 429 `rate_limited` and `Retry-After`. */
export async function enforceRateLimit(key: string, kind: LimitKind = 'request'): Promise<void> {
  const limiter = limiters()[kind];
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (refused) {
    // Refusals are RateLimiterRes objects; told apart by shape, since a bundle may hold two copies of the class.
    // Anything else is the store failing (Redis away, fail-closed).
    if (!isRefusal(refused)) {
      throw new ApiError(
        503,
        'rate_limiter_unavailable',
        'The rate limiter’s store cannot be reached; retry shortly.',
        undefined,
        { 'retry-after': '2' },
      );
    }
    const seconds = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
    const what = kind === 'signIn' ? 'sign-in attempts' : 'requests';
    throw new ApiError(
      429,
      'rate_limited',
      `Too many ${what} (${limiter.points} a minute); retry after ${seconds} s.`,
      undefined,
      { 'retry-after': String(seconds) },
    );
  }
}
