import { beforeEach, describe, expect, it } from 'vitest';
import { forgetAll, forgetUser, remembered } from '@/server/auth/credential-cache';

describe('remembered credentials', () => {
  const lifter = { userId: 'u1', role: 'lifter' as const };
  let lookups = 0;
  const lookup = (validUntil?: Date | null) => async () => {
    lookups += 1;
    return { principal: lifter, validUntil };
  };
  beforeEach(() => {
    forgetAll();
    lookups = 0;
  });

  it('answers from memory within the TTL, asks again after it', async () => {
    const t0 = 1_000_000;
    await remembered('k', 15, lookup(), t0);
    await remembered('k', 15, lookup(), t0 + 14_999);
    expect(lookups).toBe(1);
    await remembered('k', 15, lookup(), t0 + 15_000);
    expect(lookups).toBe(2);
  });

  it('never past the credential’s own expiry, however long the TTL', async () => {
    const t0 = 1_000_000;
    await remembered('k', 300, lookup(new Date(t0 + 2_000)), t0);
    await remembered('k', 300, lookup(new Date(t0 + 2_000)), t0 + 1_999);
    expect(lookups).toBe(1);
    await remembered('k', 300, lookup(new Date(t0 + 2_000)), t0 + 2_000);
    expect(lookups).toBe(2);
  });

  it('forgets a user’s entries at once; a TTL of 0 remembers nothing; unknown credentials are not remembered', async () => {
    await remembered('k', 15, lookup());
    forgetUser('u1');
    await remembered('k', 15, lookup());
    expect(lookups).toBe(2);
    await remembered('z', 0, lookup());
    await remembered('z', 0, lookup());
    expect(lookups).toBe(4);
    expect(await remembered('n', 15, async () => null)).toBeNull();
  });
});
