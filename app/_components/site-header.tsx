import Link from 'next/link';
import { currentPrincipal } from '@/app/_lib/auth';
import { signOut } from '@/app/signin/actions';

export async function SiteHeader() {
  const principal = await currentPrincipal();
  return (
    <header className="site-header">
      <nav aria-label="Main">
        <Link href="/" className="brand">
          Overload
        </Link>
        {principal?.role === 'lifter' ? <Link href="/dashboard">Dashboard</Link> : null}
        {principal?.role === 'lifter' ? <Link href="/import">Import</Link> : null}
        {principal?.role === 'coach' ? <Link href="/coach">Athletes</Link> : null}
        {principal?.role === 'researcher' ? <Link href="/models">Models</Link> : null}
        {principal?.role === 'researcher' ? <Link href="/experiments">Experiments</Link> : null}
        {principal ? <Link href="/settings">Settings</Link> : null}
        <Link href="/docs">API</Link>
      </nav>
      {principal ? (
        <form action={signOut} className="who">
          <span className="muted small">{principal.userId}</span>
          <button type="submit" className="link-button">
            Sign out
          </button>
        </form>
      ) : (
        <Link href="/signin">Sign in</Link>
      )}
    </header>
  );
}
