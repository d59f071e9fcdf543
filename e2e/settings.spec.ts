import { expect, test } from '@playwright/test';
import { DEMO_COACH_ID } from '../server/demo/demo-data';
import { demoToken, NEW_LIFTER_ID } from './demo';
import { expectAccessible, signInAs } from './helpers';

test.describe('settings: tokens and coach links', () => {
  test('a lifter creates a token (shown once), it works, and revoking it refuses it at once', async ({
    page,
    request,
  }) => {
    await signInAs(page, 'lifter');
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const tokens = page.getByRole('region', { name: 'API tokens' });
    await tokens.getByRole('button', { name: 'Create token' }).click();
    await expect(tokens.locator('#token-name-error')).toContainText('Give the token a name');

    await tokens.getByLabel('Name').fill('e2e laptop');
    await tokens.getByLabel('Expires').selectOption('30');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const secret = (await tokens.getByTestId('new-token').locator('code').textContent())!;
    expect(secret).toMatch(/^ovl_/);
    const row = tokens.getByTestId('tokens').locator('tr', { hasText: 'e2e laptop' });
    await expect(row).toBeVisible();
    await expectAccessible(page);

    const auth = { authorization: `Bearer ${secret}` };
    expect((await request.get('/api/v1/sessions?limit=1', { headers: auth })).status()).toBe(200);
    await row.getByRole('button', { name: 'Revoke e2e laptop' }).click();
    await expect(row).toContainText('revoked');
    expect((await request.get('/api/v1/sessions?limit=1', { headers: auth })).status()).toBe(401);
  });

  test('a coach invites, a lifter accepts on the dashboard, the coach reads them, and the lifter ends it', async ({
    page,
    browser,
    request,
  }) => {
    await signInAs(page, 'coach');
    await page.goto('/settings');
    const coaching = page.getByRole('region', { name: 'Coaching' });
    await coaching.getByRole('button', { name: /Invite an athlete/ }).click();
    const code = (await coaching.getByTestId('new-invite').locator('code').textContent())!;
    expect(code).toMatch(/^ovi_/);
    await expect(coaching.getByTestId('invites')).toContainText('open until');

    const lifter = await browser.newContext();
    const lp = await lifter.newPage();
    await lp.goto('/signin?next=/settings');
    await lp.getByLabel('API token').fill(demoToken(NEW_LIFTER_ID));
    await lp.getByRole('button', { name: 'Sign in with token' }).click();
    await lp.waitForURL('**/settings');
    const mine = lp.getByRole('region', { name: 'Coaching' });
    await expect(mine.getByText('No coach')).toBeVisible();
    await mine.getByLabel('Invitation code from your coach').fill(code);
    await mine.getByRole('button', { name: 'Accept invitation' }).click();
    await expect(mine.getByRole('status')).toContainText(`${DEMO_COACH_ID} now coaches you`);
    await expect(mine.getByTestId('links')).toContainText(DEMO_COACH_ID);
    await expect(mine.getByTestId('link-log')).toContainText(`linked to ${DEMO_COACH_ID}`);
    await expectAccessible(lp);

    const asCoach = { authorization: `Bearer ${demoToken(DEMO_COACH_ID)}` };
    const url = `/api/v1/analytics?user_id=${NEW_LIFTER_ID}`;
    expect((await request.get(url, { headers: asCoach })).status()).toBe(200);

    // The code works once.
    await mine.getByLabel('Invitation code from your coach').fill(code);
    await mine.getByRole('button', { name: 'Accept invitation' }).click();
    await expect(mine.getByRole('alert')).toContainText('already used');

    await mine.getByRole('button', { name: `End coaching by ${DEMO_COACH_ID}` }).click();
    await expect(mine.getByTestId('link-log')).toContainText(`ended with ${DEMO_COACH_ID}`);
    await expect(mine.getByText('No coach')).toBeVisible();
    expect((await request.get(url, { headers: asCoach })).status()).toBe(403);
    await lifter.close();
  });
});
