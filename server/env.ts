import { z } from 'zod';
import { SSL_MODES } from '@/db/ssl';
import { DEFAULT_JWT_ALGORITHMS } from '@/server/auth/jwt';
import { parseKey } from '@/server/privacy/encryption';

/**
 * Environment, validated once. A bad value stops the process with a message naming the variable, instead of
 * a confusing failure on the first request.
 */
const dataKey = z.string().refine(
  (v) => {
    try {
      parseKey(v);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be 32 random bytes as base64 (44 characters) or hex (64); e.g. `openssl rand -base64 32`' },
);
const days = (fallback: number) => z.coerce.number().int().min(1).max(36_500).default(fallback);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** postgres://… selects PostgreSQL; unset selects the embedded PGlite database. */
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
      .refine(
        (v) => {
          if (!URL.canParse(v)) return true; // reported by the URL check above
          const mode = new URL(v).searchParams.get('sslmode');
          return mode === null || (SSL_MODES as readonly string[]).includes(mode);
        },
        `sslmode must be one of ${SSL_MODES.join(', ')}`,
      )
      .optional(),
    /** Where PGlite keeps its files; `memory://` for a throwaway in-memory database. */
    PGLITE_DATA_DIR: z.string().min(1).default('.data/pglite'),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /** Seconds to wait for a PostgreSQL connection before answering 503 `database_unavailable`. */
    DB_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(3),
    /**
     * The public origin people reach the dashboard at (`https://overload.example`): where the identity provider
     * sends them back, and the only origin a browser's change may come from. Required in production; elsewhere the
     * request's own Host is used. Never taken from X-Forwarded-Host, which any client can send.
     */
    APP_ORIGIN: z
      .url()
      .refine(
        (v) => !URL.canParse(v) || new URL(v).origin === v.replace(/\/$/, ''),
        'must be an origin, without a path',
      )
      .transform((v) => new URL(v).origin)
      .optional(),
    /**
     * Reverse proxies in front of the app that each append the address they received from to X-Forwarded-For: the
     * client's address (for throttling sign-in) is that many entries from the right. 0: X-Forwarded-For is not
     * trusted at all (a client can write anything there). On Vercel the platform's own header is used.
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** Set by Vercel on its deployments: its `x-real-ip` is the client's address. */
    VERCEL: z.string().optional(),
    /** Set by Next.js while it builds (`phase-production-build`): nothing is served then. */
    NEXT_PHASE: z.string().optional(),
    /** Shared secret Vercel cron sends as a bearer credential; cron routes refuse every call without it. */
    CRON_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    /**
     * One-click "sign in as demo lifter / coach", for the accounts the demo seeder created. Unset: on, except in
     * production, where a deployment must ask for it explicitly.
     */
    DEMO_SIGNIN: z.enum(['on', 'off']).optional(),
    /** Bounds of the adaptive load multiplier and of the rep adjustment. */
    MODIFIER_MIN: z.coerce.number().min(0.5).max(1).default(0.8),
    MODIFIER_MAX: z.coerce.number().min(1).max(2).default(1.25),
    MODIFIER_MIN_REP_DELTA: z.coerce.number().int().min(-10).max(0).default(-3),
    /** The modifier policy that serves lifters (server/modifiers/policies.ts): `rules`, `hold` or `model@<version>`. */
    MODIFIER_POLICY: z
      .string()
      .regex(/^(rules(\+deload)?(@[\w.-]+)?|hold|model@\d+)$/, 'must be rules, rules+deload, hold or model@<version>')
      .default('rules'),
    /** Policies that propose beside the serving one, stored but never served: `model@3,model@4`. */
    SHADOW_POLICIES: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(/^(rules(\+deload)?|hold|model@\d+)$/, 'must list rules, rules+deload, hold or model@<version>'),
        ),
      )
      .default([]),
    /** AES-256-GCM key for free text at rest (required with DATABASE_URL in production). */
    DATA_ENCRYPTION_KEY: dataKey.optional(),
    /** Older keys, comma-separated: values they sealed stay readable until `npm run keys:rotate` re-seals them. */
    DATA_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
      .pipe(z.array(dataKey))
      .default([]),
    /** Without DATA_ENCRYPTION_KEY: a generated key file beside the embedded data. */
    DATA_ENCRYPTION_KEY_FILE: z.string().min(1).default('.data/encryption.keys'),
    /** The secret behind the training export's pseudonyms (32 bytes, like a data key); required in production. */
    PSEUDONYM_KEY: dataKey.optional(),
    /** Without PSEUDONYM_KEY: a generated key file beside the embedded data. */
    PSEUDONYM_KEY_FILE: z.string().min(1).default('.data/pseudonym.key'),
    /** Retention, in days (docs/privacy-and-security.md). */
    RETENTION_INSTRUMENT_DAYS: days(180),
    RETENTION_FEEDBACK_NOTES_DAYS: days(365),
    RETENTION_IDEMPOTENCY_DAYS: days(7),
    /** Requests (REST) and calls (tRPC) per user and minute, whichever token or session they come through; 0: no limit. */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
    /** Sign-in attempts per client address and minute; 0: no limit. */
    SIGNIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(0).max(10_000).default(10),
    /** `on` (default): an instrument batch is answered once stored, like every other write; `off`: telemetry may
     * lose the last fraction of a second of acknowledged events on a database crash, for less database work. */
    INSTRUMENT_SYNCHRONOUS_COMMIT: z.enum(['on', 'off']).default('on'),
    /** Instrument statements in flight per process; requests arriving meanwhile are grouped into the next one. */
    INSTRUMENT_WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    /** How long a token's or session's lookup is remembered in the process (0: ask the database every time). */
    AUTH_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(15),
    /**
     * Redis shared by every instance (docs/scaling.md): rate limits counted once across instances, and revoked
     * tokens and users forgotten by every instance at once. Unset: each process counts and remembers on its own.
     */
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    /**
     * When Redis cannot be reached: `open` (default) counts limits in each process's memory meanwhile, as without
     * Redis; `closed` refuses limited requests with 503 `rate_limiter_unavailable` until it is back.
     */
    RATE_LIMIT_ON_REDIS_FAILURE: z.enum(['open', 'closed']).default('open'),
    /**
     * The app's identity provider (docs/identity.md). With all three set, its JWTs are accepted as bearer
     * credentials beside API tokens: issuer (`iss`), audience (`aud`) and where its public keys are.
     */
    AUTH_ISSUER: z.string().min(1).optional(),
    AUTH_AUDIENCE: z.string().min(1).optional(),
    AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /**
     * Sign-in for people through OpenID Connect (authorization code + PKCE, docs/identity.md): the provider's issuer
     * (discovered at `/.well-known/openid-configuration`; https, or http on loopback for local providers), this
     * app's client id and secret there, and the button's label.
     */
    OIDC_ISSUER: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .refine(
        (v) =>
          !URL.canParse(v) ||
          new URL(v).protocol === 'https:' ||
          /^(localhost|127\.0\.0\.1|\[::1\])$/.test(new URL(v).hostname),
        'must be https (http only on localhost)',
      )
      .optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).max(40).default('your identity provider'),
    /** Where the provider sends people back; default: `/signin/oidc/callback` on the host the request came to. */
    OIDC_REDIRECT_URI: z.url().optional(),
    /**
     * The claim naming the account made for an identity seen the first time; `sub` unless the provider puts an id
     * of the app's own elsewhere. Never a claim the person can change (a username, an email): the identity itself
     * is always `iss` + `sub`, and an existing account is never taken over by a claim that names it.
     */
    AUTH_USER_CLAIM: z.string().min(1).default('sub'),
    /** Clients (`azp`) allowed to present JWTs, comma-separated; unset: any client of the audience. */
    AUTH_AUTHORIZED_PARTIES: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      )
      .optional(),
    /** Accepted signature algorithms, comma-separated; asymmetric only. */
    AUTH_JWT_ALGORITHMS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']))
          .min(1),
      )
      .default([...DEFAULT_JWT_ALGORITHMS]),
  })
  .superRefine((e, ctx) => {
    if (e.NODE_ENV === 'production' && e.NEXT_PHASE !== 'phase-production-build' && !e.APP_ORIGIN) {
      ctx.addIssue({
        code: 'custom',
        path: ['APP_ORIGIN'],
        message: 'is required in production: the public origin of the dashboard, e.g. https://overload.example',
      });
    }
    if (Boolean(e.OIDC_ISSUER) !== Boolean(e.OIDC_CLIENT_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: [e.OIDC_ISSUER ? 'OIDC_CLIENT_ID' : 'OIDC_ISSUER'],
        message: 'is required with the other OIDC_ setting',
      });
    }
    const identity = [e.AUTH_ISSUER, e.AUTH_AUDIENCE, e.AUTH_JWKS_URL];
    if (identity.some(Boolean) && !identity.every(Boolean)) {
      for (const key of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL'] as const) {
        if (!e[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required with the other AUTH_ settings' });
      }
    }
    // A real deployment must bring its own key: a generated key file would live and die with one machine.
    if (e.NODE_ENV === 'production' && e.DATABASE_URL && !e.DATA_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATA_ENCRYPTION_KEY'],
        message: 'is required in production with DATABASE_URL',
      });
    }
    if (e.NODE_ENV === 'production' && e.DATABASE_URL && !e.PSEUDONYM_KEY) {
      ctx.addIssue({ code: 'custom', path: ['PSEUDONYM_KEY'], message: 'is required in production with DATABASE_URL' });
    }
  })
  .transform((e) => ({ ...e, DEMO_SIGNIN: e.DEMO_SIGNIN ?? (e.NODE_ENV === 'production' ? 'off' : 'on') }));

export type Env = z.output<typeof envSchema>;

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

/** Reads the environment again on next use (tests that change process.env). */
export function resetEnv(): void {
  cached = undefined;
}
