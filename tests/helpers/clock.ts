import { addDays, calendarDate } from '../../server/time/calendar';
import { wallClock } from '../../server/time/clock';

/**
 * The suite's one reading of the clock (tests/unit/clock-reads.test.ts holds every other test to it).
 *
 * A test whose property depends on "now" either hands the services a fixed instant (`new Date('2027-01-01T00:30Z')`
 * — no clock involved) or, where the server reads the clock itself (a request through the REST wrapper, tRPC, a
 * cron route, a script), builds its dates from `testNow()` and chooses them so the property holds whatever today
 * is. `npm run test:dates` runs every test file that imports this module with the process clock set to each day
 * of a week, the turn of a year with an ISO week 53 and both daylight-saving changes
 * (scripts/test-dates.ts).
 */
export function testNow(): Date {
  return wallClock();
}

/** An instant this many milliseconds before now (negative: after). */
export function msAgo(ms: number): Date {
  return new Date(testNow().getTime() - ms);
}

/** Today's calendar date in UTC, as `YYYY-MM-DD`. */
export function today(): string {
  return calendarDate(testNow());
}

/** The calendar date this many days before today (UTC). */
export function daysAgo(days: number): string {
  return addDays(today(), -days);
}
