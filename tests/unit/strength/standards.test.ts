import { describe, expect, it } from 'vitest';
import { drawLifters } from '@/server/simulation/lifters';
import { lifterLevel, liftLevel } from '@/server/strength/standards';

describe('training level from strength relative to bodyweight (ExRx standards)', () => {
  // Men's back squat: novice 1.16, intermediate 1.44, advanced 1.97 × bodyweight; the bounds are their geometric
  // midpoints, 1.292 and 1.684: at 90 kg, 116.3 kg and 151.6 kg.
  it.each([
    [110, 'novice'],
    [116, 'novice'],
    [117, 'intermediate'],
    [151, 'intermediate'],
    [152, 'advanced'],
    [260, 'advanced'],
  ] as const)('a 90 kg man squatting %i kg is %s', (kg, level) => {
    expect(liftLevel('male', 'Back Squat', kg, 90)).toBe(level);
  });

  it('women’s bench: 0.64 / 0.72 / 0.95 × bodyweight (bounds at 60 kg: 40.7 and 49.6 kg)', () => {
    expect(liftLevel('female', 'Bench Press', 40, 60)).toBe('novice');
    expect(liftLevel('female', 'Bench Press', 41, 60)).toBe('intermediate');
    expect(liftLevel('female', 'Bench Press', 50, 60)).toBe('advanced');
  });

  it('no standard, no bodyweight or no strength: no level', () => {
    expect(liftLevel('male', 'Cable Fly', 50, 80)).toBeNull();
    expect(liftLevel('male', 'Deadlift', 150, 0)).toBeNull();
    expect(liftLevel('male', 'Deadlift', 0, 80)).toBeNull();
  });

  it('a lifter’s level is the median of their lifts’ (the lower of two middles)', () => {
    expect(lifterLevel(['novice', 'advanced', 'intermediate'])).toBe('intermediate');
    expect(lifterLevel(['novice', 'advanced'])).toBe('novice');
    expect(lifterLevel([null, 'advanced', null])).toBe('advanced');
    expect(lifterLevel([null])).toBeNull();
  });

  it('classifies the simulator’s lifters by their true one-rep maxes as the level they were drawn at, mostly', () => {
    const lifters = drawLifters(2000, 3, 'levels');
    const agree = lifters.filter(
      (l) => lifterLevel(l.lifts.map((x) => liftLevel(l.sex, x.name, x.capacity, l.bodyweightKg))) === l.level,
    ).length;
    expect(agree / lifters.length).toBeGreaterThan(0.9);
  });
});
