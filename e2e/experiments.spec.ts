import { expect, test } from '@playwright/test';
import { DEMO_COACH_ID, DEMO_LIFTER_ID, DEMO_RESEARCHER_ID } from '@/server/demo/demo-data';
import { demoToken } from './demo';
import { signInAs } from './helpers';

test.describe('experiments (researchers)', () => {
  test('the list shows the demo’s finished and running experiments', async ({ page }) => {
    await signInAs(page, 'researcher');
    await page.getByRole('link', { name: 'Experiments' }).click();
    const finished = page.getByTestId('experiment-model-vs-rules');
    await expect(finished.getByText('stopped')).toBeVisible();
    await expect(finished.getByText('model@1', { exact: true })).toBeVisible();
    const running = page.getByTestId('experiment-hold-vs-rules');
    await expect(running.getByText('running')).toBeVisible();
    await expect(running.getByRole('button', { name: 'Stop' })).toBeVisible();
  });

  test('the finished experiment’s report: SRM first, the verdict, metrics with intervals, charts, planning, off-policy', async ({
    page,
  }) => {
    await signInAs(page, 'researcher');
    await page.goto('/experiments/model-vs-rules');
    await expect(page.getByTestId('srm')).toContainText(/Split as planned|Sample-ratio mismatch/);
    const verdict = page.getByTestId('verdict');
    await expect(verdict).toContainText(/ship|keep control|no difference yet|harmful|invalid/);
    // SRM is read before anything else on the page.
    const [srmBox, verdictBox] = [await page.getByTestId('srm').boundingBox(), await verdict.boundingBox()];
    expect(srmBox!.y).toBeLessThan(verdictBox!.y);
    const arms = page.getByRole('table', { name: 'Arms' });
    await expect(arms.getByRole('row')).toHaveCount(3);
    const primary = page.getByTestId('metric-strength_progression');
    await expect(primary.getByRole('rowheader', { name: 'model − control (CUPED)' })).toBeVisible();
    await expect(primary.getByRole('rowheader', { name: 'model − control (unadjusted)' })).toBeVisible();
    await expect(page.getByTestId('decision-strength_progression-model')).toHaveText(
      /^(better|not shown|worse) \(p [0-9.e-]+\)$/,
    );
    await expect(page.getByTestId('metric-dropout').locator('caption')).toContainText('may be 0.020 worse');
    await expect(page.getByTestId('primary-chart').locator('.recharts-line-curve')).toHaveCount(2);
    const subgroups = page.getByRole('table', { name: 'By training level and sex' });
    await expect(subgroups.getByRole('rowheader')).toHaveText(['novice', 'intermediate', 'advanced', 'female', 'male']);
    await expect(subgroups.locator('caption')).toContainText('intervals at 99%, corrected for the 5 subgroups');
    await expect(page.getByTestId('guardrail-success_rate').locator('.recharts-bar-rectangle')).toHaveCount(2);
    const perArm = page.getByTestId('lifters-per-arm');
    const before = await perArm.textContent();
    const planning = page.getByTestId('planning');
    await planning.getByLabel('Minimal detectable effect').fill('0.05');
    await planning.getByRole('button', { name: 'Recalculate' }).click();
    await expect(perArm).not.toHaveText(before ?? '');
    await expect(page.getByRole('table', { name: 'Off-policy estimates' }).getByText('hold')).toBeVisible();
  });

  test('a draft is created from the form; bad input names its field; a second running experiment is refused', async ({
    page,
  }) => {
    await signInAs(page, 'researcher');
    await page.goto('/experiments');
    const form = page.getByRole('region', { name: 'New experiment' });
    await form.getByLabel('Key').fill('e2e-draft');
    await form.getByLabel('Hypothesis').fill('Checking the form.');
    await form.getByRole('group', { name: 'Arm 2' }).getByLabel('Weight').fill('0.4');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await expect(form.getByText(/weights must sum to 1/)).toBeVisible();
    await form.getByRole('group', { name: 'Arm 2' }).getByLabel('Weight').fill('0.5');
    await form
      .getByRole('group', { name: 'Arm 2' })
      .getByLabel(/Policy/)
      .fill('model@99');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await expect(form.getByText(/no model version 99/)).toBeVisible();
    await form
      .getByRole('group', { name: 'Arm 2' })
      .getByLabel(/Policy/)
      .fill('hold');
    await form.getByRole('button', { name: 'Create draft' }).click();
    await expect(form.getByRole('status')).toContainText('Created e2e-draft');
    const draft = page.getByTestId('experiment-e2e-draft');
    await draft.getByRole('button', { name: 'Start' }).click();
    await expect(draft.getByRole('alert')).toContainText(/hold-vs-rules is running/);
  });

  for (const [who, id] of [
    ['lifter', DEMO_LIFTER_ID],
    ['coach', DEMO_COACH_ID],
  ] as const) {
    test(`a ${who} cannot open the pages, the procedures or the REST routes`, async ({ page, request }) => {
      await signInAs(page, who);
      for (const path of ['/experiments', '/experiments/model-vs-rules']) {
        await page.goto(path);
        await expect(page.getByRole('heading', { name: 'Researchers only' })).toBeVisible();
      }
      await expect(page.getByTestId('verdict')).toHaveCount(0);
      expect((await page.request.get('/api/trpc/experiments.list')).status()).toBe(403);
      const headers = { authorization: `Bearer ${demoToken(id)}` };
      for (const path of ['/api/v1/experiments', '/api/v1/experiments/model-vs-rules/report']) {
        const res = await request.get(path, { headers });
        expect(res.status()).toBe(403);
        expect((await res.json()).error.code).toBe('forbidden');
      }
    });
  }

  test('a researcher’s token reads the report over REST', async ({ request }) => {
    const res = await request.get('/api/v1/experiments/model-vs-rules/report', {
      headers: { authorization: `Bearer ${demoToken(DEMO_RESEARCHER_ID)}` },
    });
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.arms.map((a: { name: string }) => a.name)).toEqual(['control', 'model']);
    expect(body.verdict.line.length).toBeGreaterThan(10);
  });

  test('signed out, it sends you to sign in', async ({ page }) => {
    const res = await page.request.get('/experiments', { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    expect(res.headers().location).toMatch(/\/signin\?next=%2Fexperiments/);
  });
});
