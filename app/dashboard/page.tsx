import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { requirePrincipal } from '@/app/_lib/auth';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { DashboardView } from './_components/dashboard-view';
import { parseDashboardRange } from './ranges';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const range = parseDashboardRange(params.range);
  const principal = await requirePrincipal(`/dashboard${params.range ? `?range=${range}` : ''}`);
  if (principal.role === 'coach') redirect('/coach');

  // Prefetch what the first screen shows, so it paints with data; the client takes over from the cache.
  const qc = getQueryClient();
  const [prs, plateaus] = await Promise.all([
    qc.fetchQuery(trpc.analytics.prs.queryOptions({ range })),
    qc.fetchQuery(trpc.analytics.plateaus.queryOptions({ range })),
    qc.prefetchQuery(trpc.analytics.weeklySummary.queryOptions({ range })),
    qc.prefetchQuery(trpc.modifiers.current.queryOptions({})),
  ]);
  const exercise = plateaus[0]?.exercise ?? prs[0]?.exercise;
  if (exercise) await qc.prefetchQuery(trpc.analytics.exerciseHistory.queryOptions({ range, exercise }));

  return (
    <HydrateClient>
      <DashboardView range={range} initialExercise={exercise ?? null} userId={principal.userId} />
    </HydrateClient>
  );
}
