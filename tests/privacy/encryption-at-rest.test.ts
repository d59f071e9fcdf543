import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { feedbackEvents, profileVersions, users } from '@/db/schema';
import type { Principal } from '@/server/auth/principal';
import { ENVELOPE_PREFIX, generateKey, makeKeyring, sealedWith } from '@/server/privacy/encryption';
import { keyring, setKeyring } from '@/server/privacy/keyring';
import { ENCRYPTED_COLUMNS, resealAll } from '@/server/privacy/rotate-keys';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { seedSession } from '../fixtures/seed-examples';
import { get, post } from '../helpers/api';
import { testNow, today } from '../helpers/clock';
import { databaseFiles } from '../helpers/database-files';
import { describeEachDatabase } from '../helpers/databases';
import { createUser } from '../helpers/fixtures';
import { dashboardCaller } from '../helpers/trpc';

const SECRETS = {
  profileNote: 'knee hurts after squats',
  feedbackNote: 'bench felt far too heavy',
  coachNote: 'sore lower back this week',
  name: 'Erika Mustermann',
  laterNote: 'written after the rotation',
  legacyNote: 'plain text from before encryption',
  goal: 'compete at nationals in spring',
  payloadNote: 'felt dizzy during the last set',
  legacyGoal: 'a snapshot from before encryption',
  deloadNote: 'deload before the meet in March',
};
/** What the snapshot holds besides its words: health data, sealed with it. */
const SNAPSHOT = { weightKg: 70, heightCm: 171.5, age: 34, sex: 'female', goals: [SECRETS.goal] };

describeEachDatabase('encryption at rest', (ctx) => {
  let token: string;
  let sessionId: string;
  beforeAll(async () => {
    token = await createUser(ctx.db, 'erika');
    await createUser(ctx.db, 'coach-e', { role: 'coach', coaches: ['erika'] });
    await ctx.db.update(users).set({ displayName: SECRETS.name }).where(eq(users.id, 'erika'));
    await post(
      '/api/v1/profile_versions',
      {
        user_id: 'erika',
        snapshot: SNAPSHOT,
        effective_date: '2025-11-24',
        source: 'user',
        notes: SECRETS.profileNote,
      },
      token,
    );
    sessionId = (await post('/api/v1/session', { ...seedSession, user_id: 'erika' }, token)).body.session_id;
    await ctx.db.update(users).set({ analyticsOptIn: true }).where(eq(users.id, 'erika'));
    const event = { type: 'session_finished', payload: { note: SECRETS.payloadNote } };
    expect((await post('/api/v1/instrument', { user_id: 'erika', ...event }, token)).body).toMatchObject({
      accepted: 1,
    });
    await post(
      '/api/v1/feedback',
      { user_id: 'erika', ref_type: 'session', ref_id: sessionId, helpful: false, notes: SECRETS.feedbackNote },
      token,
    );
    const coach: Principal = { userId: 'coach-e', role: 'coach' };
    const asCoach = dashboardCaller(ctx.db, coach, testNow());
    await asCoach.deloads.plan({
      user_id: 'erika',
      kind: 'deload',
      week_start: addDays(isoWeekStart(today()), 7),
      load_factor: 0.8,
      note: SECRETS.deloadNote,
    });
    await asCoach.coach.override({
      athleteId: 'erika',
      exercise: 'Incline Dumbbell Press',
      week: '2025-11-24',
      multiplier: 0.95,
      note: SECRETS.coachNote,
    });
  });
  afterAll(() => setKeyring(undefined));

  /** Every text-like value in every table, as the database holds it. */
  async function everythingStored(): Promise<string> {
    const columns = await rows<{ table_name: string; column_name: string }>(
      ctx.db,
      sql`select table_name, column_name from information_schema.columns
          where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json')`,
    );
    const values: string[] = [];
    for (const c of columns) {
      const found = await rows<{ v: string | null }>(
        ctx.db,
        sql`select ${sql.identifier(c.column_name)}::text as v from ${sql.identifier(c.table_name)}`,
      );
      values.push(...found.map((r) => r.v ?? ''));
    }
    return values.join('\n');
  }

  const rawValues = async () => {
    const out: { column: string; value: string }[] = [];
    for (const { table, column } of ENCRYPTED_COLUMNS) {
      const found = await rows<{ v: string }>(
        ctx.db,
        sql`select ${sql.identifier(column)} as v from ${sql.identifier(table)} where ${sql.identifier(column)} is not null`,
      );
      out.push(...found.map((r) => ({ column: `${table}.${column}`, value: r.v })));
    }
    return out;
  };

  it('finds the free-text columns in the schema', () => {
    expect(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort()).toEqual([
      'adaptive_modifiers.context',
      'adaptive_modifiers.note',
      'deload_plans.note',
      'feedback_events.notes',
      'imports.file_name',
      'instrument_events.payload',
      'profile_versions.notes',
      'profile_versions.snapshot_json',
      'profiles.age',
      'profiles.current_weight_kg',
      'profiles.height_cm',
      'profiles.sex',
      'session_notes.note',
      'sets.notes',
      'users.display_name',
    ]);
  });

  it('a raw SELECT of any column shows none of the plain text', async () => {
    const stored = await everythingStored();
    for (const secret of [
      SECRETS.profileNote,
      SECRETS.feedbackNote,
      SECRETS.coachNote,
      SECRETS.name,
      SECRETS.goal,
      SECRETS.payloadNote,
      SECRETS.deloadNote,
      'female',
      '171.5',
    ]) {
      expect(stored).not.toContain(secret);
    }
    const raw = await rawValues();
    expect(new Set(raw.map((r) => r.column))).toEqual(
      new Set([
        'users.display_name',
        'profile_versions.notes',
        'profile_versions.snapshot_json',
        'profiles.sex',
        'profiles.age',
        'profiles.current_weight_kg',
        'profiles.height_cm',
        'feedback_events.notes',
        'adaptive_modifiers.note',
        'deload_plans.note',
        'instrument_events.payload',
      ]),
    );
    for (const r of raw) expect(r.value.startsWith(`${ENVELOPE_PREFIX}${keyring().current.id}:`), r.column).toBe(true);
  });

  it('the API shows the plain text', async () => {
    const exported = await get('/api/v1/export', token);
    expect(exported.status).toBe(200);
    expect(exported.body.user.display_name).toBe(SECRETS.name);
    expect(exported.body.tables.profile_versions[0].notes).toBe(SECRETS.profileNote);
    expect(exported.body.tables.profile_versions[0].snapshot_json).toEqual(SNAPSHOT);
    // The bodyweight, which weekly analytics read in SQL, is kept beside the sealed snapshot.
    expect(exported.body.tables.profile_versions[0].weight_kg).toBe(70);
    expect(exported.body.tables.profiles[0]).toMatchObject({
      sex: 'female',
      age: 34,
      current_weight_kg: 70,
      height_cm: 171.5,
    });
    expect(exported.body.tables.instrument_events[0].payload).toEqual({ note: SECRETS.payloadNote });
    expect(exported.body.tables.feedback_events[0].notes).toBe(SECRETS.feedbackNote);
    expect(exported.body.tables.adaptive_modifiers[0].note).toBe(SECRETS.coachNote);
    const coach: Principal = { userId: 'coach-e', role: 'coach' };
    const history = await dashboardCaller(ctx.db, coach, testNow()).coach.modifierHistory({ athleteId: 'erika' });
    expect(history[0]!.note).toBe(SECRETS.coachNote);
    // The override's reason (which the lifter's app shows) says what changed, not the coach's words.
    expect(history[0]!.reason).toBe('coach override: ×1.000 → ×0.950');
  });

  it('after a key rotation, values sealed before and after both read, and all end up under the new key', async () => {
    const oldKey = keyring();
    // Values written before encryption was switched on (and as the migration leaves earlier snapshots).
    await ctx.db.execute(sql`update feedback_events set notes = ${SECRETS.legacyNote} where user_id = 'erika'`);
    const legacySnapshot = { weightKg: 69, goals: [SECRETS.legacyGoal] };
    await ctx.db.execute(
      sql`update profile_versions set snapshot_json = ${JSON.stringify(legacySnapshot)} where user_id = 'erika'`,
    );

    const newKey = generateKey();
    const rotated = { current: makeKeyring(newKey).current, previous: [oldKey.current] };
    setKeyring(rotated);
    await post(
      '/api/v1/profile_versions',
      {
        user_id: 'erika',
        snapshot: { weightKg: 71 },
        effective_date: '2025-12-01',
        source: 'user',
        notes: SECRETS.laterNote,
      },
      token,
    );
    const mixed = (await rawValues()).map((r) => sealedWith(r.value));
    expect(new Set(mixed)).toEqual(new Set([oldKey.current.id, rotated.current.id, null]));
    const stale = mixed.filter((id) => id !== rotated.current.id).length;
    // The plain snapshot reads as it was written.
    const before = await ctx.db.select({ s: profileVersions.snapshotJson }).from(profileVersions);
    expect(before.map((r) => r.s)).toContainEqual(legacySnapshot);

    const progress: number[] = [];
    const result = await resealAll(ctx.db, rotated, (done) => progress.push(done));
    expect(result.resealed).toBe(stale);
    expect(result.byColumn['profile_versions.snapshot_json']).toBe(1);
    expect(progress.at(-1)).toBe(stale);
    expect((await resealAll(ctx.db, rotated)).resealed).toBe(0);
    for (const r of await rawValues()) expect(sealedWith(r.value), r.column).toBe(rotated.current.id);

    // The old key can go now: everything reads with the new key alone.
    setKeyring(makeKeyring(newKey));
    const exported = (await get('/api/v1/export', token)).body;
    expect(exported.user.display_name).toBe(SECRETS.name);
    expect(exported.tables.profile_versions.map((v: { notes: string }) => v.notes).sort()).toEqual(
      [SECRETS.profileNote, SECRETS.laterNote].sort(),
    );
    expect(exported.tables.feedback_events[0].notes).toBe(SECRETS.legacyNote);
    expect((await ctx.db.select({ notes: feedbackEvents.notes }).from(feedbackEvents))[0]!.notes).toBe(
      SECRETS.legacyNote,
    );
    expect(exported.tables.profile_versions.map((v: { snapshot_json: unknown }) => v.snapshot_json)).toContainEqual(
      legacySnapshot,
    );
    const stored = await everythingStored();
    expect(stored).not.toContain(SECRETS.legacyNote);
    expect(stored).not.toContain(SECRETS.legacyGoal);
  });
});

describeEachDatabase('personal data in the database files', (ctx) => {
  const marker = `clear-${randomUUID()}`;
  const secrets = { goal: `goal-${randomUUID()}`, payload: `payload-${randomUUID()}`, sex: 'female' };

  beforeAll(async () => {
    const token = await createUser(ctx.db, 'dana');
    await ctx.db.update(users).set({ analyticsOptIn: true }).where(eq(users.id, 'dana'));
    const snapshot = { weightKg: 64, age: 41, sex: secrets.sex, goals: [secrets.goal] };
    const version = { user_id: 'dana', snapshot, effective_date: '2025-11-24', source: 'user' };
    expect((await post('/api/v1/profile_versions', version, token)).status).toBe(201);
    const event = { user_id: 'dana', type: 'session_finished', payload: { note: secrets.payload } };
    expect((await post('/api/v1/instrument', event, token)).body).toMatchObject({ accepted: 1 });
    // The control: a value stored in clear, written alongside.
    await createUser(ctx.db, marker);
  });

  it('holds no plain text of a snapshot or a payload, on disk and in the write-ahead log, after a checkpoint', async () => {
    const files = await databaseFiles(ctx);
    // The scan reads the table data this test wrote: the clear value is there.
    expect(files.includes(Buffer.from(marker))).toBe(true);
    expect(files.includes(Buffer.from(secrets.goal))).toBe(false);
    expect(files.includes(Buffer.from(secrets.payload))).toBe(false);
    // The snapshot's JSON, as it would sit in a jsonb or text column.
    expect(files.includes(Buffer.from(`"sex": "${secrets.sex}"`))).toBe(false);
    expect(files.includes(Buffer.from(`"sex":"${secrets.sex}"`))).toBe(false);
  });
});
