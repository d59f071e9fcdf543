import type { CompleteSetInput } from '@/server/contracts/sessions';
import { seededRandom } from '@/server/random';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { seededUuid } from './random';

/**
 * The demo world, built in memory by a pure function of "today": two lifters and a coach, months of
 * training, in the wire format of the REST contract. Numbers come from a seeded generator, so they are the
 * same on every machine; only the dates follow the calendar, so the dashboard always shows recent weeks.
 *
 * The story it tells (asserted by tests and the e2e run):
 * - user-123 bulks from 70 kg over 20 weeks on a Chest / Back / Legs split, 3–4 sessions a week, progressing
 *   every lift each week, with a missed rep now and then (most often on the last set);
 * - one deload week (DEMO_DELOAD_WEEK): lighter loads, fewer sets;
 * - Bench Press stalls for the last 6 weeks: the recommendation stays put and the reps fall short (a plateau);
 * - user-456 trains an upper/lower split for 10 weeks in Europe/Berlin, not opted in to analytics.
 */

export const DEMO_LIFTER_ID = 'user-123';
export const DEMO_SECOND_LIFTER_ID = 'user-456';
export const DEMO_COACH_ID = 'coach-1';
export const DEMO_RESEARCHER_ID = 'researcher-1';
export const DEMO_HISTORY_WEEKS = 20;
export const DEMO_DELOAD_WEEK = 11;
export const DEMO_PLATEAU_EXERCISE = 'Bench Press';
export const DEMO_PLATEAU_WEEKS = 6;

interface DemoUser {
  id: string;
  role: 'lifter' | 'coach' | 'researcher';
  displayName: string;
  analyticsOptIn: boolean;
}

type DemoSet = CompleteSetInput;

interface DemoSession {
  user_id: string;
  date: string; // ISO instant
  day_type: string;
  finished: boolean;
  calories: number;
  sets: DemoSet[];
  rec_meta: Record<string, unknown>;
}

interface DemoProfileVersion {
  user_id: string;
  snapshot: Record<string, unknown>;
  effective_date: string;
  source: 'user' | 'auto';
  notes?: string;
}

interface DemoFeedback {
  user_id: string;
  session_index: number; // which of that user's sessions it is about
  helpful: boolean;
  notes?: string;
}

interface DemoInstrumentEvent {
  user_id: string;
  type: 'profile_snapshot' | 'session_submitted' | 'session_finished';
  event_id: string;
  occurred_at: string;
  payload: Record<string, unknown>;
}

export interface DemoData {
  users: DemoUser[];
  coachLinks: { coachId: string; athleteId: string }[];
  profileVersions: DemoProfileVersion[];
  sessions: DemoSession[];
  feedback: DemoFeedback[];
  instrumentEvents: DemoInstrumentEvent[];
}

interface LiftPlan {
  exercise: string;
  sets: number;
  reps: number;
  start: number;
  increment: number;
  /** Smallest plate step for this lift, so deload loads are still loadable. */
  step: number;
}

interface DayPlan {
  dayType: string;
  lifts: LiftPlan[];
}

const round = (x: number, step: number) => Math.round(x / step) * step;
const fixed = (x: number, digits = 1) => Number(x.toFixed(digits));

const LIFTER_DAYS: Record<string, DayPlan> = {
  Chest: {
    dayType: 'Chest',
    lifts: [
      { exercise: 'Bench Press', sets: 4, reps: 5, start: 50, increment: 2.5, step: 2.5 },
      { exercise: 'Incline Dumbbell Press', sets: 3, reps: 8, start: 16, increment: 1, step: 0.5 },
      { exercise: 'Cable Fly', sets: 3, reps: 12, start: 12, increment: 0.5, step: 0.5 },
    ],
  },
  Back: {
    dayType: 'Back',
    lifts: [
      { exercise: 'Deadlift', sets: 3, reps: 5, start: 80, increment: 5, step: 2.5 },
      { exercise: 'Barbell Row', sets: 4, reps: 8, start: 45, increment: 2.5, step: 2.5 },
      { exercise: 'Lat Pulldown', sets: 3, reps: 10, start: 40, increment: 2.5, step: 2.5 },
    ],
  },
  Legs: {
    dayType: 'Legs',
    lifts: [
      { exercise: 'Back Squat', sets: 4, reps: 5, start: 60, increment: 2.5, step: 2.5 },
      { exercise: 'Romanian Deadlift', sets: 3, reps: 8, start: 60, increment: 2.5, step: 2.5 },
      { exercise: 'Leg Press', sets: 3, reps: 10, start: 100, increment: 5, step: 5 },
    ],
  },
};

const SECOND_DAYS: Record<string, DayPlan> = {
  Upper: {
    dayType: 'Upper',
    lifts: [
      { exercise: 'Overhead Press', sets: 3, reps: 6, start: 25, increment: 1.25, step: 1.25 },
      { exercise: 'Lat Pulldown', sets: 3, reps: 8, start: 35, increment: 2.5, step: 2.5 },
      { exercise: 'Dumbbell Row', sets: 3, reps: 10, start: 14, increment: 1, step: 0.5 },
    ],
  },
  Lower: {
    dayType: 'Lower',
    lifts: [
      { exercise: 'Back Squat', sets: 3, reps: 6, start: 45, increment: 2.5, step: 2.5 },
      { exercise: 'Hip Thrust', sets: 3, reps: 10, start: 60, increment: 5, step: 2.5 },
    ],
  },
};

interface LifterSpec {
  userId: string;
  weeks: number;
  seed: number;
  /** Day offsets (0 = Monday) and the day each trains, per week; `extra` is added on every other week. */
  schedule: { offset: number; day: string }[];
  extra?: { offset: number; day: string };
  days: Record<string, DayPlan>;
  deloadWeek?: number;
  plateau?: { exercise: string; weeks: number };
  startWeightKg: number;
  weeklyWeightChange: number;
  baseCalories: number;
  snapshot: Record<string, unknown>;
  sessionHourUtc: number;
}

function buildLifter(spec: LifterSpec, firstMonday: string) {
  const rand = seededRandom(spec.seed);
  const sessions: DemoSession[] = [];
  const profileVersions: DemoProfileVersion[] = [];
  const plateauFrom = spec.plateau ? spec.weeks - spec.plateau.weeks : Infinity;

  for (let week = 0; week < spec.weeks; week++) {
    const monday = addDays(firstMonday, week * 7);
    const deload = week === spec.deloadWeek;
    // Weeks of progress so far; the deload week adds none and later weeks pick up where it left off.
    const progressWeeks = week - (spec.deloadWeek !== undefined && week > spec.deloadWeek ? 1 : 0);

    const plan = [...spec.schedule];
    if (spec.extra && week % 2 === 1 && !deload) plan.push(spec.extra);

    for (const { offset, day } of plan.sort((a, b) => a.offset - b.offset)) {
      const dayPlan = spec.days[day]!;
      const sets: DemoSet[] = [];
      const recExercises: Record<string, unknown>[] = [];
      let setNumber = 1;
      for (const lift of dayPlan.lifts) {
        const stalled = spec.plateau?.exercise === lift.exercise && week >= plateauFrom;
        const weeksOfProgress = stalled ? plateauFrom - 1 - (spec.deloadWeek! < plateauFrom ? 1 : 0) : progressWeeks;
        let recWeight = lift.start + lift.increment * weeksOfProgress;
        if (deload) recWeight = round(recWeight * 0.6, lift.step);
        const setCount = deload ? Math.max(2, lift.sets - 2) : lift.sets;
        recExercises.push({ exercise: lift.exercise, weight: recWeight, reps: lift.reps, sets: setCount });
        for (let i = 0; i < setCount; i++) {
          const last = i === setCount - 1;
          let actualReps = lift.reps;
          if (stalled) {
            // Grinding at the same load: one to two reps short on most sets, never better than before.
            actualReps = lift.reps - (rand() < 0.75 ? 1 + Math.floor(rand() * 2) : 0);
          } else if (!deload && rand() < (last ? 0.4 : 0.12)) {
            actualReps = lift.reps - 1; // a missed rep now and then, most often on the last set
          }
          const missed = actualReps < lift.reps;
          sets.push({
            exercise: lift.exercise,
            set_number: setNumber++,
            rec_weight: recWeight,
            rec_reps: lift.reps,
            actual_weight: recWeight,
            actual_reps: actualReps,
            intensity: deload ? 6 : fixed(missed ? 9.5 : 7 + i * 0.5 + rand() * 0.5),
            done: true,
          });
        }
      }
      const hour = spec.sessionHourUtc;
      sessions.push({
        user_id: spec.userId,
        date: `${addDays(monday, offset)}T${String(hour).padStart(2, '0')}:${String(Math.floor(rand() * 50)).padStart(2, '0')}:00Z`,
        day_type: dayPlan.dayType,
        finished: true,
        calories: Math.round(spec.baseCalories + week * 15 + rand() * 200),
        sets,
        rec_meta: { algorithm: 'po-rules', version: '1.4.0', exercises: recExercises },
      });
    }

    // A bodyweight check-in every other week, and on the last week.
    if (week % 2 === 0 || week === spec.weeks - 1) {
      const weightKg = fixed(spec.startWeightKg + spec.weeklyWeightChange * week + (rand() - 0.5) * 0.4);
      profileVersions.push({
        user_id: spec.userId,
        snapshot: { ...spec.snapshot, weightKg },
        effective_date: addDays(monday, 6),
        source: week === 0 ? 'user' : rand() < 0.5 ? 'user' : 'auto',
        ...(week === 0 ? { notes: 'Starting the bulk.' } : {}),
      });
    }
  }
  return { sessions, profileVersions, rand };
}

/** Alex: a three-day split with an extra day, a deload week and a plateau, over the demo's history; opted in. */
const ALEX: LifterSpec = {
  userId: DEMO_LIFTER_ID,
  weeks: DEMO_HISTORY_WEEKS,
  seed: 123,
  schedule: [
    { offset: 0, day: 'Chest' },
    { offset: 2, day: 'Back' },
    { offset: 4, day: 'Legs' },
  ],
  extra: { offset: 5, day: 'Chest' },
  days: LIFTER_DAYS,
  deloadWeek: DEMO_DELOAD_WEEK,
  plateau: { exercise: DEMO_PLATEAU_EXERCISE, weeks: DEMO_PLATEAU_WEEKS },
  startWeightKg: 70,
  weeklyWeightChange: 0.25,
  baseCalories: 2500,
  snapshot: {
    weightKg: 70,
    heightCm: 188,
    age: 20,
    sex: 'male',
    idealWeightGoal: 85,
    goals: { primary: 'hypertrophy', weeklyGainKg: 0.25 },
    modifiers: {},
  },
  sessionHourUtc: 17,
};

/** Sam: 10 weeks of upper/lower on a cut, in Berlin; not opted in. */
const SAM: LifterSpec = {
  userId: DEMO_SECOND_LIFTER_ID,
  weeks: 10,
  seed: 456,
  schedule: [
    { offset: 0, day: 'Upper' },
    { offset: 2, day: 'Lower' },
    { offset: 4, day: 'Upper' },
  ],
  days: SECOND_DAYS,
  startWeightKg: 62,
  weeklyWeightChange: -0.2,
  baseCalories: 1900,
  snapshot: {
    weightKg: 62,
    heightCm: 168,
    age: 28,
    sex: 'female',
    idealWeightGoal: 58,
    goals: { primary: 'strength' },
    modifiers: { cut: true },
    timeZone: 'Europe/Berlin',
  },
  sessionHourUtc: 6,
};

/** Two instrument events per session of Alex's, from the same random stream. */
function instrumentEventsOf(sessions: DemoSession[], rand: () => number): DemoInstrumentEvent[] {
  return sessions.flatMap((s, i) => [
    {
      user_id: DEMO_LIFTER_ID,
      type: 'session_submitted' as const,
      event_id: seededUuid(rand),
      occurred_at: s.date,
      payload: { session_index: i, sets: s.sets.length },
    },
    {
      user_id: DEMO_LIFTER_ID,
      type: 'session_finished' as const,
      event_id: seededUuid(rand),
      occurred_at: s.date,
      payload: { session_index: i, calories: s.calories },
    },
  ]);
}

/** The demo world as of `today`: history runs up to the end of the previous ISO week. */
export function buildDemoData(today: Date): DemoData {
  const thisMonday = isoWeekStart(today.toISOString().slice(0, 10));
  const lifter = buildLifter(ALEX, addDays(thisMonday, -7 * ALEX.weeks));
  const second = buildLifter(SAM, addDays(thisMonday, -7 * SAM.weeks));
  const instrumentEvents = instrumentEventsOf(lifter.sessions, lifter.rand);

  return {
    users: [
      { id: DEMO_LIFTER_ID, role: 'lifter', displayName: 'Alex Demo', analyticsOptIn: true },
      { id: DEMO_SECOND_LIFTER_ID, role: 'lifter', displayName: 'Sam Demo', analyticsOptIn: false },
      { id: DEMO_COACH_ID, role: 'coach', displayName: 'Coach Riley', analyticsOptIn: false },
      { id: DEMO_RESEARCHER_ID, role: 'researcher', displayName: 'Quinn (research)', analyticsOptIn: false },
    ],
    coachLinks: [
      { coachId: DEMO_COACH_ID, athleteId: DEMO_LIFTER_ID },
      { coachId: DEMO_COACH_ID, athleteId: DEMO_SECOND_LIFTER_ID },
    ],
    profileVersions: [...lifter.profileVersions, ...second.profileVersions],
    sessions: [...lifter.sessions, ...second.sessions],
    feedback: [
      { user_id: DEMO_LIFTER_ID, session_index: 3, helpful: true, notes: 'felt right' },
      {
        user_id: DEMO_LIFTER_ID,
        session_index: lifter.sessions.length - 4,
        helpful: false,
        notes: 'bench felt too heavy again',
      },
      { user_id: DEMO_SECOND_LIFTER_ID, session_index: 2, helpful: true },
    ],
    instrumentEvents,
  };
}
