/**
 * `npm run test:e2e`: Debian Chromium (installed when missing), a production build in its own folder, then
 * Playwright against it. Without arguments the specs run as two groups side by side — the page sweep (every page at
 * two widths, axe) and the flows — each against its own server and freshly seeded database on a free port, so
 * neither sees the other's writes. With arguments (`npm run test:e2e -- coach.spec.ts`), one run of those.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './lib/chromium';
import { freePort } from './lib/free-port';
import { nextBuild } from './lib/next-server';

const distDir = '.next-e2e';
/** The page sweep takes about as long as every other spec together. */
const PAGE_SWEEP = 'pages.spec.ts';

const chromium = ensureChromium();
console.log(`Building the production app into ${distDir} …`);
// `npm test` ran `tsc --noEmit` already; run alone, `npm run typecheck` is the check.
await nextBuild({ NEXT_DIST_DIR: distDir, NEXT_SKIP_TYPECHECK: '1' });

const args = process.argv.slice(2);
const groups: { label: string; args: string[] }[] = args.length
  ? [{ label: '', args }]
  : [
      { label: 'pages', args: [PAGE_SWEEP] },
      { label: 'flows', args: otherSpecs() },
    ];
const codes = await Promise.all(groups.map((g) => runGroup(g.label, g.args)));
const failed = codes.find((c) => c !== 0);
if (failed !== undefined) printFailedPages();
process.exit(failed ?? 0);

/** CI keeps only the log: each failed test's page as the accessibility tree saw it, so a flake can be read. */
function printFailedPages(): void {
  const contexts = readdirSync('test-results', { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('error-context.md'),
  );
  for (const file of contexts) {
    const text = readFileSync(join('test-results', file), 'utf8');
    const snapshot = text.slice(Math.max(0, text.indexOf('# Page snapshot'))).split('\n');
    console.log(`\n── ${file}\n${snapshot.slice(0, 120).join('\n')}`);
    if (snapshot.length > 120) console.log(`… ${snapshot.length - 120} more lines in the file`);
  }
}

/** Every spec file but the page sweep. */
function otherSpecs(): string[] {
  return readdirSync('e2e')
    .filter((f) => f.endsWith('.spec.ts') && f !== PAGE_SWEEP)
    .sort();
}

/** One Playwright run on its own port (its own server and database), its lines prefixed when run beside another. */
async function runGroup(label: string, playwrightArgs: string[]): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...playwrightArgs], {
    stdio: label ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: {
      ...process.env,
      E2E_PORT: String(port),
      NEXT_DIST_DIR: distDir,
      CHROMIUM_PATH: chromium,
      E2E_OUTPUT_DIR: label ? `test-results/${label}` : 'test-results',
    },
  });
  if (label) {
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        for (const line of lines) console.log(`[${label}] ${line}`);
      });
      stream.on('end', () => rest && console.log(`[${label}] ${rest}`));
    }
  }
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  // Playwright may kill the web server before it cleans up after itself.
  rmSync(`.data/e2e-${port}`, { recursive: true, force: true });
  rmSync(`.data/e2e-${port}.lock`, { force: true });
  rmSync(`.data/e2e-${port}.tokens.json`, { force: true });
  return code;
}
