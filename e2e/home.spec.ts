import { expect, test } from '@playwright/test';

test('the home page says what Overload is and links to the dashboard, coach view and API docs', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overload' })).toBeVisible();
  await expect(page.getByText(/progressive-overload strength app/)).toBeVisible();
  await expect(page.getByRole('link', { name: /Lifter dashboard/ })).toHaveAttribute('href', '/dashboard');
  await expect(page.getByRole('link', { name: /Coach view/ })).toHaveAttribute('href', '/coach');
  await expect(page.getByRole('link', { name: /API docs/ })).toHaveAttribute('href', '/docs');
});

test('the server runs on the seeded embedded database', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true, database: 'pglite' });
});
