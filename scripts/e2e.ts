/**
 * `npm run test:e2e`: Debian Chromium (installed when missing), a production build in its own folder, then
 * Playwright against it on a free port.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ensureChromium } from './lib/chromium';
import { freePort } from './lib/free-port';
import { nextBuild } from './lib/next-server';

const distDir = '.next-e2e';
const chromium = ensureChromium();
console.log(`Building the production app into ${distDir} …`);
// `npm test` ran `tsc --noEmit` already; run alone, `npm run typecheck` is the check.
await nextBuild({ NEXT_DIST_DIR: distDir, NEXT_SKIP_TYPECHECK: '1' });
const port = await freePort();
const result = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, E2E_PORT: String(port), NEXT_DIST_DIR: distDir, CHROMIUM_PATH: chromium },
});
// Playwright may kill the web server before it cleans up after itself.
rmSync(`.data/e2e-${port}`, { recursive: true, force: true });
rmSync(`.data/e2e-${port}.lock`, { force: true });
rmSync(`.data/e2e-${port}.tokens.json`, { force: true });
process.exit(result.status ?? 1);
