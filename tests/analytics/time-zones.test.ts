import { beforeAll, expect, it } from 'vitest';
import { addDays, calendarDate, isoWeekStart } from '@/server/time/calendar';
import { get, post } from '../helpers/api';
import { daysAgo, msAgo } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';

/**
 * "Today" and "this week" as each lifter's own zone sees them, over the API, whenever the suite runs:
 * `npm run test:dates` runs this at the night Europe moves to summer time and the night New York moves back to
 * standard time, when UTC's date and the lifters' disagree, and at the turn of a year with an ISO week 53.
 */
const ZONES = [null, 'Europe/Berlin', 'America/New_York'] as const;
const HOUR = 3_600_000;

describeEachDatabase('a lifter’s own day and week', (ctx) => {
  const tokens = new Map<string | null, string>();
  const userOf = (zone: string | null) => `tz-${zone ?? 'utc'}`.replace('/', '-').toLowerCase();

  beforeAll(async () => {
    for (const zone of ZONES) {
      const user = userOf(zone);
      const token = await createUser(ctx.db, user, { analyticsOptIn: true });
      tokens.set(zone, token);
      if (zone) {
        const profile = { user_id: user, snapshot: { timeZone: zone }, effective_date: daysAgo(30) };
        expect((await post('/api/v1/profile_versions', profile, token)).status).toBe(201);
      }
    }
  });

  const bench = (weight: number) => ({
    exercise: 'Bench Press',
    set_number: 1,
    rec_weight: weight,
    rec_reps: 5,
    actual_weight: weight,
    actual_reps: 5,
    intensity: 8,
  });

  it.each(ZONES)(
    'a session an hour ago lands on that day and week in %s, and this week’s analytics hold it',
    async (zone) => {
      const user = userOf(zone);
      const token = tokens.get(zone)!;
      const at = msAgo(HOUR);
      const created = await post(
        '/api/v1/session',
        { user_id: user, date: at.toISOString(), finished: true, sets: [bench(80)] },
        token,
      );
      expect(created.status).toBe(201);

      const day = calendarDate(at, zone);
      const session = await get(`/api/v1/sessions/${created.body.session_id}`, token);
      expect(session.body.calendar_date).toBe(day);

      const now = msAgo(0);
      const today = calendarDate(now, zone);
      const analytics = (await get(`/api/v1/analytics?user_id=${user}&range=7d`, token)).body;
      expect(analytics.range.end).toBe(today);
      expect(analytics.range.start).toBe(isoWeekStart(addDays(today, -6)));
      const week = analytics.weekly_summary.find((w: { weekStart: string }) => w.weekStart === isoWeekStart(day));
      expect(week?.sets).toBe(1);
      expect(analytics.prs['Bench Press']).toBe(80);

      const overlay = (await get(`/api/v1/modifiers?user_id=${user}`, token)).body;
      expect(overlay.week_start).toBe(isoWeekStart(today));
    },
  );
});
