import { describe, expect, it } from 'vitest';
import { type Bounds, decide, type Modifier, NEUTRAL, successRate, type WeekOutcome } from '@/server/modifiers/rules';

const wk = (successes: number, sample: number): WeekOutcome => ({ successes, sample });
const at = (multiplier: number, repDelta = 0): Modifier => ({ multiplier, repDelta });

describe('success rate', () => {
  it.each([
    [wk(4, 5), 0.8],
    [wk(0, 3), 0],
    [wk(3, 3), 1],
    [wk(2, 2), null], // fewer than 3 sets with a recommendation: no rate
    [wk(0, 0), null], // no set had a recommendation
    [null, null],
  ])('%o → %s', (outcome, rate) => expect(successRate(outcome)).toBe(rate));
});

type Row = [string, Modifier, WeekOutcome | null, WeekOutcome | null, 'load' | 'reps', string, number, number];

// [case, current, this week, week before, policy, action, multiplier, rep delta]
const table: Row[] = [
  ['two good weeks → +2.5%', NEUTRAL, wk(9, 10), wk(9, 10), 'load', 'increase', 1.025, 0],
  ['exactly 0.8 twice counts as good', NEUTRAL, wk(4, 5), wk(8, 10), 'load', 'increase', 1.025, 0],
  ['0.79 this week is not good', NEUTRAL, wk(79, 100), wk(9, 10), 'load', 'hold', 1, 0],
  ['one good week only → hold', NEUTRAL, wk(5, 5), wk(6, 10), 'load', 'hold', 1, 0],
  ['good now, week before unmeasured (missing week) → hold', NEUTRAL, wk(5, 5), null, 'load', 'hold', 1, 0],
  ['good now, week before under 3 sets → hold', NEUTRAL, wk(5, 5), wk(2, 2), 'load', 'hold', 1, 0],
  ['compounding: third good week multiplies again', at(1.025), wk(5, 5), wk(5, 5), 'load', 'increase', 1.0506, 0],
  ['exactly 0.5 is not poor → hold', at(1.1), wk(2, 4), wk(0, 4), 'load', 'hold', 1.1, 0],
  ['under 0.5 → −2.5%', at(1.1), wk(1, 3), wk(3, 3), 'load', 'decrease', 1.0725, 0],
  ['under 0.5 with reps policy → one rep fewer, load kept', at(1.1), wk(1, 4), null, 'reps', 'reduce_reps', 1.1, -1],
  ['reps policy keeps stepping down', at(1, -1), wk(0, 4), null, 'reps', 'reduce_reps', 1, -2],
  ['reps policy stops at its floor', at(1, -3), wk(0, 4), null, 'reps', 'hold', 1, -3],
  ['fewer than 3 sets → hold, however bad', at(1.05), wk(0, 2), wk(0, 5), 'load', 'hold', 1.05, 0],
  ['no set had a recommendation → hold', at(1.05), wk(0, 0), null, 'load', 'hold', 1.05, 0],
  ['ceiling reached → hold at 1.25', at(1.25), wk(5, 5), wk(5, 5), 'load', 'hold', 1.25, 0],
  ['ceiling clamps a step past it', at(1.24), wk(5, 5), wk(5, 5), 'load', 'increase', 1.25, 0],
  ['floor reached → hold at 0.8', at(0.8), wk(0, 5), null, 'load', 'hold', 0.8, 0],
  ['floor clamps a step past it', at(0.81), wk(0, 5), null, 'load', 'decrease', 0.8, 0],
  [
    'two good weeks give a rep back before the load rises',
    at(1, -2),
    wk(5, 5),
    wk(5, 5),
    'reps',
    'restore_reps',
    1,
    -1,
  ],
  ['a rep comes back whatever the policy now', at(1.05, -1), wk(5, 5), wk(4, 5), 'load', 'restore_reps', 1.05, 0],
  ['one good week does not give a rep back', at(1, -1), wk(5, 5), wk(2, 5), 'reps', 'hold', 1, -1],
];

describe('decide', () => {
  it('walks reps down under the reps policy, and back up, before the load rises again', () => {
    // Weekly outcomes in order: two poor weeks, then good weeks; each decision feeds the next.
    const weeks = [wk(1, 4), wk(1, 4), wk(4, 4), wk(4, 4), wk(4, 4), wk(4, 4), wk(4, 4), wk(4, 4)];
    let current = NEUTRAL;
    let previous: WeekOutcome | null = null;
    const path: [string, number, number][] = [];
    for (const week of weeks) {
      const d = decide({ current, thisWeek: week, previousWeek: previous, policy: 'reps' });
      path.push([d.action, d.repDelta, d.multiplier]);
      current = { multiplier: d.multiplier, repDelta: d.repDelta };
      previous = week;
    }
    expect(path).toEqual([
      ['reduce_reps', -1, 1],
      ['reduce_reps', -2, 1],
      ['hold', -2, 1], // one good week
      ['restore_reps', -1, 1],
      ['restore_reps', 0, 1],
      ['increase', 0, 1.025], // reps whole again: now the load
      ['increase', 0, 1.0506],
      ['increase', 0, 1.0769],
    ]);
  });

  it.each(table)('%s', (_name, current, thisWeek, previousWeek, policy, action, multiplier, repDelta) => {
    const d = decide({ current, thisWeek, previousWeek, policy });
    expect(d.action).toBe(action);
    expect(d.multiplier).toBe(multiplier);
    expect(d.repDelta).toBe(repDelta);
    expect(d.reason.length).toBeGreaterThan(5);
  });

  it('explains itself in words a coach can read', () => {
    expect(decide({ current: NEUTRAL, thisWeek: wk(91, 100), previousWeek: wk(86, 100), policy: 'load' }).reason).toBe(
      '2 weeks ≥ 80%: 0.86, 0.91 → +2.5%',
    );
    expect(decide({ current: NEUTRAL, thisWeek: wk(2, 5), previousWeek: null, policy: 'load' }).reason).toBe(
      'success 0.40 < 50% → −2.5%',
    );
    expect(decide({ current: NEUTRAL, thisWeek: wk(2, 2), previousWeek: null, policy: 'load' }).reason).toMatch(
      /2 sets.*fewer than 3/,
    );
  });

  it('honours configured bounds', () => {
    const bounds: Bounds = { min: 0.9, max: 1.05, minRepDelta: -1 };
    expect(
      decide({ current: at(1.05), thisWeek: wk(5, 5), previousWeek: wk(5, 5), policy: 'load', bounds }).multiplier,
    ).toBe(1.05);
    expect(
      decide({ current: at(0.91), thisWeek: wk(0, 5), previousWeek: null, policy: 'load', bounds }).multiplier,
    ).toBe(0.9);
    expect(decide({ current: at(1, -1), thisWeek: wk(0, 5), previousWeek: null, policy: 'reps', bounds }).action).toBe(
      'hold',
    );
  });

  it('reports the rate and sample it decided on', () => {
    expect(decide({ current: NEUTRAL, thisWeek: wk(3, 4), previousWeek: null, policy: 'load' })).toMatchObject({
      successRate: 0.75,
      sample: 4,
    });
  });
});
