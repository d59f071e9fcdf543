/**
 * What garbage collection in `next start` did while a target was measured, read from the lines
 * `gc-observer.cjs` appends (one JSON object per GC), and how it lines up with the slowest responses.
 *
 * Why: under load the slowest 1 % of single-event responses arrive in bursts of about one per connection —
 * every request in flight at one moment — and those moments are mark-compact collections (BENCHMARKS.md,
 * "What limits each figure"). The bench prints, per target, how many mark-compacts ran and which share of all
 * responses, and of the slowest 1 %, were in flight during one of their pauses.
 */

export interface GcEvent {
  pid: number;
  /** Wall-clock milliseconds (epoch) when the pause began. */
  at: number;
  /** The pause, ms. */
  ms: number;
  /** A mark-compact (full) collection; otherwise a scavenge of the young generation. */
  major: boolean;
}

/** The old generation around one mark-compact (bytes), as the observer wrote it (`at`: when written). */
export interface OldGenerationSample {
  pid: number;
  at: number;
  before: number;
  after: number;
}

/** A steady-state response: when it completed (wall-clock ms) and how long it took. */
export interface Completion {
  at: number;
  ms: number;
}

export interface GcSummary {
  majors: number;
  majorPauseMs: number;
  scavenges: number;
  scavengePauseMs: number;
  /** Share of all responses that were in flight during a mark-compact pause. */
  inFlightShare: number;
  /** Responses at or above the tail threshold (the target's p99). */
  tailCount: number;
  /** Share of those that were in flight during a mark-compact pause. */
  tailInFlightShare: number;
}

/** Parses the observer's lines; a line cut short (a process killed mid-write) or not an event is skipped. */
export function parseGcLog(text: string): GcEvent[] {
  const events: GcEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as Partial<GcEvent>;
      if (typeof e.pid === 'number' && typeof e.at === 'number' && typeof e.ms === 'number' && typeof e.major === 'boolean') {
        events.push({ pid: e.pid, at: e.at, ms: e.ms, major: e.major });
      }
    } catch {
      // partial line
    }
  }
  return events;
}

/** The observer's old-generation lines (`"heap": true`); anything else is skipped. */
export function parseOldGenerationLog(text: string): OldGenerationSample[] {
  const samples: OldGenerationSample[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"heap"')) continue;
    try {
      const e = JSON.parse(line) as { pid?: unknown; at?: unknown; heap?: unknown; oldBefore?: unknown; oldAfter?: unknown };
      if (e.heap === true && typeof e.pid === 'number' && typeof e.at === 'number' && typeof e.oldBefore === 'number' && typeof e.oldAfter === 'number') {
        samples.push({ pid: e.pid, at: e.at, before: e.oldBefore, after: e.oldAfter });
      }
    } catch {
      // partial line
    }
  }
  return samples;
}

export interface OldGenerationGrowth {
  /** Mark-compacts with a sample written during the windows. */
  count: number;
  /** Median old generation left by them, bytes. */
  medianAfter: number;
  /**
   * Median of (size at a mark-compact ÷ size left by the process's previous one): how far V8 let the old
   * generation grow — up to ~4× by its own heuristics, down to 1.1× when it judges collection cheap.
   */
  medianFactor: number | null;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Old-generation growth at the mark-compacts of a target's rounds. Samples are written up to ~250 ms after
 * their collection, so a window reaches `lagMs` past its end; a factor needs the same process's previous
 * sample, which may come from before the window.
 */
export function summariseOldGeneration(samples: OldGenerationSample[], windows: [number, number][], lagMs = 300): OldGenerationGrowth {
  const inWindow = (at: number) => windows.some(([from, to]) => at >= from && at <= to + lagMs);
  const previous = new Map<number, OldGenerationSample>();
  const factors: number[] = [];
  const afters: number[] = [];
  for (const s of samples) {
    const prev = previous.get(s.pid);
    if (inWindow(s.at)) {
      afters.push(s.after);
      if (prev && prev.after > 0) factors.push(s.before / prev.after);
    }
    previous.set(s.pid, s);
  }
  return { count: afters.length, medianAfter: median(afters) ?? 0, medianFactor: median(factors) };
}

/** Whether a response, in flight from `at - ms` to `at`, overlapped the pause of `gc`. */
export function inFlightDuring(response: Completion, gc: GcEvent): boolean {
  return response.at - response.ms <= gc.at + gc.ms && gc.at <= response.at;
}

/**
 * GC during a target's rounds (`windows`: [from, to] wall-clock ms, one per round) and its overlap with the
 * responses. With several `next start` processes a response is counted if any process paused while it was
 * in flight (the response's process is not known), which overstates the share; the comparison between all
 * responses and the slowest 1 % still shows whether the pauses are where the tail is.
 */
export function summariseGc(events: GcEvent[], windows: [number, number][], responses: Completion[], tailFromMs: number): GcSummary {
  const during = events.filter((e) => windows.some(([from, to]) => e.at >= from && e.at <= to));
  const majors = during.filter((e) => e.major);
  const scavenges = during.filter((e) => !e.major);
  const hit = (r: Completion) => majors.some((gc) => inFlightDuring(r, gc));
  const tail = responses.filter((r) => r.ms >= tailFromMs);
  const share = (xs: Completion[]) => (xs.length === 0 ? 0 : xs.filter(hit).length / xs.length);
  const sum = (xs: GcEvent[]) => xs.reduce((a, e) => a + e.ms, 0);
  return {
    majors: majors.length,
    majorPauseMs: sum(majors),
    scavenges: scavenges.length,
    scavengePauseMs: sum(scavenges),
    inFlightShare: share(responses),
    tailCount: tail.length,
    tailInFlightShare: share(tail),
  };
}
