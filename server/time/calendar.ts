import { addDays as addDaysFn, format, parseISO, startOfISOWeek } from 'date-fns';
import { tz } from '@date-fns/tz';

/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings, always in an explicit zone so the machine's own zone never
 * shifts a day. ISO weeks start on Monday.
 */
const UTC = tz('UTC');

/** The calendar date of an instant as seen in `timeZone` (UTC when none). */
export function calendarDate(instant: Date, timeZone?: string | null): string {
  return format(instant, 'yyyy-MM-dd', { in: tz(timeZone || 'UTC') });
}

/** Monday of the ISO week containing `date`. */
export function isoWeekStart(date: string): string {
  return format(startOfISOWeek(parseISO(date, { in: UTC }), { in: UTC }), 'yyyy-MM-dd', { in: UTC });
}

export function addDays(date: string, days: number): string {
  return format(addDaysFn(parseISO(date, { in: UTC }), days, { in: UTC }), 'yyyy-MM-dd', { in: UTC });
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** True for a real IANA zone name this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
