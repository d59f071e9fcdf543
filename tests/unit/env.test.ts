import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/server/env';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
/** Production needs its public origin. */
const PRODUCTION = { NODE_ENV: 'production', APP_ORIGIN: 'https://overload.example' };

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
    [{ DATABASE_URL: 'postgres://db/x?sslmode=sometimes' }, 'DATABASE_URL'],
    [{ DATA_ENCRYPTION_KEY: 'too-short' }, 'DATA_ENCRYPTION_KEY'],
    [{ DATA_ENCRYPTION_PREVIOUS_KEYS: `${KEY_A},nope` }, 'DATA_ENCRYPTION_PREVIOUS_KEYS.1'],
    [{ ...PRODUCTION, DATABASE_URL: 'postgres://db/x' }, 'DATA_ENCRYPTION_KEY'],
    [{ ...PRODUCTION, DATABASE_URL: 'postgres://db/x', DATA_ENCRYPTION_KEY: KEY_A }, 'PSEUDONYM_KEY'],
    [{ NODE_ENV: 'production' }, 'APP_ORIGIN'],
    [{ APP_ORIGIN: 'https://overload.example/dashboard' }, 'APP_ORIGIN'],
    [{ APP_ORIGIN: 'overload.example' }, 'APP_ORIGIN'],
    [{ TRUSTED_PROXY_HOPS: '-1' }, 'TRUSTED_PROXY_HOPS'],
    [{ RETENTION_INSTRUMENT_DAYS: '0' }, 'RETENTION_INSTRUMENT_DAYS'],
    [{ RETENTION_FEEDBACK_NOTES_DAYS: 'forever' }, 'RETENTION_FEEDBACK_NOTES_DAYS'],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ SIGNIN_ATTEMPTS_PER_MINUTE: '-1' }, 'SIGNIN_ATTEMPTS_PER_MINUTE'],
    [{ AUTH_ISSUER: 'https://id.example/' }, 'AUTH_JWKS_URL'],
    [{ AUTH_ISSUER: 'https://id.example/', AUTH_JWKS_URL: 'https://id.example/jwks' }, 'AUTH_AUDIENCE'],
    [{ AUTH_ISSUER: 'x', AUTH_AUDIENCE: 'a', AUTH_JWKS_URL: 'ftp://id.example/jwks' }, 'AUTH_JWKS_URL'],
    [{ AUTH_JWT_ALGORITHMS: 'RS256,HS256' }, 'AUTH_JWT_ALGORITHMS.1'],
    [{ AUTH_JWT_ALGORITHMS: 'none' }, 'AUTH_JWT_ALGORITHMS.0'],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL'],
    [{ RATE_LIMIT_ON_REDIS_FAILURE: 'maybe' }, 'RATE_LIMIT_ON_REDIS_FAILURE'],
  ])('refuses %o, naming %s', (source, name) => {
    expect(() => parseEnv(source)).toThrow(EnvError);
    expect(() => parseEnv(source)).toThrow(new RegExp(`${name}:`));
  });

  it('needs no key on the embedded default, even in production mode (a key file is generated)', () => {
    expect(parseEnv(PRODUCTION).DATA_ENCRYPTION_KEY).toBeUndefined();
    expect(parseEnv({}).DATA_ENCRYPTION_KEY_FILE).toBe('.data/encryption.keys');
  });

  it('reads the privacy and rate-limit settings with their defaults', () => {
    const e = parseEnv({ DATA_ENCRYPTION_PREVIOUS_KEYS: ` ${KEY_A} , ${KEY_B} ` });
    expect(e.DATA_ENCRYPTION_PREVIOUS_KEYS).toEqual([KEY_A, KEY_B]);
    expect([e.RETENTION_INSTRUMENT_DAYS, e.RETENTION_FEEDBACK_NOTES_DAYS, e.RETENTION_IDEMPOTENCY_DAYS]).toEqual([
      180, 365, 7,
    ]);
    expect([e.RATE_LIMIT_PER_MINUTE, e.SIGNIN_ATTEMPTS_PER_MINUTE]).toEqual([600, 10]);
  });

  it('reads the public origin as an origin (a trailing slash dropped); trusts no proxy by default', () => {
    expect(parseEnv({ ...PRODUCTION, APP_ORIGIN: 'https://overload.example/' }).APP_ORIGIN).toBe(
      'https://overload.example',
    );
    expect(parseEnv({}).APP_ORIGIN).toBeUndefined();
    expect(parseEnv({}).TRUSTED_PROXY_HOPS).toBe(0);
    // Building serves nothing: the origin is needed when the server starts, not by `next build`.
    expect(parseEnv({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' }).APP_ORIGIN).toBeUndefined();
  });

  it('offers demo sign-in by default everywhere but production, where it must be asked for', () => {
    expect(parseEnv({}).DEMO_SIGNIN).toBe('on');
    expect(parseEnv({ NODE_ENV: 'test' }).DEMO_SIGNIN).toBe('on');
    expect(parseEnv(PRODUCTION).DEMO_SIGNIN).toBe('off');
    expect(parseEnv({ ...PRODUCTION, DEMO_SIGNIN: 'on' }).DEMO_SIGNIN).toBe('on');
    expect(parseEnv({ DEMO_SIGNIN: 'off' }).DEMO_SIGNIN).toBe('off');
    expect(() => parseEnv({ DEMO_SIGNIN: 'yes' })).toThrow(/DEMO_SIGNIN/);
  });

  it('reads an identity provider: all three settings, sub and the asymmetric algorithms by default', () => {
    const e = parseEnv({
      AUTH_ISSUER: 'https://id.example/',
      AUTH_AUDIENCE: 'app',
      AUTH_JWKS_URL: 'https://id.example/j',
    });
    expect(e.AUTH_USER_CLAIM).toBe('sub');
    expect(e.AUTH_JWT_ALGORITHMS).toEqual(['RS256', 'PS256', 'ES256', 'EdDSA']);
    expect(parseEnv({}).AUTH_ISSUER).toBeUndefined();
    expect(parseEnv({ REDIS_URL: 'rediss://cache:6380' }).RATE_LIMIT_ON_REDIS_FAILURE).toBe('open');
  });

  it('bounds the database connect timeout (seconds)', () => {
    expect(parseEnv({}).DB_CONNECT_TIMEOUT_SECONDS).toBe(3);
    expect(parseEnv({ DB_CONNECT_TIMEOUT_SECONDS: '10' }).DB_CONNECT_TIMEOUT_SECONDS).toBe(10);
    expect(() => parseEnv({ DB_CONNECT_TIMEOUT_SECONDS: '0' })).toThrow(/DB_CONNECT_TIMEOUT_SECONDS/);
  });
});
