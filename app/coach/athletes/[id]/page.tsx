import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Refused } from '@/app/_components/refused';
import { requirePrincipal } from '@/app/_lib/auth';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { modifierBounds } from '@/server/modifiers/bounds';
import { AthleteView } from '../../_components/athlete-view';

export const metadata: Metadata = { title: 'Athlete' };

export default async function AthletePage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const athleteId = decodeURIComponent(raw);
  await requirePrincipal(`/coach/athletes/${raw}`);
  const qc = getQueryClient();
  try {
    // The coach procedures decide who may see this athlete (the caller's coaching link); the page asks them.
    await Promise.all([
      qc.fetchQuery(trpc.coach.modifierHistory.queryOptions({ athleteId })),
      qc.fetchQuery(trpc.modifiers.current.queryOptions({ userId: athleteId })),
    ]);
  } catch (err) {
    if (!(err instanceof TRPCError) || (err.code !== 'FORBIDDEN' && err.code !== 'BAD_REQUEST')) throw err;
    return (
      <Refused title="Not your athlete">
        You can only review athletes you coach. <Link href="/coach">Back to your athletes</Link>.
      </Refused>
    );
  }
  return (
    <HydrateClient>
      <AthleteView athleteId={athleteId} bounds={modifierBounds()} />
    </HydrateClient>
  );
}
