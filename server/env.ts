import { z } from 'zod';

/**
 * Environment, validated once. A bad value stops the process with a message naming the variable, instead of
 * a confusing failure on the first request.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** postgres://… selects PostgreSQL; unset selects the embedded PGlite database. */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  /** Where PGlite keeps its files; `memory://` for a throwaway in-memory database. */
  PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Shared secret Vercel cron sends as `Authorization: Bearer …`; cron routes refuse every call without it. */
  CRON_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** One-click "sign in as demo lifter / coach" on the sign-in page, offered only while the demo data exists. */
  DEMO_SIGNIN: z.enum(['on', 'off']).default('on'),
  /** Bounds of the adaptive load multiplier and of the rep adjustment. */
  MODIFIER_MIN: z.coerce.number().min(0.5).max(1).default(0.8),
  MODIFIER_MAX: z.coerce.number().min(1).max(2).default(1.25),
  MODIFIER_MIN_REP_DELTA: z.coerce.number().int().min(-10).max(0).default(-3),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset" (e.g. `DATABASE_URL= npm run dev`).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
