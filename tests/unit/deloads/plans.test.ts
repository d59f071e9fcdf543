import { parseISO } from 'date-fns';
import { describe, expect, it } from 'vitest';
import {
  type DeloadPlan,
  deloadsIn,
  deloadWeeksOf,
  isPlannedDeload,
  lastPlannedWeek,
  plannedDeloadWeeks,
  plansOverlap,
} from '@/server/deloads/plans';

const plan = (over: Partial<DeloadPlan> = {}): DeloadPlan => ({
  id: 'p',
  kind: 'block',
  startWeek: '2026-01-05',
  buildWeeks: 3,
  deloadWeeks: 1,
  cycles: 2,
  exercises: null,
  loadFactor: 0.8,
  setFactor: 1,
  plannedBy: 'coach-1',
  source: 'coach',
  note: null,
  createdAt: parseISO('2026-01-01T00:00:00Z'),
  cancelledFrom: null,
  ...over,
});

describe('deload plans', () => {
  it('a block of 3 + 1 weeks twice deloads in its 4th and 8th weeks, across a year end', () => {
    expect(deloadWeeksOf(plan())).toEqual(['2026-01-26', '2026-02-23']);
    expect(lastPlannedWeek(plan())).toBe('2026-02-23');
    const overNewYear = plan({ startWeek: '2026-12-14', buildWeeks: 2, deloadWeeks: 2, cycles: 1 });
    // 2026 has 53 ISO weeks: 28 Dec is a Monday, then 4 Jan.
    expect(deloadWeeksOf(overNewYear)).toEqual(['2026-12-28', '2027-01-04']);
  });

  it('a single deload is the block (0, 1, 1)', () => {
    const one = plan({ kind: 'deload', buildWeeks: 0, cycles: 1 });
    expect(deloadWeeksOf(one)).toEqual(['2026-01-05']);
    expect(lastPlannedWeek(one)).toBe('2026-01-05');
  });

  it('a cancellation drops the weeks from its week on and shortens the span', () => {
    const cut = plan({ cancelledFrom: '2026-02-02' });
    expect(deloadWeeksOf(cut)).toEqual(['2026-01-26']);
    expect(lastPlannedWeek(cut)).toBe('2026-01-26');
    expect(lastPlannedWeek(plan({ cancelledFrom: '2026-01-05' }))).toBeNull();
  });

  it('plans overlap when their spans meet on a shared exercise (null: all of them)', () => {
    const bench = plan({ exercises: ['Bench Press'] });
    const after = plan({ startWeek: '2026-03-02', exercises: ['Bench Press'] });
    expect(plansOverlap(bench, after)).toBe(false);
    expect(plansOverlap(bench, plan({ startWeek: '2026-02-23', exercises: ['Bench Press'] }))).toBe(true);
    expect(plansOverlap(bench, plan({ exercises: ['Back Squat'] }))).toBe(false);
    expect(plansOverlap(bench, plan({ exercises: null }))).toBe(true);
    // A cancelled plan frees its remaining weeks.
    expect(plansOverlap(plan({ cancelledFrom: '2026-01-05' }), bench)).toBe(false);
  });

  it('serves the week’s deloads with the reason, and indexes the weeks per exercise', () => {
    const plans = [
      plan({ exercises: ['Bench Press'] }),
      plan({ id: 'q', source: 'lifter', kind: 'deload', startWeek: '2026-03-09', buildWeeks: 0, cycles: 1 }),
    ];
    expect(deloadsIn(plans, '2026-01-26')).toEqual([
      expect.objectContaining({
        planId: 'p',
        exercises: ['Bench Press'],
        reason: 'planned deload week of a block, by coach-1',
      }),
    ]);
    expect(deloadsIn(plans, '2026-01-19')).toEqual([]);
    expect(deloadsIn(plans, '2026-03-09')[0]!.reason).toBe('planned deload, by you');
    const weeks = plannedDeloadWeeks(plans);
    expect(isPlannedDeload(weeks, 'Bench Press', '2026-02-23')).toBe(true);
    expect(isPlannedDeload(weeks, 'Back Squat', '2026-02-23')).toBe(false);
    expect(isPlannedDeload(weeks, 'Back Squat', '2026-03-09')).toBe(true);
  });
});
