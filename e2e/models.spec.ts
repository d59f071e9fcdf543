import { expect, test } from '@playwright/test';
import { signInAs } from './helpers';

test.describe('models (researchers)', () => {
  test('a researcher sees the demo model: offline metrics against the baselines, and its record in shadow', async ({
    page,
  }) => {
    await signInAs(page, 'researcher');
    const card = page.getByTestId('model-1');
    await expect(card.getByRole('heading', { name: /model@1/ })).toBeVisible();
    const table = card.getByRole('table', { name: 'model@1: p(success) against its baselines' });
    await expect(table.getByRole('row')).toHaveCount(4);
    await expect(table.getByRole('rowheader', { name: 'base rate' })).toBeVisible();
    // The demo's population explored as an experiment's arms do: the gain head learnt from those decisions.
    await expect(card.getByTestId('model-1-gain')).toContainText(
      /fitted on [\d,]+ explored decisions, weighted by 1\/propensity/,
    );
    await expect(card.getByTestId('shadow-summary')).toContainText(
      /\d+ proposals; differs from what was served in \d+%/,
    );
    await expect(card.locator('.recharts-line-curve')).toHaveCount(2);
  });

  for (const who of ['lifter', 'coach'] as const) {
    test(`a ${who} cannot open it, nor its procedure`, async ({ page }) => {
      await signInAs(page, who);
      await page.goto('/models');
      await expect(page.getByRole('heading', { name: 'Researchers only' })).toBeVisible();
      await expect(page.getByTestId('model-1')).toHaveCount(0);
      expect((await page.request.get('/api/trpc/models.list')).status()).toBe(403);
    });
  }

  test('signed out, it sends you to sign in', async ({ page }) => {
    const res = await page.request.get('/models', { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    expect(res.headers().location).toMatch(/\/signin\?next=%2Fmodels/);
  });
});
