import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentPrincipal } from '@/app/_lib/auth';
import { demoAccountsAvailable } from '@/server/auth/web-sessions';
import { getDb } from '@/server/db';
import { signInDemo, signInWithToken } from './actions';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  token: 'That token was not recognised. Check it, or create one with npm run token:create -- --user <id>.',
  demo: 'The demo accounts are not available here.',
  throttled: 'Too many sign-in attempts from here. Wait a minute, then try again.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const principal = await currentPrincipal();
  if (principal) redirect(principal.role === 'coach' ? '/coach' : '/dashboard');
  const demo = await demoAccountsAvailable(await getDb());
  const error = params.error ? ERRORS[params.error] : undefined;

  return (
    <main className="narrow">
      <h1>Sign in</h1>
      {error ? (
        <p role="alert" className="notice notice-error">
          {error}
        </p>
      ) : null}
      <form action={signInWithToken} className="card stack">
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" required placeholder="ovl_…" />
        <input type="hidden" name="next" value={params.next ?? ''} />
        <button type="submit">Sign in with token</button>
        <p className="muted small">Your token is exchanged for a session cookie; it is not stored in the browser.</p>
      </form>
      {demo.lifter || demo.coach ? (
        <section className="card stack" aria-labelledby="demo-heading">
          <h2 id="demo-heading">Try the demo</h2>
          <div className="row">
            {demo.lifter ? (
              <form action={signInDemo}>
                <input type="hidden" name="who" value="lifter" />
                <button type="submit">Sign in as demo lifter</button>
              </form>
            ) : null}
            {demo.coach ? (
              <form action={signInDemo}>
                <input type="hidden" name="who" value="coach" />
                <button type="submit" className="secondary">
                  Sign in as demo coach
                </button>
              </form>
            ) : null}
          </div>
        </section>
      ) : null}
    </main>
  );
}
