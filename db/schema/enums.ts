import { pgEnum } from 'drizzle-orm/pg-core';

// The seed's enums, as Postgres enums so the database itself refuses a bad value.
export const userRole = pgEnum('user_role', ['lifter', 'coach', 'researcher', 'admin']);
export const USER_ROLES = userRole.enumValues;
export type UserRole = (typeof USER_ROLES)[number];
/** What happened to a coach link, in the athlete's audit log. */
export const coachLinkAction = pgEnum('coach_link_action', ['linked', 'ended']);
export const profileSource = pgEnum('profile_source', ['user', 'auto']);
export const feedbackRefType = pgEnum('feedback_ref_type', ['recommendation', 'session']);
export const instrumentEventType = pgEnum('instrument_event_type', [
  'profile_snapshot',
  'session_submitted',
  'session_finished',
]);
export const modifierSource = pgEnum('modifier_source', ['auto', 'coach']);
export const exercisePolicy = pgEnum('exercise_policy', ['load', 'reps']);
/** What kind of set an imported history says it was: warm-ups leave PRs, trends and success rates. */
export const setType = pgEnum('set_type', ['normal', 'warmup', 'drop', 'failure']);
export const SET_TYPES = setType.enumValues;
export type SetType = (typeof SET_TYPES)[number];
/** The apps whose exports Overload imports (server/imports). */
export const importFormat = pgEnum('import_format', ['strong', 'hevy', 'fitnotes', 'liftosaur']);
export const IMPORT_FORMATS = importFormat.enumValues;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
