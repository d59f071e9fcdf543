import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/db/client';
import { openTestDatabase } from '../helpers/databases';
import { introspect, type SchemaShape } from '../helpers/introspect';

// The same migrations must build the same schema on the embedded PGlite (PostgreSQL 18 inside) and on the
// PostgreSQL 15 server, or code that passes on one could fail on the other.
describe('migrations build the same schema on PGlite and PostgreSQL', () => {
  let pglite: Database;
  let postgres: Database;
  let a: SchemaShape;
  let b: SchemaShape;

  beforeAll(async () => {
    [pglite, postgres] = await Promise.all([openTestDatabase('pglite'), openTestDatabase('postgres')]);
    [a, b] = await Promise.all([introspect(pglite.db), introspect(postgres.db)]);
  });
  afterAll(async () => {
    await Promise.all([pglite?.close(), postgres?.close()]);
  });

  it('creates every table of the schema', () => {
    expect(a.tables).toEqual(
      expect.arrayContaining([
        'profiles',
        'profile_versions',
        'sessions',
        'sets',
        'recommendations',
        'feedback_events',
        'users',
        'coach_athletes',
        'api_tokens',
        'instrument_events',
        'adaptive_modifiers',
        'job_runs',
        'idempotency_keys',
      ]),
    );
    expect(b.tables).toEqual(a.tables);
  });

  it('has the same columns, types, nullability, defaults and generated expressions', () => {
    expect(b.columns).toEqual(a.columns);
  });

  it('has the same primary keys, unique, foreign-key and check constraints', () => {
    expect(b.constraints).toEqual(a.constraints);
  });

  it('has the same indexes', () => {
    expect(b.indexes).toEqual(a.indexes);
  });

  it('has the same triggers (the append-only modifier history)', () => {
    expect(b.triggers).toEqual(a.triggers);
    expect(a.triggers.map((t) => t.name)).toContain('adaptive_modifiers_no_update');
  });

  it('has the same enums with the same labels in the same order', () => {
    expect(b.enums).toEqual(a.enums);
    expect(a.enums.profile_source).toEqual(['user', 'auto']);
    expect(a.enums.feedback_ref_type).toEqual(['recommendation', 'session']);
    expect(a.enums.instrument_event_type).toEqual(['profile_snapshot', 'session_submitted', 'session_finished']);
  });
});
