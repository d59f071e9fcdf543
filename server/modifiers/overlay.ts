import type { Db } from '@/db/client';
import { plansInForce } from '@/server/deloads/deloads';
import { type DeloadWeek, deloadsIn } from '@/server/deloads/plans';
import {
  currentEnrollment,
  enrollForOverlay,
  overlayState,
  runningExperimentCached,
} from '@/server/experiments/enrollment';
import { calendarDate, isoWeekStart } from '@/server/time/calendar';
import { thisWeekFor } from '@/server/time/lifter-calendar';
import { type InForce, modifiersInForce } from './in-force';
import { RULE_VERSION } from './rules';
import { servingPolicyName } from './serving';

export interface Overlay {
  userId: string;
  /** This ISO week, in the lifter's time zone. */
  weekStart: string;
  ruleVersion: string;
  /** The policy that decides this lifter's modifiers from now on (their arm's, when in an experiment). */
  policy: string;
  /** The running experiment the lifter is enrolled in, and the arm. */
  experiment?: { key: string; arm: string };
  modifiers: InForce[];
  /** Planned deloads this week: weight × load factor and sets × set factor, on top of the modifiers. */
  deloads: DeloadWeek[];
}

/**
 * What the client applies this week on top of its rules-only recommendation, per exercise: weight × multiplier
 * and reps + rep delta. Exercises without a row are neutral (1.0, 0).
 */
export async function overlayFor(
  db: Db,
  userId: string,
  now: Date,
  opts: { servedToApp?: boolean } = {},
): Promise<Overlay> {
  // The app asking for its own overlay enrolls the lifter in a running experiment and counts as an exposure;
  // anyone else (a coach, the dashboard) only sees the arm.
  const experiment = opts.servedToApp ? await runningExperimentCached(db) : null;
  const known = experiment ? { experiment, state: await overlayState(db, userId, experiment) } : null;
  const week = known ? isoWeekStart(calendarDate(now, known.state.timeZone)) : await thisWeekFor(db, userId, now);
  const enrolling = known
    ? enrollForOverlay(db, userId, week, known)
    : opts.servedToApp
      ? null // no experiment runs
      : currentEnrollment(db, userId);
  const [rows, enrollment, plans] = await Promise.all([
    modifiersInForce(db, userId, week),
    enrolling,
    plansInForce(db, userId, week),
  ]);
  return {
    userId,
    weekStart: week,
    ruleVersion: RULE_VERSION,
    policy: enrollment?.arm.policy ?? servingPolicyName(userId),
    ...(enrollment ? { experiment: { key: enrollment.experiment.key, arm: enrollment.arm.name } } : {}),
    modifiers: rows,
    deloads: deloadsIn(plans, week),
  };
}
