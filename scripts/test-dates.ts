/**
 * `npm run test:dates [-- --all] [-- --at 'YYYY-MM-DD HH:MM:SS']`: the date-sensitive test files — every one
 * that reads the clock through tests/helpers/clock.ts — run once per instant below with the clock of the whole
 * run (vitest, its workers, PGlite, the throwaway PostgreSQL) set to it by Debian's libfaketime, then a table of
 * the results per instant. `--all` runs every test file instead (about 4 minutes per instant here).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDebianPackage } from './lib/debian-package';

/**
 * Instants in UTC, as libfaketime reads them. The weekdays ask about week arithmetic, which is the same on both
 * engines: they run on PGlite only (to keep the command under 10 minutes); the edges run on both.
 */
const INSTANTS: { at: string; why: string; databases?: 'pglite' }[] = [
  ...['07', '08', '09', '10', '11', '12', '13'].map((day) => ({
    at: `2026-12-${day} 12:00:00`,
    why: new Date(`2026-12-${day}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' }),
    databases: 'pglite' as const,
  })),
  { at: '2026-12-31 23:30:00', why: 'last half hour of 2026 (ISO week 53)' },
  { at: '2027-01-01 00:30:00', why: 'first half hour of 2027, still ISO week 53 of 2026' },
  { at: '2027-03-28 01:30:00', why: 'Europe just moved to summer time (last Sunday of March)' },
  { at: '2027-11-07 06:30:00', why: 'New York just moved back to standard time (first Sunday of November)' },
];

const root = path.resolve(import.meta.dirname, '..');
const CLOCK_HELPER = /from '(\.\.\/)+helpers\/clock'/;

/** Every test file that imports the suite's clock: the ones whose outcome could depend on today. */
function dateSensitiveFiles(): string[] {
  return readdirSync(path.join(root, 'tests'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((file) => CLOCK_HELPER.test(readFileSync(path.join(root, file), 'utf8')))
    .sort();
}

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

interface Outcome {
  at: string;
  why: string;
  engines: string;
  passed: number;
  failed: number;
  seconds: number;
  failures: string[];
  crashed?: string;
}

function runAt({ at, why, databases }: (typeof INSTANTS)[number], files: string[], dir: string): Outcome {
  const engines = databases ?? 'pglite, postgres';
  const report = path.join(dir, `${at.replace(/\D/g, '')}.json`);
  const started = performance.now();
  const run = spawnSync(
    'faketime',
    [
      '-f',
      `@${at}`,
      process.execPath,
      'node_modules/vitest/vitest.mjs',
      'run',
      '--reporter=dot',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...files,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      // Monotonic clocks stay real: timers and timeouts keep working while the date is faked.
      env: {
        ...process.env,
        TZ: 'UTC',
        FAKETIME_DONT_FAKE_MONOTONIC: '1',
        ...(databases ? { TEST_DATABASES: databases } : {}),
      },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const seconds = Math.round((performance.now() - started) / 1000);
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as VitestJson;
    const failures = json.testResults.flatMap((f) =>
      f.assertionResults
        .filter((a) => a.status === 'failed')
        .map((a) => `${path.relative(root, f.name)} > ${a.fullName}`),
    );
    return { at, why, engines, passed: json.numPassedTests, failed: json.numFailedTests, seconds, failures };
  } catch {
    const tail = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    return { at, why, engines, passed: 0, failed: 0, seconds, failures: [], crashed: tail || `exit ${run.status}` };
  }
}

const { values } = parseArgs({ options: { all: { type: 'boolean' }, at: { type: 'string', multiple: true } } });
ensureDebianPackage('/usr/bin/faketime', 'faketime');
const files = values.all ? [] : dateSensitiveFiles();
const instants: (typeof INSTANTS)[number][] = values.at ? values.at.map((at) => ({ at, why: 'chosen' })) : INSTANTS;
console.log(
  `${values.all ? 'Every test file' : `${files.length} date-sensitive test files`} at ${instants.length} instants:\n` +
    (values.all ? '' : files.map((f) => `  ${f}\n`).join('')),
);
const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-test-dates-'));
const outcomes: Outcome[] = [];
try {
  for (const [i, instant] of instants.entries()) {
    const engines = instant.databases ?? 'pglite, postgres';
    process.stdout.write(`[${i + 1}/${instants.length}] ${instant.at} UTC (${instant.why}; ${engines}) … `);
    const o = runAt(instant, files, dir);
    outcomes.push(o);
    console.log(o.crashed ? 'did not finish' : `${o.passed} passed, ${o.failed} failed, ${o.seconds} s`);
    for (const f of o.failures) console.log(`    failed: ${f}`);
    if (o.crashed) console.log(o.crashed.replace(/^/gm, '    '));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('\n| Instant (UTC) | | Engines | Passed | Failed | Seconds |\n| --- | --- | --- | ---: | ---: | ---: |');
for (const o of outcomes) {
  console.log(
    `| ${o.at} | ${o.why} | ${o.engines} | ${o.passed} | ${o.crashed ? 'did not finish' : o.failed} | ${o.seconds} |`,
  );
}
const green = outcomes.every((o) => !o.crashed && o.failed === 0 && o.passed > 0);
const total = outcomes.reduce((s, o) => s + o.seconds, 0);
console.log(`\n${green ? 'All green' : 'NOT green'} at ${outcomes.length} instants in ${total} s.`);
process.exit(green ? 0 : 1);
