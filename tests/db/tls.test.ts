import { sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { openDatabase, rows } from '@/db/client';

/** The test server speaks TLS with a self-signed certificate; `sslmode` in the URL decides what we do. */
async function connectionUsesTls(url: string): Promise<boolean> {
  const database = await openDatabase({ databaseUrl: url, poolMax: 1 });
  try {
    const [row] = await rows<{ ssl: boolean }>(
      database.db,
      sql`select ssl from pg_stat_ssl where pid = pg_backend_pid()`,
    );
    return row!.ssl;
  } finally {
    await database.close();
  }
}

describe('encryption in transit to PostgreSQL', () => {
  const base = inject('postgresUrl');
  const ca = inject('postgresCaFile');
  const withParams = (params: string) => `${base}?${params}`;

  it('sslmode=require encrypts the connection', async () => {
    expect(await connectionUsesTls(withParams('sslmode=require'))).toBe(true);
  });

  it('sslmode=verify-full with the server’s CA encrypts and verifies', async () => {
    expect(await connectionUsesTls(withParams(`sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`))).toBe(true);
  });

  it('sslmode=verify-full refuses a certificate no trusted CA signed', async () => {
    const err = await connectionUsesTls(withParams('sslmode=verify-full')).then(
      () => null,
      (e: Error) => e,
    );
    // drizzle wraps the driver's error; the TLS failure is its cause.
    expect(String((err?.cause as Error | undefined)?.message ?? err?.message)).toMatch(/self.signed|certificate/i);
  });

  it('sslmode=disable stays plain (and so does a local URL without sslmode)', async () => {
    expect(await connectionUsesTls(withParams('sslmode=disable'))).toBe(false);
    expect(await connectionUsesTls(base)).toBe(false);
  });
});
