import { asc, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { rowsSelect } from '@/db/rows-select';
import { adaptiveModifiers, profiles, profileVersions, recommendations, users } from '@/db/schema';
import { ENVELOPE_PREFIX } from '@/server/privacy/encryption';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';

const TRICKY = `O'Brien "the" \\ back\nslash ☃ 🏋️`;

/** Rows through one JSON parameter must land exactly as a `values` list would put them. */
describeEachDatabase('rowsSelect: many rows as one parameter for insert … select', (ctx) => {
  beforeAll(async () => {
    await ctx.db.insert(users).values([{ id: 'a' }, { id: 'b' }]);
  });

  it('writes every type as values() does: text, enums, dates, numbers, nulls, encrypted text; defaults fill the rest', async () => {
    const row = (userId: string, weekStart: string, note: string | null) => ({
      userId,
      exercise: TRICKY,
      weekStart,
      multiplier: 1.0250000000000001,
      repDelta: -2,
      previousMultiplier: null,
      previousRepDelta: 0,
      successRate: 1 / 3,
      sampleSize: 7,
      reason: TRICKY,
      ruleVersion: 'po-overlay-2',
      policy: 'coach',
      source: 'coach' as const,
      decidedBy: 'coach-1',
      note,
    });
    await ctx.db.insert(adaptiveModifiers).values([row('a', '2025-03-03', TRICKY), row('a', '2025-03-10', null)]);
    const written = await ctx.db
      .insert(adaptiveModifiers)
      .select(rowsSelect(adaptiveModifiers, [row('b', '2025-03-03', TRICKY), row('b', '2025-03-10', null)]))
      .returning({ id: adaptiveModifiers.id });
    expect(written).toHaveLength(2);

    const read = async (userId: string) =>
      (
        await ctx.db
          .select()
          .from(adaptiveModifiers)
          .where(eq(adaptiveModifiers.userId, userId))
          .orderBy(asc(adaptiveModifiers.weekStart))
      ).map(({ id, createdAt, userId: _, ...r }) => ({
        ...r,
        idIsUuid: /^[0-9a-f-]{36}$/.test(id),
        recent: +createdAt > testNow().getTime() - 600_000,
      }));
    expect(await read('b')).toEqual(await read('a'));
    expect((await read('b'))[0]).toMatchObject({ exercise: TRICKY, note: TRICKY, idIsUuid: true, recent: true });
    const raw = await rows<{ note: string }>(
      ctx.db,
      sql`select note from adaptive_modifiers where user_id = 'b' and note is not null`,
    );
    expect(raw[0]!.note.startsWith(ENVELOPE_PREFIX)).toBe(true);
  });

  it('writes JSON columns as JSON, and encrypted JSON sealed', async () => {
    const payload = { weight: 81.5, reps: [5, 5, 3], nested: { quote: TRICKY } };
    await ctx.db
      .insert(recommendations)
      .select(rowsSelect(recommendations, [{ userId: 'a', id: 'rec-1', exercise: 'Squat', recPayload: payload }]));
    const [r] = await ctx.db.select().from(recommendations).where(eq(recommendations.userId, 'a'));
    expect(r).toMatchObject({ recPayload: payload, exercise: 'Squat', recSource: null });
    const [asJson] = await rows<{ n: number }>(
      ctx.db,
      sql`select (rec_payload -> 'reps' ->> 2)::int as n from recommendations`,
    );
    expect(asJson!.n).toBe(3);

    const [profile] = await ctx.db.insert(profiles).values({ userId: 'a' }).returning({ id: profiles.id });
    const snapshot = { weightKg: 81.5, goals: ['squat 140'], nested: { quote: TRICKY } };
    await ctx.db.insert(profileVersions).select(
      rowsSelect(profileVersions, [
        {
          userId: 'a',
          profileId: profile!.id,
          snapshotJson: snapshot,
          weightKg: 81.5,
          effectiveDate: '2025-03-04',
          source: 'user',
        },
      ]),
    );
    const [v] = await ctx.db.select().from(profileVersions).where(eq(profileVersions.userId, 'a'));
    expect(v).toMatchObject({ snapshotJson: snapshot, weightKg: 81.5, effectiveDate: '2025-03-04', notes: null });
    const [raw] = await rows<{ s: string }>(ctx.db, sql`select snapshot_json as s from profile_versions`);
    expect(raw!.s.startsWith(ENVELOPE_PREFIX)).toBe(true);
  });

  it('refuses numbers JSON cannot carry, before writing anything', () => {
    expect(() =>
      rowsSelect(profileVersions, [
        { userId: 'a', profileId: 'x', snapshotJson: {}, effectiveDate: '2025-03-04', source: 'user' },
      ]),
    ).not.toThrow();
    const bad = { userId: 'a', exercise: 'Squat', weekStart: '2025-03-03', multiplier: Number.NaN, reason: 'r' };
    expect(() => rowsSelect(adaptiveModifiers, [{ ...bad, ruleVersion: 'x', policy: 'x', source: 'auto' }])).toThrow(
      /multiplier/,
    );
  });
});
