import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentPrincipal, homeOf, safeNext } from '@/app/_lib/auth';
import { oidcSettings } from '@/server/auth/oidc';
import { demoAccountsAvailable } from '@/server/auth/web-sessions';
import { getDb } from '@/server/db';
import { signInDemo, signInWithToken } from './actions';

export const metadata: Metadata = { title: 'Sign in' };

const PERSONAS = ['lifter', 'coach', 'researcher'] as const;

const ERRORS: Record<string, string> = {
  token: 'That token was not recognised. Check it, or create one with npm run token:create -- --user <id>.',
  demo: 'The demo accounts are not available here.',
  throttled: 'Too many sign-in attempts from here. Wait a minute, then try again.',
  oidc: 'The identity provider’s answer could not be checked (it may have expired). Please sign in again.',
  oidc_unavailable: 'The identity provider cannot be reached right now. Try again shortly, or sign in with a token.',
  oidc_off: 'Signing in with an identity provider is not configured here.',
  oidc_unlinked:
    'Your account at the identity provider is not linked to an Overload account yet (or that account was deleted). An admin can link it; meanwhile, sign in with a token.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const principal = await currentPrincipal();
  if (principal) redirect(homeOf(principal.role));
  const demo = await demoAccountsAvailable(await getDb());
  const error = params.error ? ERRORS[params.error] : undefined;
  const provider = oidcSettings();

  return (
    <main className="narrow">
      <h1>Sign in</h1>
      {error ? (
        <p role="alert" className="notice notice-error">
          {error}
        </p>
      ) : null}
      {provider ? (
        <section className="card stack" aria-labelledby="provider-heading">
          <h2 id="provider-heading">Your account</h2>
          <a
            className="button"
            href={`/signin/oidc${params.next ? `?next=${encodeURIComponent(safeNext(params.next, '/'))}` : ''}`}
          >
            Sign in with {provider.name}
          </a>
        </section>
      ) : null}
      <form action={signInWithToken} className="card stack">
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" required placeholder="ovl_…" />
        <input type="hidden" name="next" value={params.next ?? ''} />
        <button type="submit">Sign in with token</button>
        <p className="muted small">Your token is exchanged for a session cookie; it is not stored in the browser.</p>
      </form>
      {PERSONAS.some((p) => demo[p]) ? (
        <section className="card stack" aria-labelledby="demo-heading">
          <h2 id="demo-heading">Try the demo</h2>
          <div className="row">
            {PERSONAS.filter((p) => demo[p]).map((persona, i) => (
              <form action={signInDemo} key={persona}>
                <input type="hidden" name="who" value={persona} />
                <button type="submit" className={i === 0 ? undefined : 'secondary'}>
                  Sign in as demo {persona}
                </button>
              </form>
            ))}
          </div>
        </section>
      ) : null}
    </main>
  );
}
