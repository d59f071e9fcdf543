import type { Metadata } from 'next';
import Link from 'next/link';
import { requirePrincipal } from '@/app/_lib/auth';
import { getQueryClient, HydrateClient, trpc } from '@/app/_trpc/server';
import { canRead } from '@/server/auth/principal';
import { getDb } from '@/server/db';
import { modifierBounds } from '@/server/modifiers/bounds';
import { AthleteView } from '../../_components/athlete-view';
import { Refused } from '../../_components/coaches-only';

export const metadata: Metadata = { title: 'Athlete' };

export default async function AthletePage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const athleteId = decodeURIComponent(raw);
  const principal = await requirePrincipal(`/coach/athletes/${raw}`);
  if (principal.role !== 'coach' || !(await canRead(await getDb(), principal, athleteId))) {
    return (
      <Refused title="Not your athlete">
        You can only review athletes you coach. <Link href="/coach">Back to your athletes</Link>.
      </Refused>
    );
  }
  const qc = getQueryClient();
  await Promise.all([
    qc.prefetchQuery(trpc.coach.modifierHistory.queryOptions({ athleteId })),
    qc.prefetchQuery(trpc.modifiers.current.queryOptions({ userId: athleteId })),
  ]);
  return (
    <HydrateClient>
      <AthleteView athleteId={athleteId} bounds={modifierBounds()} />
    </HydrateClient>
  );
}
