/**
 * What `npm start` (scripts/serve.mjs) does when one of its `next start` workers exits on its own: start
 * another, or stop the whole server so that whatever supervises it (systemd, a container runtime) sees a
 * failure instead of a primary that forks forever.
 *
 * - A worker that dies within `startupMs` of its fork would die again: stop at once.
 * - A worker that ran longer is replaced — unless `maxRestarts` replacements already happened within the last
 *   `windowMs`: a worker that always crashes a while after starting (slow start, then a fatal error) is a
 *   crash loop as well, only slower.
 */
export const RESTART_DEFAULTS = { startupMs: 5_000, windowMs: 60_000, maxRestarts: 5 };

/**
 * @param {{ lived: number, now: number, restarts: number[] }} exit how long the worker ran, the time now,
 *   and when earlier replacements were started (ms)
 * @param {{ startupMs: number, windowMs: number, maxRestarts: number }} [limits]
 * @returns {({ action: 'restart' } | { action: 'stop', reason: string }) & { recent: number[] }} the decision,
 *   and the replacements still inside the window (all the caller needs to keep)
 */
export function afterWorkerExit({ lived, now, restarts }, limits = RESTART_DEFAULTS) {
  const recent = restarts.filter((t) => now - t < limits.windowMs);
  if (lived < limits.startupMs) return { action: 'stop', reason: 'right after starting', recent };
  if (recent.length >= limits.maxRestarts) {
    return { action: 'stop', reason: `${recent.length} workers replaced within ${Math.round(limits.windowMs / 1000)} s already`, recent };
  }
  return { action: 'restart', recent };
}

/**
 * The limits, from the environment: only tests shorten them (OVERLOAD_SERVE_STARTUP_MS,
 * OVERLOAD_SERVE_RESTART_WINDOW_MS), so a crash loop can be shown in seconds.
 *
 * @param {Record<string, string | undefined>} env
 */
export function restartLimits(env) {
  const num = (v, d) => (v && /^\d+$/.test(v) ? Number(v) : d);
  return {
    startupMs: num(env.OVERLOAD_SERVE_STARTUP_MS, RESTART_DEFAULTS.startupMs),
    windowMs: num(env.OVERLOAD_SERVE_RESTART_WINDOW_MS, RESTART_DEFAULTS.windowMs),
    maxRestarts: RESTART_DEFAULTS.maxRestarts,
  };
}
