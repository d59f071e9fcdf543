import { describe, expect, it } from 'vitest';
import { holdPolicy, policyNamed, rulesPolicy } from '@/server/modifiers/policies';
import { seededRandom } from '@/server/random';
import { calledRpe, dropoutHazard, HAZARD_EARLY, HAZARD_LATER } from '@/server/simulation/behaviour';
import { drawLifters } from '@/server/simulation/lifters';
import {
  type Body,
  DETRAIN_AFTER_DAYS,
  effectiveSet,
  endDay,
  FATIGUE_TAU_DAYS,
  newBody,
  recordSet,
  repsToFailure,
  strengthOf,
} from '@/server/simulation/physiology';
import { simulateLifter } from '@/server/simulation/world';
import { shareOfMax } from '@/server/strength/rep-max';
import { STANDARDS } from '@/server/strength/standards';

const START = '2025-01-06';

/** Trains a body for `days` days: `sets` sets at `load` × capacity, `reserve` reps short of failure, on these weekdays. */
function train(
  body: Body,
  from: number,
  days: number,
  plan: { weekdays: number[]; sets: number; load: number; reserve?: number },
) {
  for (let day = from; day < from + days; day++) {
    if (plan.weekdays.includes(day % 7)) {
      for (let s = 0; s < plan.sets; s++) {
        recordSet(body, day, effectiveSet(body, plan.load * body.capacity, plan.reserve ?? 2), false);
      }
    }
    endDay(body, day);
  }
}

const intermediate = () => newBody(100, 180, 45, 0.8);

describe('the body (physiology.ts)', () => {
  it('lifts the RTS chart’s reps at the chart’s shares; a lifter’s endurance stretches the reps but not the single', () => {
    for (const reps of [1, 3, 5, 8, 10, 12]) {
      expect(repsToFailure(100 * shareOfMax(reps), 100, 1)).toBeCloseTo(reps, 2);
    }
    expect(repsToFailure(100, 100, 1.5)).toBeCloseTo(1, 6);
    expect(repsToFailure(100 * shareOfMax(5), 100, 1.5)).toBeCloseTo(1 + 4 * 1.5, 2);
    expect(repsToFailure(105, 100, 1)).toBeLessThan(1);
  });

  it('fatigue decays with Banister’s τ₂: e⁻¹ of it is left a τ₂ later', () => {
    const body = intermediate();
    recordSet(body, 0, 1, false);
    const after = body.fatigue;
    for (let d = 0; d < FATIGUE_TAU_DAYS; d++) endDay(body, d);
    expect(body.fatigue / after).toBeCloseTo(Math.exp(-1), 10);
  });

  it('grows with training, less near its ceiling (diminishing returns)', () => {
    const far = newBody(100, 200, 45, 0.8);
    const near = newBody(100, 110, 45, 0.8);
    const plan = { weekdays: [0, 3], sets: 4, load: 0.85 };
    train(far, 0, 56, plan);
    train(near, 0, 56, plan);
    expect(far.capacity).toBeGreaterThan(101);
    expect(far.capacity - 100).toBeGreaterThan(3 * (near.capacity - 100));
  });

  it('too much load stalls or regresses it: 30 hard sets a week gain less than 10', () => {
    const moderate = intermediate();
    const excessive = intermediate();
    train(moderate, 0, 56, { weekdays: [0, 2, 4], sets: 3, load: 0.85, reserve: 1 });
    train(excessive, 0, 56, { weekdays: [0, 2, 4], sets: 10, load: 0.85, reserve: 0 });
    expect(moderate.capacity).toBeGreaterThan(excessive.capacity);
  });

  it('a deload week after hard training leaves the lifter stronger on the day than another hard week', () => {
    const plan = { weekdays: [0, 2, 4], sets: 8, load: 0.85, reserve: 0 };
    const deloaded = intermediate();
    const pushed = intermediate();
    train(deloaded, 0, 28, plan);
    train(pushed, 0, 28, plan);
    train(deloaded, 28, 7, { ...plan, sets: 2, load: 0.6, reserve: 5 });
    train(pushed, 28, 7, plan);
    expect(strengthOf(deloaded)).toBeGreaterThan(strengthOf(pushed));
  });

  it('detrains only after three weeks without training, towards the untrained level', () => {
    const body = intermediate();
    // Trained on days 0, 3, 7 and 10; the last sets count towards growth until day 16.
    const rest = { weekdays: [], sets: 0, load: 0 };
    train(body, 0, 14, { weekdays: [0, 3], sets: 3, load: 0.85 });
    train(body, 14, 3, rest);
    const trained = body.capacity;
    train(body, 17, 10 + DETRAIN_AFTER_DAYS + 1 - 17, rest);
    expect(body.capacity).toBe(trained);
    train(body, 11 + DETRAIN_AFTER_DAYS, 56, rest);
    expect(body.capacity).toBeLessThan(trained * 0.97);
    expect(body.capacity).toBeGreaterThan(body.untrained);
  });
});

describe('the lifter’s habits (behaviour.ts)', () => {
  it('calls RPE as the literature found: under-calls the reps left by ~0.95 at 3+ in reserve, worse far from failure', () => {
    const rand = seededRandom(4);
    const called = (reserve: number) => Array.from({ length: 20_000 }, () => 10 - calledRpe(rand, reserve, false));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = (xs: number[]) => {
      const m = mean(xs);
      return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    };
    expect(mean(called(3)) - 3).toBeCloseTo(-0.95, 1);
    expect(sd(called(4))).toBeGreaterThan(sd(called(1)));
    expect(calledRpe(rand, 0, true)).toBe(10);
  });

  it('quits at the sourced baseline rate — 42 % by week 26 without failures — and faster after failed weeks and gaps', () => {
    let survive = 1;
    for (let w = 0; w < 26; w++) survive *= 1 - dropoutHazard(w, 0, 0);
    expect(1 - survive).toBeCloseTo(1 - (1 - HAZARD_EARLY) ** 8 * (1 - HAZARD_LATER) ** 18, 12);
    expect(1 - survive).toBeGreaterThan(0.38);
    expect(1 - survive).toBeLessThan(0.46);
    expect(dropoutHazard(10, 2, 0)).toBeGreaterThan(dropoutHazard(10, 0, 0));
    expect(dropoutHazard(10, 0, 2)).toBeGreaterThan(dropoutHazard(10, 0, 1));
  });
});

describe('the population (lifters.ts)', () => {
  const lifters = drawLifters(2000, 21);

  it('is novices to advanced lifters whose strength matches the standards of their level', () => {
    for (const [level, at] of [
      ['novice', 1],
      ['intermediate', 2],
      ['advanced', 3],
    ] as const) {
      const group = lifters.filter((l) => l.level === level && l.sex === 'male');
      expect(group.length).toBeGreaterThan(100);
      const squat = group.map((l) => l.lifts.find((x) => x.name === 'Back Squat')!.capacity / l.bodyweightKg);
      const mean = squat.reduce((a, b) => a + b, 0) / squat.length;
      expect(mean / STANDARDS.male['Back Squat']![at]!).toBeCloseTo(1, 1);
    }
  });

  it('trains 1–4 times a week, on the main lifts, with different set × rep schemes', () => {
    expect(new Set(lifters.map((l) => l.sessionsPerWeek))).toEqual(new Set([1, 2, 3, 4]));
    expect(new Set(lifters.flatMap((l) => l.lifts.map((x) => x.name)))).toEqual(
      new Set(['Back Squat', 'Bench Press', 'Deadlift', 'Overhead Press', 'Barbell Row']),
    );
    expect(new Set(lifters.map((l) => `${l.program.sets}x${l.program.reps}`)).size).toBe(5);
  });

  it('is the same people for a seed, whatever the population’s size', () => {
    expect(drawLifters(10, 21)).toEqual(lifters.slice(0, 10));
  });
});

describe('the simulated world (world.ts)', () => {
  const lifters = drawLifters(150, 8);
  const run = (policy = rulesPolicy, weeks = 26) =>
    lifters.map((l) => simulateLifter(l, { startWeek: START, weeks, seed: 8, policy }));
  const worlds = run();

  it('is the same for a seed', () => {
    const again = run();
    expect(again.map((w) => w.sessions)).toEqual(worlds.map((w) => w.sessions));
  });

  it('keeps the truth for every exercise and day, and no session after a lifter quits', () => {
    for (const w of worlds) {
      expect(w.truth.map((t) => t.exercise)).toEqual(w.lifter.lifts.map((l) => l.name));
      for (const t of w.truth) expect([t.capacity.length, t.fatigue.length]).toEqual([182, 182]);
      if (w.droppedOutDay !== null) {
        const last = Date.parse(START) + w.droppedOutDay * 86_400_000;
        expect(w.sessions.every((s) => Date.parse(s.date) < last)).toBe(true);
      }
    }
    const dropped = worlds.filter((w) => w.droppedOutDay !== null).length / worlds.length;
    expect(dropped).toBeGreaterThan(0.3);
    expect(dropped).toBeLessThan(0.65);
  });

  it('has lifters who deviate from the prescription, stop short of failure, fail, and rate some sets', () => {
    const sets = worlds.flatMap((w) => w.sessions.flatMap((s) => s.sets));
    const share = (f: (s: (typeof sets)[number]) => boolean) => sets.filter(f).length / sets.length;
    expect(share((s) => s.actual_weight < s.rec_weight)).toBeGreaterThan(0.005);
    expect(share((s) => s.actual_weight > s.rec_weight && s.actual_weight < 2 * s.rec_weight)).toBeGreaterThan(0.005);
    expect(share((s) => s.actual_reps < s.rec_reps)).toBeGreaterThan(0.03);
    expect(share((s) => s.intensity !== null && s.intensity < 9)).toBeGreaterThan(0.1);
    expect(share((s) => s.intensity === null)).toBeGreaterThan(0.2);
  });

  it('gives the same lifter the same first week under any policy (the policies differ only by what they do)', () => {
    const held = lifters
      .slice(0, 20)
      .map((l) => simulateLifter(l, { startWeek: START, weeks: 1, seed: 8, policy: holdPolicy }));
    const stepped = lifters
      .slice(0, 20)
      .map((l) => simulateLifter(l, { startWeek: START, weeks: 1, seed: 8, policy: policyNamed('step@+5') }));
    expect(stepped.map((w) => w.sessions.map((s) => s.sets))).toEqual(held.map((w) => w.sessions.map((s) => s.sets)));
  });

  it('stores the decisions the policy made as the job would, and the histories the feature pipeline reads', () => {
    const w = worlds.find((x) => x.history.modifiers.length > 5)!;
    expect(w.history.modifiers.every((m) => m.policy === rulesPolicy.id && m.source === 'auto')).toBe(true);
    const weeks = new Set(w.sessions.map((s) => s.date.slice(0, 10)));
    expect([...w.history.sessionsByWeek.values()].reduce((a, b) => a + b, 0)).toBe(weeks.size);
  });
});
