import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { homeOf, requirePrincipal } from '@/app/_lib/auth';
import { ImportPanel } from './_components/import-panel';

export const metadata: Metadata = { title: 'Import history' };

export default async function ImportPage() {
  const principal = await requirePrincipal('/import');
  if (principal.role !== 'lifter') redirect(homeOf(principal.role));
  return (
    <main>
      <h1>Bring your history</h1>
      <p className="muted">
        Import the CSV export of Strong, Hevy, FitNotes or Liftosaur. Your PRs, trends and weekly summaries include it
        at once; importing the same file again, or a newer export, adds only what is new; each import can be undone.
      </p>
      <ImportPanel />
    </main>
  );
}
