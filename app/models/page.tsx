import type { Metadata } from 'next';
import Link from 'next/link';
import { Refused } from '@/app/_components/refused';
import { homeOf, requirePrincipal } from '@/app/_lib/auth';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { ModelsView } from './_components/models-view';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage() {
  const principal = await requirePrincipal('/models');
  if (principal.role !== 'researcher') {
    return (
      <Refused title="Researchers only">
        The models page is for researchers. Your own view is <Link href={homeOf(principal.role)}>here</Link>.
      </Refused>
    );
  }
  await getQueryClient().prefetchQuery(trpc.models.list.queryOptions());
  return (
    <HydrateClient>
      <ModelsView />
    </HydrateClient>
  );
}
