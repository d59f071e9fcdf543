import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { DomainError } from '@/server/errors';

/**
 * The app's own identity: a JWT its identity provider issued, verified with `jose` — the signature against the
 * provider's JWKS (`KeySet` below), `iss`, `aud`, `exp` and `nbf` with a small leeway, and only the asymmetric algorithms of
 * the allow-list (never `none`, never an HMAC keyed by a public key). A token typed as something else than an
 * access token or a plain JWT (`typ: id_token+jwt`, `logout+jwt`, … — RFC 8725 §3.11) is refused, and so is one
 * whose `azp` is not an allowed client when `authorizedParties` is set. The identity is `iss` and `sub`; the
 * configured claim names the account made for it the first time.
 */

export interface JwtConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** The claim holding the user id (`sub` by default). */
  userClaim?: string;
  algorithms?: readonly string[];
  /** Clients (`azp`) allowed to present tokens; unset: any. */
  authorizedParties?: readonly string[];
  /** Leeway on `exp` and `nbf`, seconds. */
  clockToleranceSeconds?: number;
  /** The least time between two fetches of the key set (JWKS_COOLDOWN_MS); doubled after each failure in a row. */
  jwksCooldownMs?: number;
  /** Milliseconds on a monotonic clock, for the cool-down (tests pass their own). */
  clock?: () => number;
}

export const DEFAULT_JWT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
const JWT_CLOCK_TOLERANCE_SECONDS = 30;
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_TIMEOUT_MS = 5_000;
const JWKS_MAX_BACKOFF_MS = 300_000;

/** The token is not one this service accepts: answered 401. The reason is for logs, not for the caller. */
export class InvalidJwtError extends Error {}

/** The provider's key set could not be fetched: answered 503 (the token may well be good). */
export class JwksUnavailableError extends DomainError {
  constructor(message: string) {
    super('unavailable', 'identity_provider_unavailable', message, undefined, { retryAfterSeconds: 5 });
  }
}

/**
 * The provider's key set, fetched and kept per URL: keys it holds verify at once; a token naming a key id it does
 * not hold fetches the set again — at most once per cool-down, success or failure, so a stream of tokens with
 * random key ids (or an unreachable provider) costs one fetch per cool-down, not one per token. The cool-down
 * doubles with each failure in a row (up to JWKS_MAX_BACKOFF_MS). A failed fetch keeps the last good keys.
 * During a cool-down an unknown key id is refused (401); with no keys ever fetched, the provider is unavailable
 * (503).
 */
class KeySet {
  private keys: JWTVerifyGetKey | undefined;
  private lastAttempt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private fetching: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly cooldownMs: number,
    private readonly clock: () => number,
  ) {}

  private coolingDown(): boolean {
    const wait = Math.min(this.cooldownMs * 2 ** this.failures, JWKS_MAX_BACKOFF_MS);
    return this.clock() - this.lastAttempt < wait;
  }

  private refresh(): Promise<void> {
    this.fetching ??= (async () => {
      this.lastAttempt = this.clock();
      try {
        const res = await fetch(this.url, { signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) });
        if (!res.ok) throw new Error(`the key set answered ${res.status}`);
        this.keys = createLocalJWKSet((await res.json()) as JSONWebKeySet);
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        throw new JwksUnavailableError(`the identity provider's keys could not be fetched: ${(err as Error).message}`);
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }

  /** jose's key resolver: this key set's key for the token's header. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    // A fetch in flight answers every token that arrived meanwhile (its failure is theirs too).
    if (this.fetching) await this.fetching.catch(() => {});
    if (this.keys) {
      try {
        return await this.keys(header, token);
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
        if (this.coolingDown()) throw new InvalidJwtError(`no key ${header.kid ?? '(none)'} in the provider's key set`);
      }
    } else if (this.coolingDown()) {
      throw new JwksUnavailableError("the identity provider's keys could not be fetched (waiting before trying again)");
    }
    await this.refresh();
    return this.keys!(header, token);
  };
}

const keySets = new Map<string, KeySet>();

function keySet(config: JwtConfig): KeySet {
  let set = keySets.get(config.jwksUrl);
  if (!set) {
    set = new KeySet(
      config.jwksUrl,
      config.jwksCooldownMs ?? JWKS_COOLDOWN_MS,
      config.clock ?? (() => performance.now()),
    );
    keySets.set(config.jwksUrl, set);
  }
  return set;
}

/** Three base64url parts: a JWT, as opposed to an opaque API token (`ovl_…`). */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

/** `typ` values of tokens meant for an API: a plain JWT or an access token (RFC 9068); none is fine too. */
const ACCESS_TYPES = new Set(['jwt', 'at+jwt', 'application/at+jwt']);

export interface VerifiedJwt {
  /** The provider's stable id of the person. */
  subject: string;
  /** What the configured claim says the user id is. */
  userId: string;
}

export async function verifyAppJwt(token: string, config: JwtConfig): Promise<VerifiedJwt> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keySet(config).getKey, {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: [...(config.algorithms ?? DEFAULT_JWT_ALGORITHMS)],
      clockTolerance: config.clockToleranceSeconds ?? JWT_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
    });
    if (protectedHeader.typ !== undefined && !ACCESS_TYPES.has(protectedHeader.typ.toLowerCase())) {
      throw new InvalidJwtError(`a token of type ${protectedHeader.typ} is not an access token`);
    }
    if (
      config.authorizedParties &&
      payload.azp !== undefined &&
      !config.authorizedParties.includes(String(payload.azp))
    ) {
      throw new InvalidJwtError(`azp ${String(payload.azp)} is not an authorized client`);
    }
    const userId = payload[config.userClaim ?? 'sub'];
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 200) {
      throw new InvalidJwtError(`the ${config.userClaim ?? 'sub'} claim is not a user id`);
    }
    return { subject: payload.sub!, userId };
  } catch (err) {
    if (err instanceof InvalidJwtError || err instanceof JwksUnavailableError) throw err;
    if (err instanceof errors.JOSEError) throw new InvalidJwtError(`${err.code}: ${err.message}`);
    throw err;
  }
}
