import { tz } from '@date-fns/tz';
import { format, parseISO, subDays, subMonths, subWeeks, subYears } from 'date-fns';
import type { RangeUnit } from '@/server/contracts/analytics';
import { isoWeekStart } from '@/server/time/calendar';

/**
 * An analytics range: `all`, or N days/weeks/months/years back from today (`7d`, `30d`, `12w`, `6m`, `1y`, …).
 * Ranges cover whole ISO weeks: they start on the Monday of the week containing `today − N + 1 day` and end
 * today (in the lifter's zone), so every week in a weekly summary is complete except the current one.
 */
export interface ResolvedRange {
  /** Monday of the first week; null for `all` (from the first data on). */
  start: string | null;
  end: string;
  startWeek: string | null;
  endWeek: string;
}

const UTC = tz('UTC');

export function resolveRange(range: string, today: string): ResolvedRange {
  const endWeek = isoWeekStart(today);
  if (range === 'all') return { start: null, end: today, startWeek: null, endWeek };
  const n = Number(range.slice(0, -1));
  const unit = range.at(-1) as RangeUnit;
  const t = parseISO(today, { in: UTC });
  const back = { d: subDays, w: subWeeks, m: subMonths, y: subYears }[unit](t, n, { in: UTC });
  const first = format(subDays(back, -1, { in: UTC }), 'yyyy-MM-dd', { in: UTC });
  const startWeek = isoWeekStart(first);
  return { start: startWeek, end: today, startWeek, endWeek };
}
