import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

/**
 * The app's own identity: a JWT its identity provider issued, verified with `jose` — the signature against the
 * provider's JWKS (fetched once, fetched again when a token names a key it does not hold, at most every
 * JWKS_COOLDOWN_MS), `iss`, `aud`, `exp` and `nbf` with a small leeway, and only the asymmetric algorithms of
 * the allow-list (never `none`, never an HMAC keyed by a public key). The user id is `sub`, or the configured
 * claim.
 */

export interface JwtConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** The claim holding the user id (`sub` by default). */
  userClaim?: string;
  algorithms?: readonly string[];
  /** Leeway on `exp` and `nbf`, seconds. */
  clockToleranceSeconds?: number;
  /** The least time between two fetches of the key set (JWKS_COOLDOWN_MS). */
  jwksCooldownMs?: number;
}

export const DEFAULT_JWT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export const JWT_CLOCK_TOLERANCE_SECONDS = 30;
export const JWKS_COOLDOWN_MS = 30_000;
export const JWKS_TIMEOUT_MS = 5_000;

/** The token is not one this service accepts: answered 401. The reason is for logs, not for the caller. */
export class InvalidJwtError extends Error {}

/** The provider's key set could not be fetched: answered 503 (the token may well be good). */
export class JwksUnavailableError extends Error {}

const keySets = new Map<string, JWTVerifyGetKey>();

function keySet(url: string, cooldownMs = JWKS_COOLDOWN_MS): JWTVerifyGetKey {
  let set = keySets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { cooldownDuration: cooldownMs, timeoutDuration: JWKS_TIMEOUT_MS });
    keySets.set(url, set);
  }
  return set;
}

/** Three base64url parts: a JWT, as opposed to an opaque API token (`ovl_…`). */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

export async function verifyAppJwt(token: string, config: JwtConfig): Promise<{ userId: string }> {
  try {
    const { payload } = await jwtVerify(token, keySet(config.jwksUrl, config.jwksCooldownMs), {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: [...(config.algorithms ?? DEFAULT_JWT_ALGORITHMS)],
      clockTolerance: config.clockToleranceSeconds ?? JWT_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
    });
    const userId = payload[config.userClaim ?? 'sub'];
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 200) {
      throw new InvalidJwtError(`the ${config.userClaim ?? 'sub'} claim is not a user id`);
    }
    return { userId };
  } catch (err) {
    const unreachable =
      err instanceof errors.JWKSTimeout ||
      (err instanceof TypeError && /fetch/i.test(err.message)) ||
      (err instanceof errors.JOSEError && /Expected 200 OK/.test(err.message));
    if (unreachable) {
      throw new JwksUnavailableError(`the identity provider's keys could not be fetched: ${(err as Error).message}`);
    }
    if (err instanceof errors.JOSEError) throw new InvalidJwtError(`${err.code}: ${err.message}`);
    throw err;
  }
}
