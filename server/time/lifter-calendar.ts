import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { preparedStatement } from '@/db/prepared';
import { profiles } from '@/db/schema';
import { calendarDate, isoWeekStart } from './calendar';

/** A lifter's IANA time zone, from their profile; null (UTC) when they have none. */
export async function lifterTimeZone(db: Db, userId: string): Promise<string | null> {
  const [p] = await timeZoneRead(db, { userId });
  return p?.timeZone ?? null;
}

// Prepared: every overlay, analytics answer and session read asks it first.
const timeZoneRead = preparedStatement<{ timeZone: string | null }, { userId: string }>(
  () => sql`select ${profiles.timeZone} as "timeZone" from ${profiles}
    where ${eq(profiles.userId, sql.placeholder('userId'))} limit 1`,
);

/** "Today" for a lifter, in their zone: analytics ranges end on it, the overlay's week contains it. */
export async function todayFor(db: Db, userId: string, now: Date): Promise<string> {
  return calendarDate(now, await lifterTimeZone(db, userId));
}

/** Monday of the lifter's current ISO week. */
export async function thisWeekFor(db: Db, userId: string, now: Date): Promise<string> {
  return isoWeekStart(await todayFor(db, userId, now));
}
