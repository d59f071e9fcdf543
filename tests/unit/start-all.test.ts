import { describe, expect, it } from 'vitest';
import { startAll } from '../../scripts/lib/start-all';

/** A fake service that records whether it was stopped. */
function service(name: string, fails = false) {
  const state = { started: false, stopped: 0 };
  const start = async () => {
    await Promise.resolve();
    if (fails) throw new Error(`${name} did not start`);
    state.started = true;
    return { name, stop: () => void state.stopped++ };
  };
  return { start, state };
}

describe('startAll', () => {
  it('answers every started service, in order, and stops none', async () => {
    const a = service('postgres');
    const b = service('redis');
    const [pg, redis] = await startAll(a.start, b.start);
    expect([pg.name, redis.name]).toEqual(['postgres', 'redis']);
    expect([a.state.stopped, b.state.stopped]).toEqual([0, 0]);
  });

  it('stops what did start when another fails, and rethrows the failure', async () => {
    const a = service('postgres');
    const b = service('redis', true);
    const c = service('identity provider');
    await expect(startAll(a.start, b.start, c.start)).rejects.toThrow('redis did not start');
    expect([a.state.started, c.state.started]).toEqual([true, true]);
    expect([a.state.stopped, c.state.stopped]).toEqual([1, 1]);
  });

  it('rethrows the first failure when several fail', async () => {
    await expect(startAll(service('a', true).start, service('b', true).start)).rejects.toThrow('a did not start');
  });
});
