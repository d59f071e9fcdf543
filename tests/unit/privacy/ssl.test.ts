import { describe, expect, it } from 'vitest';
import { postgresConnection } from '@/db/ssl';
import { parseEnv } from '@/server/env';

describe('sslmode in DATABASE_URL', () => {
  it.each([
    ['postgres://u@db.example.com/x?sslmode=disable', false, 'disable', false],
    ['postgres://u@db.example.com/x?sslmode=prefer', false, 'prefer', 'prefer'],
    ['postgres://u@db.example.com/x?sslmode=allow', true, 'allow', 'prefer'],
    ['postgres://u@db.example.com/x?sslmode=require', false, 'require', 'require'],
    ['postgres://u@db.example.com/x?ssl=true', false, 'require', 'require'],
    ['postgres://u@db.example.com/x?ssl=false', true, 'disable', false],
    // Unset: secure by default in production when the database is elsewhere…
    ['postgres://u@db.example.com/x', true, 'verify-full', { rejectUnauthorized: true }],
    // …and plain on this machine or in development.
    ['postgres://u@127.0.0.1:5432/x', true, 'disable', false],
    ['postgres://u@localhost/x', true, 'disable', false],
    ['postgres://u@db.example.com/x', false, 'disable', false],
  ])('%s (production: %s) → %s', (url, production, mode, ssl) => {
    const c = postgresConnection(url, production);
    expect(c.mode).toBe(mode);
    expect(c.ssl).toEqual(ssl);
  });

  it('checks the certificate for verify-ca but not the host name; verify-full checks both', () => {
    const ca = postgresConnection('postgres://u@db/x?sslmode=verify-ca', false).ssl as {
      rejectUnauthorized: boolean;
      checkServerIdentity?: unknown;
    };
    expect(ca.rejectUnauthorized).toBe(true);
    expect(typeof ca.checkServerIdentity).toBe('function');
    const full = postgresConnection('postgres://u@db/x?sslmode=verify-full', false).ssl as Record<string, unknown>;
    expect(full).toEqual({ rejectUnauthorized: true });
  });

  it('keeps libpq-only parameters out of what the server sees', () => {
    const c = postgresConnection('postgres://u@db/x?sslmode=require&sslrootcert=system&application_name=ovl', false);
    expect(c.url).toBe('postgres://u@db/x?application_name=ovl');
  });

  it('refuses an unknown sslmode at start, naming DATABASE_URL', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgres://u@db/x?sslmode=always' })).toThrow(
      /DATABASE_URL: sslmode must be one of/,
    );
    expect(() => postgresConnection('postgres://u@db/x?sslmode=always', false)).toThrow(/sslmode/);
  });
});
