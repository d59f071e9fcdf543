import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '@/server/http/errors';
import { enforceRateLimit, setRateLimits } from '@/server/http/rate-limit';

async function refusal(key: string, kind?: 'request' | 'signIn'): Promise<ApiError | undefined> {
  try {
    await enforceRateLimit(key, kind);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

describe('rate limits', () => {
  afterEach(() => setRateLimits(undefined));

  it('allows the budget, then refuses with 429 rate_limited and the seconds until the window resets', async () => {
    setRateLimits({ request: 3 });
    for (let i = 0; i < 3; i++) expect(await refusal('user:a')).toBeUndefined();
    const refused = await refusal('user:a');
    expect(refused?.status).toBe(429);
    expect(refused?.code).toBe('rate_limited');
    const wait = Number(refused?.headers?.['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused?.message).toMatch(/3 a minute/);
  });

  it('keeps one budget per key, and sign-ins apart from requests', async () => {
    setRateLimits({ request: 1, signIn: 1 });
    expect(await refusal('user:a')).toBeUndefined();
    expect(await refusal('user:a')).toBeDefined();
    expect(await refusal('user:b')).toBeUndefined();
    expect(await refusal('signin:1.2.3.4', 'signIn')).toBeUndefined();
    expect((await refusal('signin:1.2.3.4', 'signIn'))?.message).toMatch(/sign-in attempts/);
    expect(await refusal('signin:5.6.7.8', 'signIn')).toBeUndefined();
  });

  it('0 means no limit', async () => {
    setRateLimits({ request: 0 });
    for (let i = 0; i < 50; i++) expect(await refusal('user:a')).toBeUndefined();
  });
});
