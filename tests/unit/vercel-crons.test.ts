import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { testNow } from '../helpers/clock';

/**
 * `vercel.json`'s cron schedules deploy on the plan docs/deployment.md names — Vercel's Hobby plan, whose crons may
 * run at most once a day and fire anywhere within their hour (vercel.com/docs/cron-jobs/usage-and-pricing) — and
 * each names a route that exists. Parsed by `cron-parser`, over four weeks from the tests' clock.
 */
const root = join(import.meta.dirname, '..', '..');
const { crons } = JSON.parse(readFileSync(join(root, 'vercel.json'), 'utf8')) as {
  crons: { path: string; schedule: string }[];
};
const WEEKS = 4;

/** Every fire of a five-field UTC schedule within WEEKS weeks of the tests' clock. */
function firesOf(schedule: string): Date[] {
  const end = testNow().getTime() + WEEKS * 7 * 86_400_000;
  const expression = CronExpressionParser.parse(schedule, { currentDate: testNow(), tz: 'UTC' });
  const fires: Date[] = [];
  for (let next = expression.next().toDate(); next.getTime() < end; next = expression.next().toDate()) fires.push(next);
  return fires;
}

describe('vercel.json crons on the Hobby plan', () => {
  it.each(crons.map((c) => [c.path, c.schedule]))('%s (%s) fires at most once a UTC day', (_path, schedule) => {
    const days = firesOf(schedule).map((d) => d.toISOString().slice(0, 10));
    expect(days.length).toBeGreaterThan(0);
    expect(new Set(days).size).toBe(days.length);
  });

  it.each(crons.map((c) => [c.path]))('%s is a route of the app', (path) => {
    expect(existsSync(join(root, 'app', path.split('?')[0]!, 'route.ts'))).toBe(true);
  });

  it('the weekly job runs every day, an hour after the analytics job’s hour, so it always reads settled estimates', () => {
    const hourOf = (path: string) => firesOf(crons.find((c) => c.path === path)!.schedule)[0]!.getUTCHours();
    expect(firesOf(crons.find((c) => c.path === '/api/cron/modifiers')!.schedule)).toHaveLength(7 * WEEKS);
    // Hobby fires within the hour: the analytics job (02:xx) is over before the modifier job's hour begins.
    expect(hourOf('/api/cron/modifiers')).toBeGreaterThanOrEqual(hourOf('/api/cron/analytics') + 2);
  });

  it('the negative control: the old three-times-on-Monday schedule fails the Hobby rule', () => {
    const days = firesOf('0 3,4,5 * * 1').map((d) => d.toISOString().slice(0, 10));
    expect(new Set(days).size).toBeLessThan(days.length);
  });
});
