import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  inFlightDuring,
  parseGcLog,
  parseOldGenerationLog,
  summariseGc,
  summariseOldGeneration,
  type Completion,
  type GcEvent,
  type OldGenerationSample,
} from '../../bench/lib/gc-log';

const gc = (at: number, ms: number, major = true, pid = 1): GcEvent => ({ pid, at, ms, major });

describe('parseGcLog', () => {
  it('reads one event per line and skips a line cut short or not an event', () => {
    const text = [
      JSON.stringify(gc(1000, 12.5)),
      '',
      JSON.stringify(gc(1100, 3, false, 2)),
      '{"pid":1,"at":1200,"ms":4', // cut short by a kill
      JSON.stringify({ pid: 1, at: 'soon', ms: 1, major: true }),
      'not json',
    ].join('\n');
    expect(parseGcLog(text)).toEqual([gc(1000, 12.5), gc(1100, 3, false, 2)]);
  });
});

describe('inFlightDuring', () => {
  // A pause from 1000 to 1010 ms; a response is in flight from at - ms to at.
  const pause = gc(1000, 10);
  it.each([
    ['completed before the pause began', { at: 999, ms: 50 }, false],
    ['completed as the pause began', { at: 1000, ms: 50 }, true],
    ['completed during the pause', { at: 1005, ms: 50 }, true],
    ['spans the whole pause', { at: 1100, ms: 200 }, true],
    ['started during the pause', { at: 1060, ms: 55 }, true],
    ['started as the pause ended', { at: 1060, ms: 50 }, true],
    ['started after the pause ended', { at: 1061, ms: 50 }, false],
  ] as [string, Completion, boolean][])('%s → %s', (_label, response, expected) => {
    expect(inFlightDuring(response, pause)).toBe(expected);
  });
});

describe('summariseGc', () => {
  const events = [
    gc(500, 30), // before the rounds
    gc(1000, 20),
    gc(1200, 5, false),
    gc(1300, 4, false),
    gc(5000, 25), // in the second round
    gc(9000, 40), // between rounds
  ];
  const windows: [number, number][] = [
    [900, 2000],
    [4000, 6000],
  ];
  // Ten responses, three of them slow (≥ 100 ms): two in flight during a mark-compact pause, one not.
  const responses: Completion[] = [
    { at: 1010, ms: 120 }, // slow, over the pause at 1000
    { at: 5030, ms: 150 }, // slow, over the pause at 5000
    { at: 1500, ms: 110 }, // slow, no mark-compact (only scavenges)
    { at: 1005, ms: 40 }, // fast, over the pause at 1000
    ...[1600, 1700, 1800, 4500, 5500, 5900].map((at) => ({ at, ms: 20 })),
  ];

  it('counts the collections within the rounds only, and the pauses', () => {
    const s = summariseGc(events, windows, responses, 100);
    expect(s.majors).toBe(2);
    expect(s.majorPauseMs).toBe(45);
    expect(s.scavenges).toBe(2);
    expect(s.scavengePauseMs).toBe(9);
  });

  it('gives the share of all responses, and of those at or above the threshold, caught by a mark-compact', () => {
    const s = summariseGc(events, windows, responses, 100);
    expect(s.inFlightShare).toBeCloseTo(3 / 10);
    expect(s.tailCount).toBe(3);
    expect(s.tailInFlightShare).toBeCloseTo(2 / 3);
  });

  it('reports zeros rather than NaN with no responses or no collections', () => {
    expect(summariseGc([], windows, [], 100)).toEqual({
      majors: 0,
      majorPauseMs: 0,
      scavenges: 0,
      scavengePauseMs: 0,
      inFlightShare: 0,
      tailCount: 0,
      tailInFlightShare: 0,
    });
  });
});

describe('old-generation growth at mark-compacts', () => {
  const MB = 2 ** 20;
  const sample = (pid: number, at: number, before: number, after: number): OldGenerationSample => ({ pid, at, before: before * MB, after: after * MB });

  it('reads only the observer\'s heap lines, skipping GC events and cut lines', () => {
    const text = [
      '{"pid":1,"at":100,"ms":3,"major":true}',
      '{"pid":1,"heap":true,"at":350,"oldBefore":200,"oldAfter":50}',
      '{"pid":1,"heap":true,"at":600,"oldBefo',
      '{"pid":1,"heap":"yes","at":600,"oldBefore":1,"oldAfter":1}',
    ].join('\n');
    expect(parseOldGenerationLog(text)).toEqual([{ pid: 1, at: 350, before: 200, after: 50 }]);
    expect(parseGcLog(text)).toEqual([{ pid: 1, at: 100, ms: 3, major: true }]); // and the GC events ignore them
  });

  it.each([
    ['V8 at its ceiling: each grows to ~4× what the last one left', [sample(1, 0, 100, 40), sample(1, 4_000, 160, 40), sample(1, 8_000, 170, 42)], (4 + 4.25) / 2, 41],
    // The pile-up of change 22: live data steady, collections every ~250 ms at ~1.1×.
    ['the factor at its floor', [sample(1, 0, 60, 45), sample(1, 250, 50, 45), sample(1, 500, 50, 46), sample(1, 750, 51, 45)], 50 / 45, 45],
  ])('%s', (_name, samples, factor, after) => {
    const g = summariseOldGeneration(samples, [[100, 10_000]]);
    expect(g.medianFactor).toBeCloseTo(factor, 2);
    expect(g.medianAfter / MB).toBeCloseTo(after, 5);
  });

  it('counts samples written up to the lag past a window, takes the previous one from before it, and keeps processes apart', () => {
    const samples = [sample(1, 0, 90, 30), sample(2, 50, 400, 100), sample(1, 1_000, 120, 30), sample(2, 1_250, 500, 100), sample(1, 2_000, 999, 1)];
    const g = summariseOldGeneration(samples, [[500, 1_000]], 300);
    // pid 1 at 1,000 (120 / 30 = 4) and pid 2 at 1,250 (lag; 500 / 100 = 5); pid 1 at 2,000 is past the lag.
    expect(g.count).toBe(2);
    expect(g.medianFactor).toBeCloseTo(4.5, 5);
    expect(summariseOldGeneration(samples, [[5_000, 6_000]])).toEqual({ count: 0, medianAfter: 0, medianFactor: null });
    expect(summariseOldGeneration([sample(1, 600, 50, 40)], [[500, 1_000]]).medianFactor).toBeNull(); // no previous one
  });
});

describe('gc-observer.cjs (preloaded into next start by the bench)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-gc-observer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const observer = path.resolve('bench/lib/gc-observer.cjs');
  // A forced full collection, then young garbage for scavenges. GC entries reach an observer asynchronously,
  // so the process stays a moment before it exits on its own (as a server does for its whole life).
  const script =
    'globalThis.gc(); const keep = []; for (let i = 0; i < 2e5; i++) keep[i % 100] = { i, s: String(i) }; setTimeout(() => console.log(process.pid, keep.length), 400);';

  it('appends each collection of the process, with its pid, wall-clock start and kind', () => {
    const file = path.join(dir, 'gc.jsonl');
    const before = Date.now();
    const child = spawnSync(process.execPath, ['--expose-gc', '--require', observer, '-e', script], {
      env: { ...process.env, BENCH_GC_LOG: file },
      encoding: 'utf8',
    });
    const after = Date.now();
    expect(child.status).toBe(0);
    const pid = Number(child.stdout.split(' ')[0]);
    const events = parseGcLog(readFileSync(file, 'utf8'));
    expect(events.some((e) => e.major)).toBe(true);
    expect(events.some((e) => !e.major)).toBe(true);
    for (const e of events) {
      expect(e.pid).toBe(pid);
      expect(e.at).toBeGreaterThanOrEqual(before - 5);
      expect(e.at).toBeLessThanOrEqual(after + 5);
      expect(e.ms).toBeGreaterThanOrEqual(0);
    }
    // And the old generation around each mark-compact, one line per major event.
    const heap = parseOldGenerationLog(readFileSync(file, 'utf8'));
    expect(heap).toHaveLength(events.filter((e) => e.major).length);
    for (const h of heap) {
      expect(h.pid).toBe(pid);
      expect(h.after).toBeGreaterThan(100_000); // a Node.js process's old generation is megabytes, not nothing
      expect(h.before).toBeGreaterThan(0);
    }
  });

  it('writes nothing and changes nothing without BENCH_GC_LOG', () => {
    const env = { ...process.env };
    delete env.BENCH_GC_LOG;
    const child = spawnSync(process.execPath, ['--expose-gc', '--require', observer, '-e', script], { env, encoding: 'utf8', cwd: dir });
    expect(child.status).toBe(0);
    expect(child.stderr).toBe('');
    expect(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)).toEqual(['gc.jsonl']);
  });
});
