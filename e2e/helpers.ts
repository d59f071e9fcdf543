import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** One-click demo sign-in, landing on the role's home page. */
export async function signInAs(page: Page, who: 'lifter' | 'coach' | 'researcher') {
  await page.goto('/signin');
  await page.getByRole('button', { name: `Sign in as demo ${who}` }).click();
  await page.waitForURL({ lifter: '**/dashboard', coach: '**/coach', researcher: '**/models' }[who]);
}

/** No serious or critical axe violations: on the whole page, or on the parts named (CSS selectors). */
export async function expectAccessible(page: Page, parts: readonly string[] = []) {
  const builder = new AxeBuilder({ page });
  for (const part of parts) builder.include(part);
  const results = await builder.analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
