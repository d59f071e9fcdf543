import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/**/*.test.ts'],
    // Starts one throwaway PostgreSQL 15 for the whole run; every database test also runs on PGlite.
    globalSetup: ['tests/setup/postgres.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // Test files in a worker share its module graph: importing the server's modules once per worker instead of
    // once per file saves about two minutes of the run. Files that change the environment call resetEnv().
    isolate: false,
    env: {
      NODE_ENV: 'test',
      // A fresh data key per run: nothing in the tests may depend on a particular key.
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      // The fuzz and bad-input suites send hundreds of requests on one token; the rate-limit tests install
      // limiters of their own.
      RATE_LIMIT_PER_MINUTE: '0',
      SIGNIN_ATTEMPTS_PER_MINUTE: '0',
    },
  },
});
