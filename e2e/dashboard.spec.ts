import { expect, test } from '@playwright/test';
import { buildDemoData, DEMO_LIFTER_ID, DEMO_PLATEAU_EXERCISE, DEMO_PLATEAU_WEEKS } from '../server/demo/demo-data';
import { CATALOG_MUSCLES } from '../server/exercises/catalog-muscles';
import { addDays, calendarDate, isoWeekStart } from '../server/time/calendar';
import { testNow } from '../tests/helpers/clock';
import { demoToken, NEW_LIFTER_ID } from './demo';
import { signInAs } from './helpers';

const demo = buildDemoData(testNow());
const lifterSessions = demo.sessions.filter((x) => x.user_id === DEMO_LIFTER_ID);
/** ISO weeks in which the demo lifter trained: one volume bar each on `?range=all`. */
const trainedWeeks = new Set(lifterSessions.map((s) => isoWeekStart(s.date.slice(0, 10)))).size;

/** Weeks with at least one set that has an e1RM (done, 1–12 reps): one dot each on the strength chart. */
function weeksWithE1rm(exercise: string): number {
  const weeks = lifterSessions
    .filter((s) => s.sets.some((x) => x.exercise === exercise && x.done && x.actual_reps >= 1 && x.actual_reps <= 12))
    .map((s) => isoWeekStart(s.date.slice(0, 10)));
  return new Set(weeks).size;
}

/** All-time PRs straight from the demo generator: what `?range=all` must show. */
function expectedPrs(): Record<string, number> {
  const prs: Record<string, number> = {};
  for (const s of lifterSessions)
    for (const x of s.sets)
      if (x.done && x.actual_reps >= 1) prs[x.exercise] = Math.max(prs[x.exercise] ?? 0, x.actual_weight);
  return prs;
}

test.describe('volume per muscle group', () => {
  test('shows a row per group the demo lifter trained, and maps an exercise', async ({ page }) => {
    // The groups the catalog (free-exercise-db) gives the exercises of the last twelve weeks, primary or secondary.
    const from = addDays(isoWeekStart(calendarDate(testNow())), -7 * 12);
    const trained = new Set(
      lifterSessions.filter((x) => x.date.slice(0, 10) >= from).flatMap((x) => x.sets.map((y) => y.exercise)),
    );
    const groups = new Set(
      CATALOG_MUSCLES.filter((m) => trained.has(m.exercise)).flatMap((m) => [...m.primary, ...m.secondary]),
    );
    await signInAs(page, 'lifter');
    const region = page.getByRole('region', { name: 'Volume per muscle group' });
    const rows = region.getByTestId('volume-table').locator('tbody tr');
    await expect(rows).toHaveCount(groups.size);
    expect(new Set(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-group'))))).toEqual(groups);
    await expect(region.locator('tr[data-group="chest"] td').nth(1)).toHaveText('10–20');

    const form = region.getByRole('form', { name: 'Map an exercise to muscle groups' });
    await form.getByLabel('Exercise to map').fill('Never Trained');
    await form.getByLabel('Primary group').selectOption('chest');
    await form.getByRole('button', { name: 'Save mapping' }).click();
    await expect(form.getByRole('alert')).toContainText('Never Trained');
    await form.getByLabel('Exercise to map').fill('cable fly');
    await form.getByRole('checkbox', { name: 'shoulders' }).check();
    await form.getByRole('button', { name: 'Save mapping' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved: Cable Fly counts for chest.');

    // The lifter's own target: refused when inverted, then saved and shown in the row.
    const target = region.getByRole('form', { name: 'Your weekly target' });
    await target.getByLabel('Muscle group').selectOption('chest');
    await target.getByLabel('At least').fill('16');
    await target.getByLabel('At most').fill('12');
    await target.getByRole('button', { name: 'Save target' }).click();
    await expect(target.getByRole('alert')).toContainText('at least the minimum');
    await target.getByLabel('At least').fill('12');
    await target.getByLabel('At most').fill('16');
    await target.getByRole('button', { name: 'Save target' }).click();
    await expect(target.getByRole('status')).toHaveText('Saved: chest 12–16 hard sets a week.');
    await expect(region.locator('tr[data-group="chest"] td').nth(1)).toHaveText('12–16');
    await target.getByLabel('At least').fill('10');
    await target.getByLabel('At most').fill('20');
    await target.getByRole('button', { name: 'Save target' }).click();
    await expect(region.locator('tr[data-group="chest"] td').nth(1)).toHaveText('10–20');
  });
});

test.describe('lifter dashboard', () => {
  test('shows the seeded PRs, the plateau, the e1RM trend and the weekly charts', async ({ page }) => {
    await signInAs(page, 'lifter');
    await page.goto('/dashboard?range=all');
    await expect(page.getByRole('heading', { level: 1, name: 'Your training' })).toBeVisible();

    const prs = expectedPrs();
    const cards = page.getByRole('list', { name: 'Personal records' }).getByRole('listitem');
    await expect(cards).toHaveCount(Object.keys(prs).length);
    for (const [exercise, weight] of Object.entries(prs)) {
      await expect(page.locator(`.pr-card[data-exercise="${exercise}"] [data-testid="pr-heaviest"]`)).toHaveText(
        `${Number(weight.toFixed(1))} kg`,
      );
    }

    const plateau = page.getByRole('list', { name: 'Plateaus' }).getByRole('listitem');
    await expect(plateau).toHaveCount(1);
    await expect(plateau).toContainText(DEMO_PLATEAU_EXERCISE);
    await expect(plateau).toContainText(`${DEMO_PLATEAU_WEEKS} weeks`);

    // Estimated strength: the estimate as a line in its band, one dot per week of the plateaued lift's best e1RM.
    const chart = page.getByTestId('strength-chart');
    await expect(page.getByRole('heading', { name: 'Estimated strength' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Estimated strength' }).getByLabel('Exercise')).toHaveValue(
      DEMO_PLATEAU_EXERCISE,
    );
    await expect(chart.locator('.recharts-line-curve')).toHaveCount(1);
    await expect(chart.locator('.recharts-area-area')).toHaveCount(1);
    const dots = chart.locator('.recharts-scatter-symbol');
    await expect(dots).toHaveCount(Number(await chart.getAttribute('data-points')));
    await expect(dots).toHaveCount(weeksWithE1rm(DEMO_PLATEAU_EXERCISE));
    expect(Number(await chart.getAttribute('data-estimates'))).toBeGreaterThan(0);
    await expect(chart.locator('.recharts-reference-area-rect')).toHaveCount(1);

    // Another exercise redraws the chart.
    await page.getByRole('region', { name: 'Estimated strength' }).getByLabel('Exercise').selectOption('Back Squat');
    await expect(chart.locator('.recharts-reference-area-rect')).toHaveCount(0);
    await expect(chart.locator('.recharts-scatter-symbol')).toHaveCount(weeksWithE1rm('Back Squat'));

    const weekly = page.getByTestId('weekly-chart');
    await expect(weekly.locator('.recharts-bar-rectangle').first()).toBeVisible();
    await expect(weekly.locator('.recharts-line-curve')).toHaveCount(1);
    await expect(page.getByTestId('volume-chart').locator('.recharts-bar-rectangle')).toHaveCount(trainedWeeks);

    await expect(
      page.getByRole('table', { name: 'Current modifiers' }).getByRole('row', { name: /Bench Press/ }),
    ).toBeVisible();
  });

  test('changing the range changes the data and the URL', async ({ page }) => {
    await signInAs(page, 'lifter');
    await page.goto('/dashboard?range=all');
    const volumeBars = page.getByTestId('volume-chart').locator('.recharts-bar-rectangle');
    await expect(volumeBars).toHaveCount(trainedWeeks);
    await page.getByRole('navigation', { name: 'Range' }).getByRole('link', { name: '30 days' }).click();
    await expect(page).toHaveURL(/\/dashboard\?range=30d$/);
    await expect(page.getByRole('link', { name: '30 days' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('weekly-chart')).toHaveAttribute('data-weeks', /^[45]$|^6$/);
    expect(await volumeBars.count()).toBeLessThan(trainedWeeks);
    // The weekly chart now starts within the last five weeks.
    const weeks = Number(await page.getByTestId('weekly-chart').getAttribute('data-weeks'));
    expect(weeks).toBeLessThanOrEqual(6);
  });

  test('a reload keeps the range', async ({ page }) => {
    await signInAs(page, 'lifter');
    await page.goto('/dashboard?range=1y');
    await page.reload();
    await expect(page.getByRole('link', { name: '1 year' })).toHaveAttribute('aria-current', 'page');
  });
});

test.describe('a new lifter', () => {
  test('signs in with an API token and sees empty states that say what to do', async ({ page }) => {
    await page.goto('/signin');
    await page.getByLabel('API token').fill(demoToken(NEW_LIFTER_ID));
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText('No training logged in this range yet')).toBeVisible();
    await expect(page.getByText(/Log a session in the app/)).toBeVisible();
    await expect(page.getByText(/No adjustments yet/)).toBeVisible();
    // No charts or PR cards drawn from nothing.
    await expect(page.getByTestId('strength-chart')).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Personal records' })).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Range' }).getByRole('link', { name: 'All time' }).click();
    await expect(page).toHaveURL(/range=all$/);
    await expect(page.getByText('No training logged in this range yet')).toBeVisible();
  });

  test('turns analytics sharing on and off, and the API agrees', async ({ page, request }) => {
    await page.goto('/signin');
    await page.getByLabel('API token').fill(demoToken(NEW_LIFTER_ID));
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    const state = page.getByTestId('consent-state');
    await expect(state).toHaveText('off');
    await page.getByRole('button', { name: 'Share usage data' }).click();
    await expect(state).toHaveText('on');
    const auth = { authorization: `Bearer ${demoToken(NEW_LIFTER_ID)}` };
    const consent = await (await request.get('/api/v1/consent', { headers: auth })).json();
    expect(consent.analytics).toBe(true);
    expect(consent.history[0]).toMatchObject({ granted: true, source: 'dashboard' });
    await page.getByRole('button', { name: 'Stop sharing and delete usage data' }).click();
    await expect(state).toHaveText('off');
    expect((await (await request.get('/api/v1/consent', { headers: auth })).json()).history).toHaveLength(2);
  });
});
