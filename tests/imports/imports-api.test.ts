import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { profiles, sessions, sets } from '@/db/schema';
import { call, get } from '../helpers/api';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

/**
 * POST/GET/DELETE /api/v1/imports on real exports (tests/fixtures/imports/README.md), on both databases. Every
 * expectation is computed from the file itself, read independently with csv-parse's synchronous API.
 */
const FIXTURES = 'tests/fixtures/imports';
const STRONG = `${FIXTURES}/strong/comma-12-columns-kg.csv`;
const HEVY = `${FIXTURES}/hevy/workouts-kg-multiline-notes.csv`;
const FITNOTES = `${FIXTURES}/fitnotes/export-kgs-commas-in-names.csv`;
const STRONG_2025 = `${FIXTURES}/strong/semicolon-quoted-weight-kg.csv`;
const LIFTOSAUR = `${FIXTURES}/liftosaur/history-from-hevy-workouts.csv`;
const LIFTOSAUR_MIXED = `${FIXTURES}/liftosaur/history-mixed-instant-forms.csv`;

const strongText = readFileSync(STRONG, 'utf8');
const strongRecords = parse(strongText, { columns: true, bom: true }) as Record<string, string>[];

const upload = (token: string, body: string | Uint8Array, query = '', type = 'text/csv') =>
  call('POST', `/api/v1/imports${query}`, { token, raw: body, headers: { 'content-type': type } });

/** Posts a form as the dashboard does: its fields as multipart/form-data (the boundary from the Fetch API). */
async function uploadForm(token: string, fields: Record<string, Blob | string>, query: string, fileName?: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, fileName);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return call('POST', `/api/v1/imports${query}`, {
    token,
    raw: new Uint8Array(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type')! },
  });
}

/** Sets of a user per lifter's exercise name: count and heaviest weight with at least one rep. */
async function storedSets(db: Parameters<typeof rows>[0], userId: string) {
  return rows<{ sent: string; exercise: string; n: number; heaviest: number | null }>(
    db,
    sql`select ${sets.sentExercise} as sent, ${sets.exercise} as exercise, count(*)::int as n,
               max(${sets.actualWeight}) filter (where ${sets.actualReps} >= 1 and ${sets.setType} <> 'warmup') as heaviest
        from ${sets} where ${sets.userId} = ${userId} group by 1, 2`,
  );
}

/** The file's heaviest weight per exercise (rows with ≥ 1 rep, warm-ups left out), under the lifter's names. */
function heaviestByLifterName(
  records: { name: string; kg: number; reps: number; warmup?: boolean }[],
  lifterName: Map<string, string>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) {
    if (r.reps < 1 || r.warmup || !(r.kg > 0)) continue;
    const name = lifterName.get(r.name)!;
    out[name] = Math.max(out[name] ?? 0, r.kg);
  }
  return out;
}

describeEachDatabase('importing a Strong export', (ctx) => {
  let lifter: string;
  let coach: string;
  let stranger: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'lifter-1', { analyticsOptIn: true });
    coach = await createUser(ctx.db, 'coach-1', { role: 'coach', coaches: ['lifter-1'] });
    stranger = await createUser(ctx.db, 'stranger-1');
    await ctx.db.insert(profiles).values({ userId: 'lifter-1', timeZone: 'Europe/Berlin' });
  });

  it('without a unit, when the file states none: 400 naming unit, nothing written', async () => {
    const before = await rowCounts(ctx.db);
    const res = await upload(lifter, strongText);
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([expect.objectContaining({ path: 'unit' })]);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('refuses other people: a coach or a stranger naming the lifter → 403; no token → 401; nothing written', async () => {
    const before = await rowCounts(ctx.db);
    expect((await upload(coach, strongText, '?unit=kg&user_id=lifter-1')).status).toBe(403);
    expect((await upload(stranger, strongText, '?unit=kg&user_id=lifter-1')).status).toBe(403);
    expect((await call('POST', '/api/v1/imports?unit=kg', { raw: strongText })).status).toBe(401);
    expect((await call('GET', '/api/v1/imports?user_id=lifter-1', { token: coach })).status).toBe(403);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('refuses what is not an export: JSON 415, a binary body 400, another app named in ?format 400', async () => {
    const before = await rowCounts(ctx.db);
    const json = await upload(lifter, '{"a":1}', '?unit=kg', 'application/json');
    expect(json.status).toBe(415);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const binary = await upload(lifter, png, '?unit=kg');
    expect(binary.status).toBe(400);
    expect(binary.body.error.code).toBe('unknown_format');
    const wrong = await upload(lifter, strongText, '?unit=kg&format=hevy');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues).toEqual([expect.objectContaining({ path: 'format' })]);
    const bad = await upload(lifter, strongText, '?unit=stone');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('unit');
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('past 20 MB → 413 (declared or counted), nothing written', async () => {
    const before = await rowCounts(ctx.db);
    const big = strongText + 'x'.repeat(20 * 1024 * 1024);
    expect((await upload(lifter, big, '?unit=kg')).status).toBe(413); // counted: the test request declares no length
    const declared = await call('POST', '/api/v1/imports?unit=kg', {
      token: lifter,
      raw: strongText,
      headers: { 'content-type': 'text/csv', 'content-length': String(30 * 1024 * 1024) },
    });
    expect(declared.status).toBe(413);
    const multipart = await uploadForm(lifter, { file: new Blob([big], { type: 'text/csv' }) }, '?unit=kg', 'big.csv');
    expect(multipart.status).toBe(413);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('all or nothing: unreadable rows → 422 listing their lines, nothing written; skip_invalid imports the rest', async () => {
    const lines = strongText.split('\n');
    // Line 3: a weight that is text; line 6: a date that does not exist.
    const cells3 = lines[2]!.split(',');
    cells3[5] = 'heavy';
    lines[2] = cells3.join(',');
    lines[5] = lines[5]!.replace(/^\d{4}-\d{2}-\d{2}/, '2022-02-30');
    const broken = lines.join('\n');
    const before = await rowCounts(ctx.db);
    const refused = await upload(lifter, broken, '?unit=kg');
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['line 3', 'line 6']);
    expect(refused.body.error.message).toContain('heavy');
    expect(await rowCounts(ctx.db)).toEqual(before);

    const res = await upload(lifter, broken, '?unit=kg&skip_invalid=true');
    expect(res.status).toBe(201);
    expect(res.body.sets).toEqual({ new: strongRecords.length - 2, duplicate: 0, skipped: 2 });
    expect(res.body.warnings.map((w: { line: number }) => w.line)).toEqual([3, 6]);
    expect(res.body.skipped_reasons).toEqual({ unreadable: 2 });
    const undo = await call('DELETE', `/api/v1/imports/${res.body.import_id}`, { token: lifter });
    expect(undo.status).toBe(200);
    expect(undo.body.sets_removed).toBe(strongRecords.length - 2);
  });

  it('lists at most 20 faulty lines (saying "at least"), keeps at most 200 warnings, counts every skipped row', async () => {
    const lines = strongText.split('\n');
    const bad = 250;
    for (let i = 1; i <= bad; i++) {
      const cells = lines[i]!.split(',');
      cells[5] = 'heavy';
      lines[i] = cells.join(',');
    }
    const broken = lines.join('\n');
    const before = await rowCounts(ctx.db);
    const refused = await upload(lifter, broken, '?unit=kg');
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toHaveLength(20);
    expect(refused.body.error.message).toContain('at least 20 row(s)');
    expect(await rowCounts(ctx.db)).toEqual(before);
    const res = await upload(lifter, broken, '?unit=kg&skip_invalid=true');
    expect(res.status).toBe(201);
    expect(res.body.sets).toEqual({ new: strongRecords.length - bad, duplicate: 0, skipped: bad });
    expect(res.body.skipped_reasons).toEqual({ unreadable: bad });
    expect(res.body.warnings).toHaveLength(200);
    expect((await call('DELETE', `/api/v1/imports/${res.body.import_id}`, { token: lifter })).status).toBe(200);
  });

  it('a CSV that breaks off (a quote never closed) → 422, nothing written', async () => {
    const before = await rowCounts(ctx.db);
    const res = await upload(
      lifter,
      `${strongText.trimEnd()}\n2023-01-01 10:00:00,"Push,1h,Bench Press (Barbell),1,50,5`,
      '?unit=kg',
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('malformed_csv');
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  let firstImport: string;
  let laterImport: string;
  const workouts = [...new Set(strongRecords.map((r) => r.Date!))];
  const earlierCount = strongRecords.filter((r) => workouts.indexOf(r.Date!) < workouts.length / 2).length;

  it('an earlier export (the first half of the workouts): one session per workout, local times in the lifter’s zone', async () => {
    const lines = strongText.split('\n');
    const earlier = lines.slice(0, 1 + earlierCount).join('\n');
    const res = await upload(lifter, earlier, '?unit=kg');
    expect(res.status).toBe(201);
    firstImport = res.body.import_id;
    expect(res.body).toMatchObject({
      format: 'strong',
      layout: 'strong, comma, 12 columns, no unit',
      sessions: Math.ceil(workouts.length / 2),
      sets: { new: earlierCount, duplicate: 0, skipped: 0 },
    });
    // 2022-07-28 20:14:20 in Berlin (summer time, UTC+2).
    const [first] = await ctx.db
      .select({ performedAt: sessions.performedAt, date: sessions.date, dayType: sessions.dayType })
      .from(sessions)
      .where(eq(sessions.userId, 'lifter-1'))
      .orderBy(sessions.performedAt)
      .limit(1);
    expect(first!.performedAt!.toISOString()).toBe('2022-07-28T18:14:20.000Z');
    expect(first!.date).toBe('2022-07-28');
    expect(first!.dayType).toBe(strongRecords[0]!['Workout Name']);
  });

  it('the later, complete export adds only what is new; the same file again adds nothing', async () => {
    const res = await upload(lifter, strongText, '?unit=kg');
    expect(res.status).toBe(201);
    laterImport = res.body.import_id;
    expect(res.body.sessions).toBe(workouts.length - Math.ceil(workouts.length / 2));
    expect(res.body.sets).toEqual({ new: strongRecords.length - earlierCount, duplicate: earlierCount, skipped: 0 });
    const again = await upload(lifter, strongText, '?unit=kg');
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ sessions: 0, sets: { new: 0, duplicate: strongRecords.length, skipped: 0 } });
    const { n } = (
      await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from ${sets} where ${sets.userId} = 'lifter-1'`)
    )[0]!;
    expect(n).toBe(strongRecords.length);
  });

  it('analytics show the history at once: every exercise’s PR is the file’s heaviest lift', async () => {
    const stored = await storedSets(ctx.db, 'lifter-1');
    const lifterName = new Map(stored.map((s) => [s.sent, s.exercise]));
    expect(lifterName.get('Bench Press (Barbell)')).toBe('Bench Press');
    const expected = heaviestByLifterName(
      strongRecords.map((r) => ({ name: r['Exercise Name']!, kg: Number(r.Weight), reps: Number(r.Reps) })),
      lifterName,
    );
    const res = await get('/api/v1/analytics?range=all', lifter);
    expect(res.status).toBe(200);
    expect(res.body.prs).toEqual(expected);
    expect(res.body.weekly_summary.reduce((n: number, w: { sets: number }) => n + w.sets, 0)).toBe(
      strongRecords.filter((r) => Number(r.Reps) >= 0).length,
    );
  });

  it('history lists both imports with their counts; undo removes exactly what each created', async () => {
    const list = await get('/api/v1/imports', lifter);
    expect(list.status).toBe(200);
    const ids = list.body.imports.map((i: { import_id: string }) => i.import_id);
    expect(ids.indexOf(laterImport)).toBeLessThan(ids.indexOf(firstImport)); // newest first
    expect(list.body.imports[ids.indexOf(laterImport)]).toMatchObject({
      format: 'strong',
      sessions: workouts.length - Math.ceil(workouts.length / 2),
      sets: { new: strongRecords.length - earlierCount, duplicate: earlierCount, skipped: 0 },
      undone_at: null,
    });

    const undoLater = await call('DELETE', `/api/v1/imports/${laterImport}`, { token: lifter });
    expect(undoLater.status).toBe(200);
    expect(undoLater.body.sets_removed).toBe(strongRecords.length - earlierCount);
    const left = await storedSets(ctx.db, 'lifter-1');
    expect(left.reduce((n, s) => n + s.n, 0)).toBe(earlierCount);
    // Analytics follow at once: the later workouts' PRs are gone.
    const lifterName = new Map(left.map((s) => [s.sent, s.exercise]));
    const earlierRecords = strongRecords.slice(0, earlierCount);
    const analytics = await get('/api/v1/analytics?range=all', lifter);
    expect(analytics.body.prs).toEqual(
      heaviestByLifterName(
        earlierRecords.map((r) => ({ name: r['Exercise Name']!, kg: Number(r.Weight), reps: Number(r.Reps) })),
        lifterName,
      ),
    );
    expect((await call('DELETE', `/api/v1/imports/${laterImport}`, { token: lifter })).status).toBe(404);
    expect((await call('DELETE', `/api/v1/imports/${firstImport}`, { token: stranger })).status).toBe(404);
    const undoFirst = await call('DELETE', `/api/v1/imports/${firstImport}`, { token: lifter });
    expect(undoFirst.body).toMatchObject({
      sets_removed: earlierCount,
      sessions_removed: Math.ceil(workouts.length / 2),
    });
    const remaining = await ctx.db.select().from(sessions).where(eq(sessions.userId, 'lifter-1'));
    expect(remaining).toEqual([]);
    expect((await get('/api/v1/analytics?range=all', lifter)).body.prs).toEqual({});
    const after = await get('/api/v1/imports', lifter);
    expect(after.body.imports.filter((i: { undone_at: string | null }) => i.undone_at === null)).toHaveLength(1);
  });

  it('a form upload (the dashboard’s) keeps the file name', async () => {
    const res = await uploadForm(
      lifter,
      { file: new Blob([strongText], { type: 'text/csv' }) },
      '?unit=lb',
      'strong.csv',
    );
    expect(res.status).toBe(201);
    expect(res.body.sets.new).toBe(strongRecords.length);
    const [heaviest] = await rows<{ w: number }>(
      ctx.db,
      sql`select max(${sets.actualWeight}) as w from ${sets} where ${sets.userId} = 'lifter-1' and ${sets.importId} = ${res.body.import_id}::uuid`,
    );
    const fileMax = Math.max(...strongRecords.map((r) => Number(r.Weight)));
    expect(heaviest!.w).toBe(Math.round(fileMax * 0.45359237 * 100) / 100);
    const list = await get('/api/v1/imports', lifter);
    expect(list.body.imports[0]).toMatchObject({ import_id: res.body.import_id, file_name: 'strong.csv' });
    const refused = await uploadForm(lifter, { other: 'x' }, '?unit=kg');
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0].path).toBe('file');
    await call('DELETE', `/api/v1/imports/${res.body.import_id}`, { token: lifter });
  });
});

describeEachDatabase('importing Hevy, FitNotes and Strong’s 2025 export side by side', (ctx) => {
  let lifter: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'lifter-2', { analyticsOptIn: true });
  });
  const hevy = parse(readFileSync(HEVY), { columns: true, bom: true }) as Record<string, string>[];
  // Rows with a weight or reps are sets, but not those past 100 reps (endurance work, skipped with a reason).
  const hevySets = hevy.filter((r) => (r.weight_kg !== '' || r.reps !== '') && Number(r.reps || 0) <= 100);
  const fitnotes = readFileSync(FITNOTES, 'utf8').trim().split('\n').slice(1);
  const strong2025 = parse(readFileSync(STRONG_2025), { columns: true, bom: true, delimiter: ';' }) as Record<
    string,
    string
  >[];

  it('Hevy: every set with its type, warm-ups out of PRs, notes encrypted at rest', async () => {
    const res = await upload(lifter, readFileSync(HEVY));
    expect(res.status).toBe(201);
    expect(res.body.format).toBe('hevy');
    expect(res.body.sets.new).toBe(hevySets.length);
    expect(res.body.sets.skipped).toBe(hevy.length - hevySets.length);
    expect(res.body.sessions).toBe(new Set(hevySets.map((r) => r.start_time)).size); // cardio-only workouts make none
    const types = await rows<{ t: string; n: number }>(
      ctx.db,
      sql`select ${sets.setType}::text as t, count(*)::int as n from ${sets} where ${sets.userId} = 'lifter-2' group by 1`,
    );
    const fileTypes: Record<string, number> = {};
    for (const r of hevySets) {
      const t = { warmup: 'warmup', dropset: 'drop', failure: 'failure' }[r.set_type!] ?? 'normal';
      fileTypes[t] = (fileTypes[t] ?? 0) + 1;
    }
    expect(Object.fromEntries(types.map((t) => [t.t, t.n]))).toEqual(fileTypes);

    const stored = await storedSets(ctx.db, 'lifter-2');
    const lifterName = new Map(stored.map((s) => [s.sent, s.exercise]));
    const analytics = await get('/api/v1/analytics?range=all', lifter);
    expect(analytics.body.prs).toEqual(
      heaviestByLifterName(
        hevySets.map((r) => ({
          name: r.exercise_title!,
          kg: Number(r.weight_kg),
          reps: Number(r.reps),
          warmup: r.set_type === 'warmup',
        })),
        lifterName,
      ),
    );
    const [note] = await rows<{ notes: string }>(
      ctx.db,
      sql`select notes from sets where user_id = 'lifter-2' and notes is not null limit 1`,
    );
    const noted = hevySets.filter((r) => r.exercise_notes !== '');
    if (noted.length > 0) {
      expect(note).toBeDefined();
      expect(noted.map((r) => r.exercise_notes)).not.toContain(note!.notes);
      const [read] = await ctx.db
        .select({ notes: sets.notes })
        .from(sets)
        .where(and(eq(sets.userId, 'lifter-2'), sql`${sets.notes} is not null`))
        .limit(1);
      expect(noted.map((r) => r.exercise_notes!.trim())).toContain(read!.notes);
    }
  });

  it('FitNotes: date-only workouts, identical rows kept as separate sets; no collision with Hevy', async () => {
    const res = await upload(lifter, readFileSync(FITNOTES));
    expect(res.status).toBe(201);
    expect(res.body.format).toBe('fitnotes');
    expect(res.body.sets.new + res.body.sets.skipped).toBe(fitnotes.length);
    expect(res.body.sessions).toBe(new Set(fitnotes.map((l) => l.slice(0, 10))).size);
    const dateOnly = await rows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from ${sessions} where user_id = 'lifter-2' and import_id = ${res.body.import_id}::uuid and performed_at is null`,
    );
    expect(dateOnly[0]!.n).toBe(res.body.sessions);
    const again = await upload(lifter, readFileSync(FITNOTES));
    expect(again.body.sets).toEqual({ new: 0, duplicate: res.body.sets.new, skipped: res.body.sets.skipped });
  });

  it('Strong 2025 (semicolons, Weight (kg) with float noise, WARM_UP/FAILURE): kg to 0.01, set types kept', async () => {
    const res = await upload(lifter, readFileSync(STRONG_2025));
    expect(res.status).toBe(201);
    expect(res.body.layout).toContain('semicolon');
    const lifted = strong2025.filter(
      (r) => (Number(r['Weight (kg)'] || 0) > 0 || Number(r.Reps || 0) > 0) && Number(r.Reps || 0) <= 100,
    );
    expect(res.body.sets.new).toBe(lifted.length);
    const warmups = lifted.filter((r) => r['Set Order'] === 'WARM_UP').length;
    const { n } = (
      await rows<{ n: number }>(
        ctx.db,
        sql`select count(*)::int as n from ${sets} where user_id = 'lifter-2' and import_id = ${res.body.import_id}::uuid and set_type = 'warmup'`,
      )
    )[0]!;
    expect(n).toBe(warmups);
    const { w } = (
      await rows<{ w: number }>(
        ctx.db,
        sql`select max(actual_weight) as w from ${sets} where user_id = 'lifter-2' and import_id = ${res.body.import_id}::uuid`,
      )
    )[0]!;
    expect(w).toBe(Math.round(Math.max(...lifted.map((r) => Number(r['Weight (kg)'] || 0))) * 100) / 100);
  });
});

describeEachDatabase('importing Liftosaur: the plan becomes the recommendation', (ctx) => {
  let lifter: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'lifter-3', { analyticsOptIn: true });
  });
  const records = parse(readFileSync(LIFTOSAUR), { columns: true }) as Record<string, string>[];
  const done = records.filter((r) => r['Completed Reps'] !== '');

  it('stores required as rec_*, completed as actual_*: the success rate over the file’s work sets', async () => {
    const res = await upload(lifter, readFileSync(LIFTOSAUR));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      format: 'liftosaur',
      sessions: new Set(done.map((r) => r['Workout DateTime'])).size,
      sets: { new: done.length, duplicate: 0, skipped: records.length - done.length },
      skipped_reasons: { 'planned, not done': records.length - done.length },
    });
    const work = done.filter((r) => r['Is Warmup Set?'] === '0');
    const met = work.filter(
      (r) =>
        Number(r['Completed Reps']) >= Number(r['Required Reps']) &&
        Number(r['Completed Weight Value']) >= Number(r['Required Weight Value']),
    ).length;
    const { sample, successes } = (
      await rows<{ sample: number; successes: number }>(
        ctx.db,
        sql`select count(*)::int as sample,
                   count(*) filter (where actual_reps >= rec_reps and actual_weight >= rec_weight)::int as successes
            from ${sets} where user_id = 'lifter-3' and rec_weight is not null and set_type <> 'warmup'`,
      )
    )[0]!;
    expect({ sample, successes }).toEqual({ sample: work.length, successes: met });
    // The start is an instant: stored as it is, whatever the lifter's zone.
    const starts = await ctx.db
      .select({ at: sessions.performedAt })
      .from(sessions)
      .where(eq(sessions.userId, 'lifter-3'));
    expect(new Set(starts.map((s) => s.at!.toISOString()))).toEqual(new Set(done.map((r) => r['Workout DateTime'])));
    // Liftosaur's "Lat Pulldown, Machine" style names meet the catalog.
    const names = await storedSets(ctx.db, 'lifter-3');
    const renamed = names.filter((n) => n.sent.includes(', ') && n.exercise !== n.sent);
    expect(renamed.length).toBeGreaterThan(0);
    for (const n of renamed) expect(n.exercise).not.toContain(',');
  });

  it('an export mixing both forms of start (any offset) is the same history: once new, then nothing new', async () => {
    const mixed = parse(readFileSync(LIFTOSAUR_MIXED), { columns: true }) as Record<string, string>[];
    expect(mixed.some((r) => / [+-]\d{2}:\d{2}$/.test(r['Workout DateTime']!))).toBe(true);
    const again = await upload(lifter, readFileSync(LIFTOSAUR_MIXED));
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body).toMatchObject({ sessions: 0, sets: { new: 0, duplicate: done.length } });

    const other = await createUser(ctx.db, 'lifter-3b', { analyticsOptIn: true });
    const alone = await upload(other, readFileSync(LIFTOSAUR_MIXED));
    expect(alone.status).toBe(201);
    expect(alone.body).toMatchObject({
      sessions: new Set(done.map((r) => r['Workout DateTime'])).size,
      sets: { new: done.length },
    });
    const starts = await ctx.db
      .select({ at: sessions.performedAt })
      .from(sessions)
      .where(eq(sessions.userId, 'lifter-3b'));
    expect(new Set(starts.map((s) => s.at!.toISOString()))).toEqual(new Set(done.map((r) => r['Workout DateTime'])));
    const idempotent = await upload(other, readFileSync(LIFTOSAUR_MIXED));
    expect(idempotent.body).toMatchObject({ sessions: 0, sets: { new: 0, duplicate: done.length } });
  });
});

/** Every real Strong layout, read independently: rows with weight or reps (≤ 100) are the sets. */
interface StrongLayout {
  file: string;
  delimiter: ',' | ';';
  unit?: 'kg' | 'lb';
  toKg: number;
  /** The columns' names in the file's language. */
  names: { exercise: string; order: string; weight: string; reps: string };
}
const ENGLISH = { exercise: 'Exercise Name', order: 'Set Order', reps: 'Reps' };
/** Set orders that mark rows that are not sets (rest timers, notes), as the files write them. */
const NOT_SET_ORDERS = /^(Rest Timer|Minuteur de repos|Note)$/;
const STRONG_LAYOUTS: StrongLayout[] = [
  {
    file: 'strong/comma-12-columns-kg.csv',
    delimiter: ',',
    unit: 'kg',
    toKg: 1,
    names: { ...ENGLISH, weight: 'Weight' },
  },
  {
    file: 'strong/semicolon-quoted-weight-kg.csv',
    delimiter: ';',
    toKg: 1,
    names: { ...ENGLISH, weight: 'Weight (kg)' },
  },
  {
    file: 'strong/semicolon-14-columns-weight-unit-lbs.csv',
    delimiter: ';',
    toKg: 0.45359237,
    names: { ...ENGLISH, weight: 'Weight' },
  },
  {
    file: 'strong/semicolon-12-columns-2019-no-rpe.csv',
    delimiter: ';',
    toKg: 0.45359237,
    names: { ...ENGLISH, weight: 'Weight' },
  },
  {
    file: 'strong/french-12-columns-no-unit.csv',
    delimiter: ',',
    unit: 'kg',
    toKg: 1,
    names: { exercise: "Nom de l'exercice", order: 'Ordre de la série', weight: 'Poids', reps: 'Réps' },
  },
];

describeEachDatabase('every real Strong layout, side by side in one account', (ctx) => {
  let lifter: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'lifter-4', { analyticsOptIn: true });
  });

  it.each(STRONG_LAYOUTS)(
    '$file: its sets, in kg, once; the heaviest lift and the e1RM trend’s best per exercise as in the file',
    async ({ file, delimiter, unit, toKg, names }) => {
      const path = `${FIXTURES}/${file}`;
      const records = parse(readFileSync(path), { columns: true, bom: true, delimiter }) as Record<string, string>[];
      const lifted = records.filter(
        (r) =>
          !NOT_SET_ORDERS.test(r[names.order]!) &&
          (Number(r[names.weight] || 0) > 0 || Number(r[names.reps] || 0) > 0) &&
          Number(r[names.reps] || 0) <= 100,
      );
      const res = await upload(lifter, readFileSync(path), unit ? `?unit=${unit}` : '');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.sets.new).toBe(lifted.length);
      const again = await upload(lifter, readFileSync(path), unit ? `?unit=${unit}` : '');
      expect(again.body.sets).toMatchObject({ new: 0, duplicate: lifted.length });

      // Heaviest weight lifted for at least one rep, and Epley over 1–12 reps, warm-ups aside, per exercise —
      // from the file, in kg to 0.01.
      const heaviest = new Map<string, number>();
      const best = new Map<string, number>();
      for (const r of lifted) {
        const reps = Number(r[names.reps]);
        const kg = Math.round(Number(r[names.weight] || 0) * toKg * 100) / 100;
        const name = r[names.exercise]!.trim();
        if (reps < 1 || !(kg > 0) || /^(W|WARM_UP)$/.test(r[names.order]!)) continue;
        heaviest.set(name, Math.max(heaviest.get(name) ?? 0, kg));
        if (reps <= 12) best.set(name, Math.max(best.get(name) ?? 0, kg * (1 + reps / 30)));
      }
      const stored = await rows<{ sent: string; heaviest: number | null; e: number | null }>(
        ctx.db,
        sql`select sent_exercise as sent,
                   max(actual_weight) filter (where actual_reps >= 1 and actual_weight > 0 and set_type <> 'warmup') as heaviest,
                   max(actual_weight * (1 + actual_reps::float8 / 30))
                 filter (where actual_reps between 1 and 12 and actual_weight > 0 and set_type <> 'warmup') as e
          from ${sets} where user_id = 'lifter-4' and import_id = ${res.body.import_id}::uuid group by 1`,
      );
      expect(Object.fromEntries(stored.filter((s) => s.heaviest !== null).map((s) => [s.sent, s.heaviest]))).toEqual(
        Object.fromEntries(heaviest),
      );
      for (const s of stored) {
        if (best.has(s.sent)) expect(s.e).toBeCloseTo(best.get(s.sent)!, 6);
      }
    },
  );

  it('a workout deleted after its import stays deleted when the export is imported again', async () => {
    const path = `${FIXTURES}/strong/semicolon-14-columns-weight-unit-lbs.csv`;
    const records = parse(readFileSync(path), { columns: true, delimiter: ';' }) as Record<string, string>[];
    const [session] = await ctx.db
      .select({ id: sessions.id, key: sessions.importKey })
      .from(sessions)
      .where(and(eq(sessions.userId, 'lifter-4'), eq(sessions.importKey, 'strong 2022-09-20T16:39:37')));
    const deleted = await call('DELETE', `/api/v1/sessions/${session!.id}`, {
      token: lifter,
      headers: { 'if-match': '*' },
    });
    expect(deleted.status).toBe(200);
    const ofIt = records.filter((r) => r.Date === '2022-09-20 16:39:37').length;
    expect(ofIt).toBeGreaterThan(0);
    const again = await upload(lifter, readFileSync(path));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      sessions: 0,
      sets: { new: 0, duplicate: records.length - ofIt, skipped: ofIt },
      skipped_reasons: { 'a workout you deleted after an earlier import': ofIt },
    });
    expect(again.body.warnings.map((w: { line: number }) => w.line)).toEqual(
      Array.from({ length: ofIt }, (_, i) => i + 2),
    );
    const left = await ctx.db.select().from(sessions).where(eq(sessions.importKey, session!.key!));
    expect(left).toEqual([]);
  });

  it('analytics over all of it: e1RM PRs are the best of every layout, plateaus name imported exercises', async () => {
    const all = await rows<{ exercise: string; e: number }>(
      ctx.db,
      sql`select exercise, max(actual_weight * (1 + actual_reps::float8 / 30)) as e from ${sets}
          where user_id = 'lifter-4' and actual_reps between 1 and 12 and actual_weight > 0 and set_type <> 'warmup'
          group by 1`,
    );
    const res = await get('/api/v1/analytics?range=all', lifter);
    expect(res.status).toBe(200);
    for (const { exercise, e } of all)
      expect(res.body.e1rm_prs[exercise].e1rm).toBeCloseTo(Math.round(e * 100) / 100, 1);
    const names = new Set(all.map((a) => a.exercise));
    for (const p of res.body.plateaus) expect(names.has(p.exercise)).toBe(true);
    expect(res.body.weekly_summary.length).toBeGreaterThan(52);
  });
});

describeEachDatabase('undoing an import whose workout a later import completed', (ctx) => {
  let lifter: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'lifter-6');
  });

  it('keeps that session with the later sets, owned by the later import; undoing that one removes it', async () => {
    const first = strongRecords[0]!.Date!;
    const second = strongRecords.find((r) => r.Date !== first)!.Date!;
    const inFirst = strongRecords.filter((r) => r.Date === first).length;
    const inSecond = strongRecords.filter((r) => r.Date === second).length;
    expect(inSecond).toBeGreaterThan(1);
    // An export taken in the middle of the second workout: all of the first, one set of the second.
    const cut = strongText
      .split('\n')
      .slice(0, 1 + inFirst + 1)
      .join('\n');
    const earlier = await upload(lifter, cut, '?unit=kg');
    const later = await upload(lifter, strongText, '?unit=kg');
    expect(later.body.sets).toMatchObject({ new: strongRecords.length - inFirst - 1, duplicate: inFirst + 1 });

    const undo = await call('DELETE', `/api/v1/imports/${earlier.body.import_id}`, { token: lifter });
    expect(undo.body).toMatchObject({ sets_removed: inFirst + 1, sessions_removed: 1 });
    const [kept] = await ctx.db
      .select({ id: sessions.id, importId: sessions.importId, version: sessions.version })
      .from(sessions)
      .where(and(eq(sessions.userId, 'lifter-6'), eq(sessions.importKey, `strong ${second.replace(' ', 'T')}`)));
    expect(kept!.importId).toBe(later.body.import_id);
    expect(await ctx.db.$count(sets, eq(sets.sessionId, kept!.id))).toBe(inSecond - 1);

    await call('DELETE', `/api/v1/imports/${later.body.import_id}`, { token: lifter });
    expect(await ctx.db.$count(sessions, eq(sessions.userId, 'lifter-6'))).toBe(0);
  });
});

describeEachDatabase('random files at the import endpoint', (ctx) => {
  let lifter: string;
  beforeAll(async () => {
    lifter = await createUser(ctx.db, 'lifter-5');
  });
  const header = strongText.split('\n')[0]!;

  it('never a 5xx; nothing written unless 201', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc
            .array(fc.array(fc.string({ maxLength: 12 }), { maxLength: 14 }), { maxLength: 6 })
            .map((rows) => `${header}\n${rows.map((r) => r.join(',')).join('\n')}`),
          fc.uint8Array({ maxLength: 200 }),
        ),
        async (body) => {
          const before = await rowCounts(ctx.db);
          const res = await upload(lifter, body, '?unit=kg&skip_invalid=true');
          expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
          if (res.status !== 201) {
            expect(res.body.error.code).toBeTypeOf('string');
            expect(await rowCounts(ctx.db)).toEqual(before);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the import endpoints in the API document', () => {
  it('document the file body and its errors', async () => {
    const { openApiDocument } = await import('@/server/contracts/openapi');
    const op = (openApiDocument() as any).paths['/api/v1/imports'].post;
    expect(Object.keys(op.requestBody.content)).toEqual(['text/csv', 'multipart/form-data']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '413', '415', '422']));
  });
});
