import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const FOLDERS = ['app', 'bench', 'db', 'e2e', 'scripts', 'server', 'tests'];
/** The wall clock is read here and nowhere else (server/time/clock.ts says why). */
const THE_CLOCK = 'server/time/clock.ts';
/** Tests read it through here only (tests/helpers/clock.ts says how). */
const THE_TEST_CLOCK = 'tests/helpers/clock.ts';

function sourceFiles(): string[] {
  return FOLDERS.flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|tsx|mts|mjs|cjs)$/.test(e.name) && !e.parentPath.includes('node_modules'))
      .map((e) => path.relative(root, path.join(e.parentPath, e.name))),
  );
}

/** Each place a text reads the current date: `new Date()`, `Date.now()`, `Date()`. */
function dateReads(text: string): string[] {
  return [...text.matchAll(/\bnew\s+Date\s*\(\s*\)|\bDate\s*\.\s*now\s*\(|(?<![.\w]\s*|new\s+)\bDate\s*\(\s*\)/g)].map(
    (m) => m[0],
  );
}

const isTest = (file: string) => file.startsWith('tests/') || file.startsWith('e2e/');

describe('one clock', () => {
  it('finds every way of reading the date, and not dates built from a value', () => {
    const text = ['new Date()', 'Date.now()', 'Date()', 'new Date ( )', 'Date . now ()'].join('; ');
    expect(dateReads(text)).toHaveLength(5);
    expect(dateReads("new Date('2026-12-07'); new Date(ms); performance.now(); x.toDate(); isDate()")).toEqual([]);
  });

  it(`reads the date only in ${THE_CLOCK}`, () => {
    const files = sourceFiles();
    expect(files).toContain(THE_CLOCK);
    const offending = files
      .filter((f) => f !== THE_CLOCK && f !== 'tests/unit/clock-reads.test.ts')
      .flatMap((f) => dateReads(readFileSync(path.join(root, f), 'utf8')).map((read) => `${f}: ${read}`));
    expect(offending).toEqual([]);
  });

  it(`tests take "now" from ${THE_TEST_CLOCK}, never from the server's clock directly`, () => {
    const offending = sourceFiles().filter(
      (f) =>
        isTest(f) &&
        ![THE_TEST_CLOCK, 'tests/unit/clock-reads.test.ts'].includes(f) &&
        /\bwallClock\b|server\/time\/clock/.test(readFileSync(path.join(root, f), 'utf8')),
    );
    expect(offending).toEqual([]);
  });
});
