import type { Metadata } from 'next';
import Link from 'next/link';
import { Refused } from '@/app/_components/refused';
import { homeOf, requirePrincipal } from '@/app/_lib/auth';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { experimentKey } from '@/server/contracts/experiments';
import { ReportView } from '../_components/report-view';

export const metadata: Metadata = { title: 'Experiment report' };

export default async function ExperimentPage({ params }: { params: Promise<{ key: string }> }) {
  const { key } = await params;
  const principal = await requirePrincipal(`/experiments/${encodeURIComponent(key)}`);
  if (principal.role !== 'researcher') {
    return (
      <Refused title="Researchers only">
        Experiment reports are for researchers. Your own view is <Link href={homeOf(principal.role)}>here</Link>.
      </Refused>
    );
  }
  if (!experimentKey.safeParse(key).success) {
    return (
      <Refused title="No such experiment">
        “{key}” is not an experiment key. See <Link href="/experiments">all experiments</Link>.
      </Refused>
    );
  }
  // Prefetched, but not awaited for the error case: the client shows not-found and failures itself.
  await getQueryClient()
    .prefetchQuery(trpc.experiments.report.queryOptions({ key }))
    .catch(() => undefined);
  return (
    <HydrateClient>
      <ReportView experimentKey={key} />
    </HydrateClient>
  );
}
