/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings, always in an explicit zone so the machine's own zone never
 * shifts a day. ISO weeks start on Monday.
 */
/** The calendar date of an instant as seen in `timeZone` (UTC when none). */
export function calendarDate(instant: Date, timeZone?: string | null): string {
  const parts: Record<string, string> = {};
  for (const p of dayFormat(timeZone || 'UTC').formatToParts(instant)) parts[p.type] = p.value;
  return `${parts.year!.padStart(4, '0')}-${parts.month}-${parts.day}`;
}

// The platform's zone data (ICU), one formatter per zone: making one costs more than the session it dates.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, f);
  }
  return f;
}

// Date-only strings in UTC have no zones and no daylight saving: whole days are exactly 86,400,000 ms apart,
// so plain epoch arithmetic is exact here — and a hundred times cheaper than zone-aware date objects, which
// matters on the analytics path (hundreds of calls per request). Zones are the platform's job (calendarDate).
const DAY_MS = 86_400_000;
const epochDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const fromEpochDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Monday of the ISO week containing `date`. */
export function isoWeekStart(date: string): string {
  const day = epochDay(date);
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  return fromEpochDay(day - ((((day + 3) % 7) + 7) % 7));
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(epochDay(date) + days);
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
