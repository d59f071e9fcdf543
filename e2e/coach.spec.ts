import { expect, test } from '@playwright/test';
import { demoToken } from './demo';
import { signInAs } from './helpers';

test.describe('coach view', () => {
  test('lists the athletes with flags and opens one', async ({ page }) => {
    await signInAs(page, 'coach');
    await expect(page.getByRole('heading', { level: 1, name: 'Your athletes' })).toBeVisible();
    const athletes = page.getByRole('list', { name: 'Athletes' }).locator('> li');
    await expect(athletes).toHaveCount(2);
    await expect(page.locator('[data-athlete="user-123"]')).toContainText('Plateau: Bench Press');
    await expect(page.locator('[data-athlete="user-123"]')).toContainText(/last session \d{1,2} \w{3} \d{4}/);
    await page.getByRole('link', { name: 'Alex Demo' }).click();
    await expect(page).toHaveURL(/\/coach\/athletes\/user-123$/);
    await expect(page.getByTestId('modifier-chart').locator('.recharts-line-curve')).toHaveCount(1);
    await expect(page.getByTestId('history-table').locator('tbody tr').first()).toBeVisible();
    // The athlete's estimated strength on the same exercise, as their dashboard draws it.
    const strength = page.getByTestId('strength-chart');
    await expect(strength.locator('.recharts-line-curve')).toHaveCount(1);
    await expect(strength.locator('.recharts-area-area')).toHaveCount(1);
    await expect(strength.locator('.recharts-scatter-symbol').first()).toBeVisible();
  });

  test('an override shows at the top of the history and in the athlete’s overlay at once', async ({
    page,
    request,
  }) => {
    await signInAs(page, 'coach');
    await page.goto('/coach/athletes/user-123');
    await page.getByRole('combobox', { name: 'Exercise' }).first().selectOption('Deadlift');
    const form = page.getByRole('region', { name: 'Override a modifier' });
    await expect(form.getByLabel('Exercise')).toHaveValue('Deadlift');

    // Validation first: no value and no note.
    await form.getByRole('button', { name: 'Save override' }).click();
    await expect(form.locator('#multiplier-error')).toContainText('give a multiplier');
    await expect(form.locator('#note-error')).toBeVisible();

    await form.getByLabel('Multiplier').fill('0.95');
    await form.getByLabel('Note (why)').fill('Lower back is sore: ease off this week');
    await form.getByRole('button', { name: 'Save override' }).click();
    await expect(form.getByRole('status')).toContainText('Saved: Deadlift × 0.950');

    const top = page.getByTestId('history-table').locator('tbody tr').first();
    await expect(top).toHaveAttribute('data-source', 'coach');
    await expect(top).toContainText('0.950');
    await expect(top).toContainText('coach-1');
    await expect(top).toContainText('Lower back is sore');
    await expect(page.locator('.chip[data-exercise="Deadlift"]')).toHaveText('Deadlift: ×0.950 (coach)');

    // The app sees it too: the athlete's overlay over the REST API.
    const res = await request.get('/api/modifiers', { headers: { authorization: `Bearer ${demoToken('user-123')}` } });
    const deadlift = (await res.json()).modifiers.find((m: { exercise: string }) => m.exercise === 'Deadlift');
    expect(deadlift).toMatchObject({ multiplier: 0.95, source: 'coach' });
  });
});

test.describe('the athlete’s voice', () => {
  test('the coach reads the feedback beside its session and leaves a note; the athlete sees it and deletes it', async ({
    page,
    request,
  }) => {
    await signInAs(page, 'coach');
    await page.goto('/coach/athletes/user-123');
    // The athlete's volume per muscle group, read only.
    await expect(page.getByTestId('volume-table').locator('tr[data-group="chest"]')).toBeVisible();
    await expect(page.getByRole('form', { name: 'Map an exercise to muscle groups' })).toHaveCount(0);
    const feedback = page.getByTestId('feedback-table');
    await expect(feedback.locator('tr[data-helpful="false"]')).toContainText('bench felt too heavy again');

    // The session that feedback was about, among the recent ones, with the athlete's words beside it.
    const session = page.locator('li[data-session]').filter({ hasText: 'bench felt too heavy again' });
    await expect(session).toHaveCount(1);
    const sessionId = await session.getAttribute('data-session');
    await session.getByRole('button', { name: 'Add note' }).click();
    await expect(session.locator('.field-error')).toContainText('1 to 2,000 characters');
    await session.getByLabel('Your note').fill('Drop the bench 5 % and film the last set.');
    await session.getByRole('button', { name: 'Add note' }).click();
    await expect(session.getByTestId('coach-note')).toContainText('Drop the bench 5 % and film the last set.');

    // The app reads it with the session.
    const api = await request.get(`/api/v1/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${demoToken('user-123')}` },
    });
    expect((await api.json()).coach_notes).toEqual([
      expect.objectContaining({ coach_id: 'coach-1', note: 'Drop the bench 5 % and film the last set.' }),
    ]);

    await page.context().clearCookies();
    await signInAs(page, 'lifter');
    const notes = page.getByRole('region', { name: 'Notes from your coach' });
    const note = notes.getByTestId('coach-note');
    await expect(note).toHaveCount(1);
    await expect(note).toContainText('Drop the bench 5 % and film the last set.');
    await note.getByRole('button', { name: 'Delete note' }).click();
    await expect(notes).toContainText('No notes from a coach yet.');
  });
});

test.describe('access', () => {
  test('signed out, every page sends you to sign in and back', async ({ page }) => {
    for (const path of ['/dashboard', '/coach', '/coach/athletes/user-123']) {
      await page.goto(path);
      await expect(page).toHaveURL(new RegExp(`/signin\\?next=${encodeURIComponent(path).replace(/[/]/g, '%2F')}`));
    }
    await page.getByLabel('API token').fill(demoToken('user-123'));
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await expect(page).toHaveURL(/\/coach\/athletes\/user-123$/);
    // A lifter signed in with a token is refused the coach's page.
    await expect(page.getByRole('heading', { name: 'Not your athlete' })).toBeVisible();
  });

  test('signed out, every page answers a real HTTP redirect, not a page that redirects itself', async ({ request }) => {
    for (const path of ['/dashboard', '/dashboard?range=1y', '/coach', '/coach/athletes/user-123']) {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(307);
      expect(res.headers().location, path).toBe(`/signin?next=${encodeURIComponent(path)}`);
    }
  });

  test('a wrong token is refused with a message', async ({ page }) => {
    await page.goto('/signin');
    await page.getByLabel('API token').fill('ovl_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in with token' }).click();
    await expect(page.locator('.notice-error')).toContainText('not recognised');
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('a lifter cannot open the coach view', async ({ page }) => {
    await signInAs(page, 'lifter');
    await page.goto('/coach');
    await expect(page.getByRole('heading', { name: 'Coaches only' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Athletes' })).toHaveCount(0);
    const trpc = await page.request.get('/api/trpc/coach.athletes');
    expect(trpc.status()).toBe(403);
  });

  test('a coach sees only its own athletes', async ({ page }) => {
    await signInAs(page, 'coach');
    await page.goto('/coach/athletes/coach-1');
    await expect(page.getByRole('heading', { name: 'Not your athlete' })).toBeVisible();
    const res = await page.request.get(
      `/api/trpc/coach.modifierHistory?input=${encodeURIComponent(JSON.stringify({ athleteId: 'nobody' }))}`,
    );
    expect(res.status()).toBe(403);
  });

  test('the session cookie is httpOnly, SameSite and Secure (production build)', async ({ page, context }) => {
    await signInAs(page, 'lifter');
    const cookie = (await context.cookies()).find((c) => c.name === '__Host-overload_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('overload_session');
  });

  test('signing out ends the session', async ({ page }) => {
    await signInAs(page, 'lifter');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/signin/);
  });
});

test.describe('planned deloads', () => {
  test('a coach plans a deload for an athlete: the calendar and the API show it, and it can be cancelled', async ({
    page,
    request,
  }) => {
    await signInAs(page, 'coach');
    await page.goto('/coach/athletes/user-123');
    const calendar = page.getByTestId('deload-calendar');
    await expect(calendar.locator('tbody tr')).toHaveCount(12);
    const form = page.locator('form[aria-labelledby="plan-deload-heading"]');
    const nextWeek = await form.getByRole('combobox', { name: /^Week/ }).inputValue();
    await form.getByLabel('Load in the deload week').selectOption('0.7');
    await form.getByLabel(/^Exercises/).fill('Bench Press');
    await form.getByRole('button', { name: 'Plan it' }).click();
    await expect(form.getByRole('status')).toContainText('Planned: deload');
    const row = calendar.locator(`tr[data-week="${nextWeek}"]`);
    await expect(row).toHaveAttribute('data-state', 'deload');
    await expect(row).toContainText('70%');
    await expect(row).toContainText('Bench Press');

    // The athlete's app reads the plan, the coach named as who planned it.
    const token = { authorization: `Bearer ${demoToken('user-123')}` };
    const plans = (await (await request.get('/api/deloads', { headers: token })).json()).plans;
    expect(plans.at(-1)).toMatchObject({ week_start: nextWeek, planned_by: 'coach-1', load_factor: 0.7 });

    // Planning the same week again is refused, with the server's reason.
    await form.getByRole('button', { name: 'Plan it' }).click();
    await expect(form.getByRole('alert')).toContainText('overlaps plan');

    await page
      .locator(`[data-plan="${plans.at(-1).id}"]`)
      .getByRole('button', { name: 'Cancel' })
      .click();
    await expect(row).toHaveAttribute('data-state', 'normal');
  });

  test('a lifter plans this week as a deload: this week’s adjustments say so', async ({ page }) => {
    await signInAs(page, 'lifter');
    const form = page.locator('form[aria-labelledby="plan-deload-heading"]');
    await form.getByRole('combobox', { name: /^Week/ }).selectOption({ index: 0 });
    await form.getByLabel('Sets in the deload week').selectOption('0.5');
    await form.getByRole('button', { name: 'Plan it' }).click();
    const notice = page.getByTestId('deload-this-week');
    await expect(notice).toContainText('Deload week — load 80% — sets 50% for every exercise (planned deload, by you)');
    await page.getByRole('list', { name: 'Planned deloads' }).getByRole('button', { name: 'Cancel' }).click();
    await expect(notice).toHaveCount(0);
  });
});
