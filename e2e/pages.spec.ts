import { mkdirSync } from 'node:fs';
import { type Cookie, expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers';

// Every page: readable on a phone without sideways scrolling, no serious accessibility violations, and a
// screenshot for reviewers (e2e/screenshots/, git-ignored).
const PAGES: {
  name: string;
  path: string;
  as?: 'lifter' | 'coach' | 'researcher';
  ready: string;
  /**
   * What axe reads, when not the whole page: the API reference repeats one article per endpoint and one section per
   * schema (thousands of nodes, 20 s a pass), so axe reads the frame, one of each, and the deepest schema.
   */
  axeParts?: string[];
}[] = [
  { name: 'home', path: '/', ready: 'h1' },
  { name: 'signin', path: '/signin', ready: 'h1' },
  {
    name: 'docs',
    path: '/docs',
    ready: '#schema-SetInput',
    axeParts: ['main > h1', 'main > p', 'nav[aria-label="Endpoints"]', '#createProfileVersion', '#schema-SetInput'],
  },
  { name: 'dashboard', path: '/dashboard', as: 'lifter', ready: '[data-testid="strength-chart"] .recharts-line-curve' },
  {
    name: 'dashboard-30d',
    path: '/dashboard?range=30d',
    as: 'lifter',
    ready: '[data-testid="weekly-chart"] .recharts-bar-rectangle',
  },
  { name: 'import', path: '/import', as: 'lifter', ready: '[data-loaded="true"]' },
  { name: 'coach', path: '/coach', as: 'coach', ready: '[data-athlete]' },
  {
    name: 'coach-athlete',
    path: '/coach/athletes/user-123',
    as: 'coach',
    ready: '[data-testid="modifier-chart"] .recharts-line-curve',
  },
  { name: 'models', path: '/models', as: 'researcher', ready: '[data-testid="model-1"] .recharts-line-curve' },
  { name: 'experiments', path: '/experiments', as: 'researcher', ready: '[data-testid="experiment-model-vs-rules"]' },
  {
    name: 'experiment-report',
    path: '/experiments/model-vs-rules',
    as: 'researcher',
    ready: '[data-testid="primary-chart"] .recharts-line-curve',
  },
];

mkdirSync('e2e/screenshots', { recursive: true });

// One sign-in per role for the whole file: each sign-in renders the role's home page, which the tests then leave.
const signedIn = new Map<string, Cookie[]>();
test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  for (const who of ['lifter', 'coach', 'researcher'] as const) {
    const context = await browser.newContext();
    await signInAs(await context.newPage(), who);
    signedIn.set(who, await context.cookies());
    await context.close();
  }
});

for (const viewport of [
  { label: 'desktop', width: 1280, height: 900 },
  { label: 'mobile', width: 390, height: 844 },
]) {
  test.describe(`${viewport.label} ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });
    for (const p of PAGES) {
      test(`${p.name}: fits the screen, passes axe, screenshot`, async ({ page }) => {
        // Any Content-Security-Policy violation on the page is collected, and must not happen.
        await page.addInitScript(() => {
          const seen: string[] = [];
          (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
          document.addEventListener('securitypolicyviolation', (e) =>
            seen.push(`${e.violatedDirective} ${e.blockedURI}`),
          );
        });
        if (p.as) await page.context().addCookies(signedIn.get(p.as)!);
        await page.goto(p.path);
        await expect(page.locator(p.ready).first()).toBeVisible();
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, 'horizontal scroll').toBeLessThanOrEqual(0);
        await expectAccessible(page, p.axeParts);
        expect(
          await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
          'CSP violations',
        ).toEqual([]);
        await page.screenshot({ path: `e2e/screenshots/${viewport.label}-${p.name}.png`, fullPage: true });
      });
    }
  });
}
