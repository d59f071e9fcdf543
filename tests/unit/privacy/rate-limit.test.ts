import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '@/server/http/rate-limit';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('token bucket rate limit', () => {
  it('allows the burst, then refuses with the seconds until the next token', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter(60, 3, c.now); // one a second, bursts of three
    expect([1, 2, 3].map(() => limiter.take('t').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('t');
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1, remaining: 0 });
    c.advance(1000);
    expect(limiter.take('t').allowed).toBe(true);
    expect(limiter.take('t').allowed).toBe(false);
  });

  it('says how long to wait at slow rates', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter(2, 1, c.now); // one every 30 s
    expect(limiter.take('t').allowed).toBe(true);
    expect(limiter.take('t').retryAfterSeconds).toBe(30);
    c.advance(20_000);
    expect(limiter.take('t').retryAfterSeconds).toBe(10);
  });

  it('keeps one bucket per token', () => {
    const limiter = new TokenBucketLimiter(60, 1, clock().now);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('never stores more than the burst, however long a token was idle', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter(60, 2, c.now);
    limiter.take('t');
    c.advance(3_600_000);
    expect([1, 2, 3].map(() => limiter.take('t').allowed)).toEqual([true, true, false]);
  });

  it('forgets idle buckets when it holds too many, without changing any answer', () => {
    const c = clock();
    const limiter = new TokenBucketLimiter(60, 1, c.now, 2);
    limiter.take('a');
    limiter.take('b');
    c.advance(5_000); // both refilled: forgetting them is invisible
    expect(limiter.take('c').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });
});
