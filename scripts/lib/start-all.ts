/** Something started that must be stopped: a throwaway server. */
export interface Stoppable {
  stop(): void;
}

type Started<T extends readonly (() => Promise<Stoppable>)[]> = {
  -readonly [K in keyof T]: Awaited<ReturnType<T[K]>>;
};

/**
 * Starts services side by side. If any fails, those that did start are stopped before the first failure is
 * rethrown: a failed start leaves nothing running (a test run's setup, a benchmark).
 */
export async function startAll<T extends readonly (() => Promise<Stoppable>)[]>(...starters: T): Promise<Started<T>> {
  const settled = await Promise.allSettled(starters.map((start) => start()));
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    for (const r of settled) if (r.status === 'fulfilled') r.value.stop();
    throw failure.reason;
  }
  return settled.map((r) => (r as PromiseFulfilledResult<Stoppable>).value) as Started<T>;
}
