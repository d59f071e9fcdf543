import type { Metadata } from 'next';
import { requirePrincipal } from '@/app/_lib/auth';
import { CoachingSection } from './_components/coaching-section';
import { TokensSection } from './_components/tokens-section';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const principal = await requirePrincipal('/settings');
  return (
    <main>
      <h1>Settings</h1>
      <p className="muted">
        Signed in as <strong>{principal.userId}</strong> ({principal.role}).
      </p>
      <TokensSection />
      <CoachingSection isCoach={principal.role === 'coach'} />
    </main>
  );
}
