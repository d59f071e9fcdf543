import type { Metadata } from 'next';
import Link from 'next/link';
import { Refused } from '@/app/_components/refused';
import { homeOf, requirePrincipal } from '@/app/_lib/auth';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { ExperimentsView } from './_components/experiments-view';

export const metadata: Metadata = { title: 'Experiments' };

export default async function ExperimentsPage() {
  const principal = await requirePrincipal('/experiments');
  if (principal.role !== 'researcher') {
    return (
      <Refused title="Researchers only">
        The experiments page is for researchers. Your own view is <Link href={homeOf(principal.role)}>here</Link>.
      </Refused>
    );
  }
  await getQueryClient().prefetchQuery(trpc.experiments.list.queryOptions());
  return (
    <HydrateClient>
      <ExperimentsView />
    </HydrateClient>
  );
}
