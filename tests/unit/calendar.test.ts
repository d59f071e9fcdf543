import { describe, expect, it } from 'vitest';
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
