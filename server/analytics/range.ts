import { tz } from '@date-fns/tz';
import { format, parseISO, subDays, subMonths, subWeeks, subYears } from 'date-fns';
import { z } from 'zod';
import { isoWeekStart } from '@/server/time/calendar';

/**
 * An analytics range: `all`, or N days/weeks/months/years back from today (`7d`, `30d`, `12w`, `6m`, `1y`, …).
 * Ranges cover whole ISO weeks: they start on the Monday of the week containing `today − N + 1 day` and end
 * today (in the lifter's zone), so every week in a weekly summary is complete except the current one.
 */
const LIMITS = { d: 7300, w: 1040, m: 240, y: 20 } as const;
type Unit = keyof typeof LIMITS;

export const rangeParam = z
  .string()
  .regex(/^(all|[1-9]\d{0,3}[dwmy])$/, 'must be all or a number followed by d, w, m or y (e.g. 30d, 12w, 6m, 1y)')
  .refine((r) => r === 'all' || Number(r.slice(0, -1)) <= LIMITS[r.at(-1) as Unit], 'must be at most 20 years')
  .meta({ example: '30d' });

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
  const unit = range.at(-1) as Unit;
  const t = parseISO(today, { in: UTC });
  const back = { d: subDays, w: subWeeks, m: subMonths, y: subYears }[unit](t, n, { in: UTC });
  const first = format(subDays(back, -1, { in: UTC }), 'yyyy-MM-dd', { in: UTC });
  const startWeek = isoWeekStart(first);
  return { start: startWeek, end: today, startWeek, endWeek };
}
