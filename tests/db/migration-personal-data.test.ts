import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { describe, expect, it } from 'vitest';
import { type Db, schema } from '@/db/client';
import { instrumentEvents, profiles, profileVersions } from '@/db/schema';
import '@/server/db';
import { ENVELOPE_PREFIX } from '@/server/privacy/encryption';
import { keyring } from '@/server/privacy/keyring';
import { resealAll } from '@/server/privacy/rotate-keys';
import { databaseBefore } from '../helpers/migrations';

// 0029 turns snapshots, payloads and the profile's health values into encrypted text. Rows written before stay
// readable as they were (plain JSON text) until the key rotation seals them.
describe('migration 0029 (personal data encrypted) on a database with profiles and events in it', () => {
  it('keeps every value readable through the app, the bodyweight in its column, and the rotation seals them', async () => {
    const { db: raw, upgrade, close } = await databaseBefore('0029_personal_data_encrypted');
    try {
      await raw.execute(sql`insert into users (id, analytics_opt_in) values ('old-lifter', true)`);
      await raw.execute(sql`insert into profiles (user_id, sex, age, current_weight_kg, height_cm)
                            values ('old-lifter', 'female', 41, 63.5, 168)`);
      await raw.execute(sql`insert into profile_versions (user_id, profile_id, snapshot_json, effective_date)
                            select 'old-lifter', id, '{"weightKg": 63.5, "goals": ["deadlift 120"]}', '2025-06-02'
                            from profiles`);
      await raw.execute(sql`insert into instrument_events (user_id, type, payload)
                            values ('old-lifter', 'session_finished', '{"calories": 2400}')`);

      await upgrade();

      const db = drizzle((raw as unknown as { $client: never }).$client, { schema }) as unknown as Db;
      const read = async () => ({
        profile: (await db.select().from(profiles).where(eq(profiles.userId, 'old-lifter')))[0],
        version: (await db.select().from(profileVersions))[0],
        event: (await db.select().from(instrumentEvents))[0],
      });
      const before = await read();
      expect(before.profile).toMatchObject({ sex: 'female', age: 41, currentWeightKg: 63.5, heightCm: 168 });
      expect(before.version).toMatchObject({
        snapshotJson: { weightKg: 63.5, goals: ['deadlift 120'] },
        weightKg: 63.5,
      });
      expect(before.event!.payload).toEqual({ calories: 2400 });

      // Six values in clear: four of the profile, the snapshot, the payload.
      expect((await resealAll(db, keyring())).resealed).toBe(6);
      const sealed = await (raw as unknown as Db).execute(
        sql`select snapshot_json as v from profile_versions union all select payload from instrument_events
            union all select sex from profiles union all select age from profiles`,
      );
      const values = ((sealed as unknown as { rows: { v: string }[] }).rows ?? []).map((r) => r.v);
      expect(values).toHaveLength(4);
      for (const v of values) expect(v.startsWith(ENVELOPE_PREFIX)).toBe(true);
      expect(await read()).toEqual(before);
    } finally {
      await close();
    }
  });
});
