import { pgEnum } from 'drizzle-orm/pg-core';

// The seed's enums, as Postgres enums so the database itself refuses a bad value.
export const userRole = pgEnum('user_role', ['lifter', 'coach', 'researcher']);
export const profileSource = pgEnum('profile_source', ['user', 'auto']);
export const feedbackRefType = pgEnum('feedback_ref_type', ['recommendation', 'session']);
export const instrumentEventType = pgEnum('instrument_event_type', [
  'profile_snapshot',
  'session_submitted',
  'session_finished',
]);
export const modifierSource = pgEnum('modifier_source', ['auto', 'coach']);
export const exercisePolicy = pgEnum('exercise_policy', ['load', 'reps']);
