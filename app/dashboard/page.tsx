import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { homeOf, requirePrincipal } from '@/app/_lib/auth';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { DashboardSkeleton } from './_components/dashboard-skeleton';
import { DashboardView } from './_components/dashboard-view';
import { type DashboardRange, parseDashboardRange } from './ranges';

export const metadata: Metadata = { title: 'Dashboard' };

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const range = parseDashboardRange(params.range);
  // Outside any Suspense boundary (there is deliberately no loading.tsx here): nothing has been streamed yet, so
  // a signed-out visit gets a real 307 to /signin, not a meta refresh inside a 200.
  const principal = await requirePrincipal(`/dashboard${params.range ? `?range=${range}` : ''}`);
  if (principal.role !== 'lifter') redirect(homeOf(principal.role));

  // Keyed by range: picking another range mounts a new boundary, so the skeleton shows while it loads.
  return (
    <Suspense key={range} fallback={<DashboardSkeleton />}>
      <DashboardData range={range} userId={principal.userId} />
    </Suspense>
  );
}

/** Prefetches what the first screen shows, so it paints with data; the client takes over from the cache. */
async function DashboardData({ range, userId }: { range: DashboardRange; userId: string }) {
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
      <DashboardView range={range} initialExercise={exercise ?? null} userId={userId} />
    </HydrateClient>
  );
}
