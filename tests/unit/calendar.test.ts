import { describe, expect, it } from 'vitest';
import { lastEndedWeek } from '@/server/modifiers/job';
import { addDays, calendarDate, daysBetween, isoWeekStart, isTimeZone } from '@/server/time/calendar';

describe('isoWeekStart', () => {
  it.each([
    ['2025-11-24', '2025-11-24'], // a Monday is its own week start
    ['2025-11-30', '2025-11-24'], // Sunday belongs to the week before
    ['2026-01-01', '2025-12-29'], // ISO week 1 of 2026 starts in 2025
    ['2021-01-03', '2020-12-28'], // ISO week 53 of 2020
    ['2024-02-29', '2024-02-26'], // leap day
    ['1970-01-01', '1969-12-29'], // before the epoch's first Monday
    ['1969-12-28', '1969-12-22'], // negative epoch days
  ])('%s → %s', (date, monday) => expect(isoWeekStart(date)).toBe(monday));

  it('agrees with date-fns on every day of 2000–2030', async () => {
    const { format, startOfISOWeek } = await import('date-fns');
    const { tz } = await import('@date-fns/tz');
    const UTC = tz('UTC');
    for (let d = Date.UTC(2000, 0, 1); d <= Date.UTC(2030, 11, 31); d += 86_400_000) {
      const date = new Date(d).toISOString().slice(0, 10);
      expect(isoWeekStart(date), date).toBe(
        format(startOfISOWeek(new Date(d), { in: UTC }), 'yyyy-MM-dd', { in: UTC }),
      );
    }
  });
});

describe('calendarDate', () => {
  it.each([
    ['2025-11-24T23:30:00Z', undefined, '2025-11-24'],
    ['2025-11-24T23:30:00Z', 'Europe/Berlin', '2025-11-25'],
    ['2025-11-24T03:00:00Z', 'America/Los_Angeles', '2025-11-23'],
    // The night Berlin leaves summer time: 00:30 UTC is 02:30 local, still the 26th.
    ['2025-10-26T00:30:00Z', 'Europe/Berlin', '2025-10-26'],
  ])('%s in %s → %s', (instant, zone, date) => expect(calendarDate(new Date(instant), zone)).toBe(date));
});

describe('addDays and daysBetween', () => {
  it('cross month, year and leap boundaries', () => {
    expect(addDays('2025-12-30', 3)).toBe('2026-01-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2025-01-01', '2025-03-01')).toBe(59);
    expect(daysBetween('2025-03-01', '2025-01-01')).toBe(-59);
  });
});

describe('isTimeZone', () => {
  it('knows IANA names and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('"now" at the edges: the week just ended, and a lifter’s day and week', () => {
  it.each([
    // instant, the ISO week that ended last (the weekly job's week, UTC)
    ['2026-12-07T12:00:00Z', '2026-11-30'], // a Monday: last week just ended
    ['2026-12-13T23:59:59Z', '2026-11-30'], // the Sunday after: this week has not
    ['2026-12-14T00:00:00Z', '2026-12-07'],
    ['2026-12-31T23:30:00Z', '2026-12-21'], // 2026 has a week 53 (Mon 28 Dec – Sun 3 Jan), still running
    ['2027-01-01T00:30:00Z', '2026-12-21'],
    ['2027-01-04T00:00:00Z', '2026-12-28'], // week 53 of 2026 ended
    ['2027-03-28T01:30:00Z', '2027-03-15'],
    ['2027-11-07T06:30:00Z', '2027-10-25'],
  ])('at %s the week that ended last began on %s', (instant, week) => {
    expect(lastEndedWeek(new Date(instant))).toBe(week);
  });

  it.each([
    // instant, zone, the lifter's date, the lifter's ISO week
    ['2026-12-31T23:30:00Z', 'Europe/Berlin', '2027-01-01', '2026-12-28'],
    ['2026-12-31T23:30:00Z', 'America/New_York', '2026-12-31', '2026-12-28'],
    ['2027-01-03T23:30:00Z', 'Europe/Berlin', '2027-01-04', '2027-01-04'], // Monday in Berlin, Sunday in UTC
    ['2027-01-04T03:00:00Z', 'America/New_York', '2027-01-03', '2026-12-28'], // Monday in UTC, Sunday in New York
    // Europe moves to summer time at 01:00 UTC on the last Sunday of March: 01:30 UTC is 03:30 in Berlin.
    ['2027-03-28T00:59:59Z', 'Europe/Berlin', '2027-03-28', '2027-03-22'],
    ['2027-03-28T01:30:00Z', 'Europe/Berlin', '2027-03-28', '2027-03-22'],
    ['2027-03-28T22:30:00Z', 'Europe/Berlin', '2027-03-29', '2027-03-29'], // 00:30 CEST, already Monday
    ['2027-03-28T01:30:00Z', 'America/New_York', '2027-03-27', '2027-03-22'],
    // New York moves back at 06:00 UTC on the first Sunday of November: 01:30 happens twice.
    ['2027-11-07T05:30:00Z', 'America/New_York', '2027-11-07', '2027-11-01'], // 01:30 EDT
    ['2027-11-07T06:30:00Z', 'America/New_York', '2027-11-07', '2027-11-01'], // 01:30 EST
    ['2027-11-08T04:30:00Z', 'America/New_York', '2027-11-07', '2027-11-01'], // 23:30 EST, still Sunday
    ['2027-11-08T05:00:00Z', 'America/New_York', '2027-11-08', '2027-11-08'], // midnight EST: Monday
    ['2027-11-07T06:30:00Z', 'Europe/Berlin', '2027-11-07', '2027-11-01'],
  ])('at %s a lifter in %s is on %s, in the week of %s', (instant, zone, date, week) => {
    expect(calendarDate(new Date(instant), zone)).toBe(date);
    expect(isoWeekStart(calendarDate(new Date(instant), zone))).toBe(week);
  });
});
