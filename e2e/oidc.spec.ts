import { expect, type Page, test } from '@playwright/test';
import { expectAccessible } from './helpers';

/** Through the provider's own login and consent screens (oidc-provider's development interactions). */
async function providerLogin(page: Page, login: string) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test.describe('sign-in with OpenID Connect', () => {
  test('login at the provider, consent, back to the page asked for; sign out ends it', async ({ page }) => {
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/signin\?next=%2Fdashboard$/);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Sign in with E2E ID' }).click();
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//); // the provider's own page
    await providerLogin(page, 'user-123');
    await expect(page).toHaveURL(/\/dashboard$/);
    // Signed in as the demo lifter: their dashboard, with their records.
    await expect(page.getByRole('heading', { level: 1, name: 'Your training' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Personal records' })).toBeVisible();
    await expect(page.locator('.who')).toContainText('user-123');

    // The session cookie is the app's own, httpOnly; the PKCE cookie is gone.
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === '__Host-overload_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });
    expect(cookies.find((c) => c.name === 'overload_oidc')).toBeUndefined();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/signin\?next=/);
  });

  test('someone the app has never seen is created as a lifter', async ({ page }) => {
    await page.goto('/signin?next=/settings');
    await page.getByRole('link', { name: 'Sign in with E2E ID' }).click();
    await providerLogin(page, 'oidc-newcomer');
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByText('Signed in as oidc-newcomer (lifter).')).toBeVisible();
  });

  test('an account at the provider whose id names an existing, unlinked account is refused, not let in', async ({
    page,
  }) => {
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Sign in with E2E ID' }).click();
    await providerLogin(page, 'coach-1'); // the demo coach exists here, and no admin linked this identity to it
    await expect(page).toHaveURL(/\/signin\?error=oidc_unlinked$/);
    await expect(page.getByRole('alert').filter({ hasText: 'not linked to an Overload account' })).toBeVisible();
    expect((await page.context().cookies()).find((c) => c.name === '__Host-overload_session')).toBeUndefined();
  });

  test('an answer that does not check out (no pending sign-in, forged state) is refused with a message', async ({
    page,
  }) => {
    await page.goto('/signin/oidc/callback?code=forged&state=forged');
    await expect(page).toHaveURL(/\/signin\?error=oidc/);
    await expect(page.getByRole('alert').filter({ hasText: 'could not be checked' })).toBeVisible();
  });
});
