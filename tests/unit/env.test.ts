import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/server/env';

describe('environment validation', () => {
  it('defaults to the embedded database', () => {
    const e = parseEnv({});
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.PGLITE_DATA_DIR).toBe('.data/pglite');
    expect(e.DB_POOL_MAX).toBe(10);
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(parseEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('accepts postgres URLs', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://u:p@db:5432/x?sslmode=require' }).DATABASE_URL).toContain('db:5432');
    expect(parseEnv({ DATABASE_URL: 'postgresql://db/x' }).DATABASE_URL).toBe('postgresql://db/x');
  });

  it.each([
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DB_POOL_MAX: '0' }, 'DB_POOL_MAX'],
    [{ DB_POOL_MAX: 'many' }, 'DB_POOL_MAX'],
    [{ CRON_SECRET: 'short' }, 'CRON_SECRET'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  ])('refuses %o, naming %s', (source, name) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(new RegExp(`${name}:`));
  });
});
