import { enforceRateLimit } from './rate-limit';

/**
 * A sign-in attempt (a token, a demo account, an identity provider's answer), throttled per client address
 * (`SIGNIN_ATTEMPTS_PER_MINUTE`, 429 `rate_limited`) before it is tried — whatever it tries, so guessing tokens
 * costs the guesser its budget.
 */
export async function throttledSignIn<T>(clientAddress: string, attempt: () => Promise<T>): Promise<T> {
  await enforceRateLimit(`signin:${clientAddress}`, 'signIn');
  return attempt();
}
