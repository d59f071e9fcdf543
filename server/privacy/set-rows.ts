import { and, eq } from 'drizzle-orm';
import { sessions, sets } from '@/db/schema';

/** A set with its session's day, as both the personal export and the training export list them. */
export const setRowColumns = {
  date: sessions.date,
  day_type: sessions.dayType,
  exercise: sets.exercise,
  set_number: sets.setNumber,
  rec_weight: sets.recWeight,
  rec_reps: sets.recReps,
  actual_weight: sets.actualWeight,
  actual_reps: sets.actualReps,
  intensity: sets.intensity,
  done: sets.done,
  set_type: sets.setType,
};

/** Sets join their session within the same user (the distribution key). */
export const setsJoinSessions = and(eq(sessions.userId, sets.userId), eq(sessions.id, sets.sessionId));
