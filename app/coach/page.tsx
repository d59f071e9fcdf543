import type { Metadata } from 'next';
import Link from 'next/link';
import { Refused } from '@/app/_components/refused';
import { requirePrincipal } from '@/app/_lib/auth';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { AthleteList } from './_components/athlete-list';

export const metadata: Metadata = { title: 'Athletes' };

export default async function CoachPage() {
  const principal = await requirePrincipal('/coach');
  if (principal.role !== 'coach') {
    return (
      <Refused title="Coaches only">
        The coach view is for coaches. You are signed in as a lifter: your own training is on{' '}
        <Link href="/dashboard">your dashboard</Link>.
      </Refused>
    );
  }
  await getQueryClient().prefetchQuery(trpc.coach.athletes.queryOptions());
  return (
    <HydrateClient>
      <main>
        <h1>Your athletes</h1>
        <AthleteList />
      </main>
    </HydrateClient>
  );
}
