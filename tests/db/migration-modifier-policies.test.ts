import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '@/db/client';
import { databaseBefore } from '../helpers/migrations';

// 0010 names the policy of every modifier row: rows written before it were the rule's (by its version) or a coach's.
describe('migration 0010 (modifier policies) on a database with a modifier history', () => {
  it('names the policy of every existing row, and keeps the history append-only', async () => {
    const { db, upgrade, close } = await databaseBefore('0010_modifier_policies');
    try {
      await db.execute(sql`insert into users (id) values ('old-lifter')`);
      await db.execute(sql`insert into adaptive_modifiers (user_id, exercise, week_start, multiplier, reason, rule_version, source, decided_by)
        values ('old-lifter', 'Squat', '2025-11-17', 1.025, 'rule', 'po-overlay-1', 'auto', null),
               ('old-lifter', 'Squat', '2025-11-24', 0.95, 'override', 'po-overlay-1', 'coach', 'coach-1')`);

      await upgrade();

      const found = await rows<{ week_start: string; policy: string }>(
        db as never,
        sql`select week_start::text, policy from adaptive_modifiers order by week_start`,
      );
      expect(found).toEqual([
        { week_start: '2025-11-17', policy: 'rules@po-overlay-1' },
        { week_start: '2025-11-24', policy: 'coach' },
      ]);
      const refused = await db.execute(sql`update adaptive_modifiers set policy = 'hold'`).catch((e: Error) => e);
      expect(String((refused as Error & { cause?: Error }).cause?.message)).toMatch(/append-only/);
    } finally {
      await close();
    }
  });
});
