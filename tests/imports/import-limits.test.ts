import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it, vi } from 'vitest';
import { importLocks, sets } from '@/db/schema';
import type { ImportLimits } from '@/server/imports/check-export';
import { IMPORT_LOCK_STALE_MS } from '@/server/imports/import-lock';
import { importExport } from '@/server/imports/imports';
import { call } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

/**
 * What one import may cost (issue 29): no file holds a transaction, memory or a core for long, and a lifter runs
 * one import at a time. Every refusal writes nothing.
 */
const STRONG = 'tests/fixtures/imports/strong/comma-12-columns-kg.csv';
const strongText = readFileSync(STRONG, 'utf8');
const header = strongText.split('\n')[0]!;
const dataLines = strongText.trim().split('\n').slice(1);
/** When the service calls below run: after every workout of the fixture. */
const NOW = new Date('2026-12-09T10:00:00Z');

const upload = (token: string, body: string, query: string) =>
  call('POST', `/api/v1/imports${query}`, { token, raw: body, headers: { 'content-type': 'text/csv' } });
const source = (text: string) => () => Readable.from([Buffer.from(text)]);
const ROOMY: ImportLimits = {
  rows: 1_000_000,
  skippedRows: 1_000_000,
  unreadableRows: 1_000_000,
  timeBudgetMs: 600_000,
};

describeEachDatabase('what one import may cost', (ctx) => {
  let lifter: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'lifter-l', { analyticsOptIn: true });
  });

  it("the probe's file — 5.24 M rows of ',,,' with skip_invalid — is refused at once, naming the cap", async () => {
    const before = await rowCounts(ctx.db);
    const body = `${header}\n${',,,\n'.repeat(5_240_000)}`;
    const res = await upload(lifter, body, '?unit=kg&skip_invalid=true');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('import_limit');
    expect(res.body.error.issues[0].path).toBe('unreadable rows');
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('a single 20 MB line is refused, naming its line, without reading it into memory', async () => {
    const before = await rowCounts(ctx.db);
    const res = await upload(lifter, `${header}\n${'x'.repeat(20 * 1024 * 1024 - header.length - 100)}`, '?unit=kg');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'import_limit', issues: [{ path: 'line 2' }] });
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it.each<[string, Partial<ImportLimits>, string]>([
    ['rows', { rows: 100 }, `${header}\n${dataLines.slice(0, 150).join('\n')}`],
    ['skipped rows', { skippedRows: 10 }, `${header}\n${dataLines[0]}\n${',,,,Rest Timer,,,,90,,,\n'.repeat(11)}`],
    ['unreadable rows', { unreadableRows: 10 }, `${header}\n${dataLines[0]}\n${',,,\n'.repeat(11)}`],
    ['time', { timeBudgetMs: 0 }, `${header}\n${dataLines.slice(0, 2000).join('\n')}`],
  ])(
    'past its %s limit: 422 naming it, nothing written, the lifter free to import again',
    async (cap, limits, text) => {
      const before = await rowCounts(ctx.db);
      const run = () =>
        importExport(ctx.db, 'lifter-l', source(text), {
          now: NOW,
          unit: 'kg',
          skipInvalid: true,
          limits: { ...ROOMY, ...limits },
        });
      await expect(run()).rejects.toMatchObject({
        kind: 'unprocessable',
        code: 'import_limit',
        issues: [{ path: cap }],
      });
      expect(await rowCounts(ctx.db)).toEqual(before);
      const fine = await importExport(ctx.db, 'lifter-l', source(`${header}\n${dataLines[0]}\n`), {
        now: NOW,
        unit: 'kg',
      });
      expect(fine.sets.new + fine.sets.duplicate).toBe(1);
    },
  );

  it('reads the whole file before a transaction opens', async () => {
    let firstPassDone = false;
    let opened = 0;
    const twoPasses = () => {
      const pass = ++opened;
      return Readable.from(
        (async function* () {
          yield Buffer.from(strongText);
          if (pass === 1) firstPassDone = true;
        })(),
      );
    };
    const seen: boolean[] = [];
    const original = ctx.db.transaction.bind(ctx.db);
    const transaction = vi.spyOn(ctx.db, 'transaction').mockImplementation(((...args: Parameters<typeof original>) => {
      seen.push(firstPassDone); // was the first pass read to its end when the transaction opened?
      return original(...args);
    }) as typeof original);
    try {
      await createUser(ctx.db, 'lifter-t');
      const report = await importExport(ctx.db, 'lifter-t', twoPasses, { now: NOW, unit: 'kg' });
      expect(report.sets.new).toBe(dataLines.length);
    } finally {
      transaction.mockRestore();
    }
    expect(opened).toBe(2);
    expect(seen).toEqual([true]);
  });

  it('one import at a time per lifter: 409 while another runs; a claim left by a dead process is taken over', async () => {
    const text = `${header}\n${dataLines.slice(0, 5).join('\n')}\n`;
    await ctx.db.insert(importLocks).values({ userId: 'lifter-l', holder: crypto.randomUUID(), claimedAt: testNow() });
    const before = await rowCounts(ctx.db);
    const busy = await upload(lifter, text, '?unit=kg');
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('import_in_progress');
    expect(await rowCounts(ctx.db)).toEqual(before);

    const stale = new Date(testNow().getTime() - IMPORT_LOCK_STALE_MS - 1000);
    await ctx.db.update(importLocks).set({ claimedAt: stale }).where(eq(importLocks.userId, 'lifter-l'));
    const taken = await upload(lifter, text, '?unit=kg');
    expect(taken.status).toBe(201);
    expect(await ctx.db.select().from(importLocks).where(eq(importLocks.userId, 'lifter-l'))).toEqual([]);
  });

  it('a note longer than the API allows (2,000 characters) is cut to it, with a warning on its line', async () => {
    await createUser(ctx.db, 'lifter-n');
    const cells = dataLines[0]!.split(',');
    cells[9] = 'n'.repeat(5000); // Notes
    const report = await importExport(ctx.db, 'lifter-n', source(`${header}\n${cells.join(',')}\n`), {
      now: NOW,
      unit: 'kg',
    });
    expect(report.sets.new).toBe(1);
    expect(report.warnings).toEqual([{ line: 2, message: 'the note was cut to 2000 characters (it had 5000)' }]);
    const [stored] = await ctx.db.select({ notes: sets.notes }).from(sets).where(eq(sets.userId, 'lifter-n'));
    expect(stored!.notes).toBe('n'.repeat(2000));
  });
});
