import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { type Db, rows } from '@/db/client';
import { policyNamed } from '@/server/modifiers/policies';
import { decrypt, ENVELOPE_PREFIX } from '@/server/privacy/encryption';
import { keyring } from '@/server/privacy/keyring';
import { type LifterRecord, writeLifters } from '@/server/simulation/bulk-write';
import { drawLifters } from '@/server/simulation/lifters';
import { writeThroughServices } from '@/server/simulation/services-write';
import { simulateLifter } from '@/server/simulation/world';
import { recordOf } from '@/server/simulation/write';
import { describeEachDatabase } from '../helpers/databases';

/** A lifter the simulator cannot produce: names the catalog does not know, spelled two ways, and a bare date. */
function oddLifter(): LifterRecord {
  const set = (exercise: string, n: number) => ({
    exercise,
    set_number: n,
    rec_weight: null,
    rec_reps: null,
    actual_weight: 40,
    actual_reps: 8,
    intensity: null,
    done: true,
  });
  return {
    userId: 'odd',
    profiles: [
      { effective_date: '2025-01-06', snapshot: { weightKg: 70, timeZone: 'Europe/Berlin' } },
      { effective_date: '2025-01-01', snapshot: { weightKg: 71, age: 30 } },
    ],
    sessions: [
      {
        date: '2025-01-06T23:30:00Z',
        day_type: null,
        finished: false,
        sets: [set('Landmine Thing', 1)],
        rec_meta: null,
      },
      {
        date: '2025-01-08',
        day_type: 'Legs',
        finished: true,
        sets: [set('landmine  thing', 1), set('Hack Machine X', 2), set('Back Squat', 3)],
        rec_meta: { rec_source: 'rules@po-overlay-2', note: 'x' },
      },
    ],
    feedback: [{ session: 1, helpful: false }],
    modifiers: [],
  };
}

const TABLES = [
  'users',
  'profiles',
  'profile_versions',
  'sessions',
  'sets',
  'exercise_aliases',
  'recommendations',
  'analytics_dirty_weeks',
  'feedback_events',
  'adaptive_modifiers',
];
/** Generated per row by the database or the clock: differ between any two writes. */
const GENERATED = new Set(['id', 'profile_id', 'created_at', 'updated_at', 'touched_at']);

/** Every row of the tables for one writer's lifters, with ids and clocks out and sessions named by their position. */
async function snapshot(db: Db, prefix: string) {
  const sessionIds = await rows<{ id: string; user_id: string; n: number }>(
    db,
    sql.raw(`select id::text, user_id, (row_number() over (partition by user_id order by performed_at, date))::int as n
             from sessions where user_id like '${prefix}%'`),
  );
  const named = new Map(sessionIds.map((s) => [s.id, `session ${s.user_id.slice(prefix.length)}#${s.n}`]));
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const column = table === 'users' ? 'id' : 'user_id';
    const found = await rows<Record<string, unknown>>(
      db,
      sql.raw(`select * from ${table} where ${column} like '${prefix}%'`),
    );
    out[table] = found
      .map((row) => {
        const kept = Object.entries(row).filter(([k]) => !GENERATED.has(k) || (table === 'users' && k === 'id'));
        return JSON.stringify(kept.map(([k, v]) => [k, normalise(v, prefix, named)]));
      })
      .sort();
  }
  return out;
}

function normalise(value: unknown, prefix: string, named: Map<string, string>): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'string') return value;
  // Sealed values differ by their random IVs: compare what they hold.
  if (value.startsWith(ENVELOPE_PREFIX)) return decrypt(value, keyring());
  if (named.has(value)) return named.get(value);
  if (value.startsWith('rec-') && named.has(value.slice(4))) return `rec-${named.get(value.slice(4))}`;
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

describeEachDatabase('simulated lifters written in bulk', (ctx) => {
  const lifters = [
    ...drawLifters(6, 13).map((l) =>
      recordOf(simulateLifter(l, { startWeek: '2025-01-06', weeks: 8, seed: 13, policy: policyNamed('rules') })),
    ),
    oddLifter(),
  ];
  const as = (prefix: string) => lifters.map((l) => ({ ...l, userId: `${prefix}${l.userId}` }));
  beforeAll(async () => {
    for (const l of as('svc-')) await writeThroughServices(ctx.db, l);
    await writeLifters(ctx.db, as('bulk-'));
  });

  it('stores exactly the rows the ingest services store, table by table', async () => {
    const [services, bulk] = [await snapshot(ctx.db, 'svc-'), await snapshot(ctx.db, 'bulk-')];
    for (const table of TABLES) expect(bulk[table], table).toEqual(services[table]);
    expect(services.sets!.length).toBeGreaterThan(200);
    expect(services.feedback_events!.length).toBeGreaterThan(0);
    expect(services.exercise_aliases!.length).toBe(2);
  });
});
