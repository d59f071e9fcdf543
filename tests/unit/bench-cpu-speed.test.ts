import { expect, it } from 'vitest';
import { probeCpuSpeed } from '../../bench/lib/cpu-speed';

it('measures one speed per thread, slowest first, in millions of loop iterations a second', async () => {
  const speeds = await probeCpuSpeed(50, 3);
  expect(speeds).toHaveLength(3);
  expect([...speeds].sort((a, b) => a - b)).toEqual(speeds);
  // Any CPU this decade counts far more than a million a second in that loop, and none a million million.
  for (const s of speeds) expect(s).toBeGreaterThan(1);
  for (const s of speeds) expect(s).toBeLessThan(1_000_000);
});
