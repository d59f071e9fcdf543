import { expect, it } from 'vitest';
import { peakRssMb } from '../../bench/lib/memory';

it.runIf(process.platform === 'linux')('reads a process’s peak resident memory, at least what it holds now', () => {
  const held = Buffer.alloc(64 * 1024 * 1024, 1); // touched, so resident
  const peak = peakRssMb(process.pid);
  expect(peak).toBeGreaterThanOrEqual(Math.round(process.memoryUsage().rss / 1024 / 1024) - 1);
  expect(peak).toBeGreaterThan(64);
  expect(held[held.length - 1]).toBe(1);
});

it('answers undefined for a process that does not exist', () => {
  expect(peakRssMb(2 ** 22 + 12345)).toBeUndefined();
});
