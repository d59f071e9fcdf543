'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { formatDate } from '@/app/_lib/format';
import { useTRPC } from '@/app/_trpc/client';

/** Who needs attention: plateaus, this week's modifier changes, and how long since the last session. */
export function AthleteList() {
  const trpc = useTRPC();
  const athletes = useQuery(trpc.coach.athletes.queryOptions());
  if (athletes.isPending) return <Skeleton label="athletes" height={160} />;
  if (athletes.isError) return <ErrorNotice what="your athletes" onRetry={() => athletes.refetch()} />;
  if (athletes.data.length === 0) {
    return (
      <EmptyState title="No athletes yet">Athletes appear here once they are linked to you as their coach.</EmptyState>
    );
  }
  return (
    <ul className="athletes" aria-label="Athletes">
      {athletes.data.map((a) => (
        <li key={a.id} className="card athlete" data-athlete={a.id}>
          <h2>
            <Link href={`/coach/athletes/${encodeURIComponent(a.id)}`}>{a.displayName ?? a.id}</Link>
          </h2>
          <p className="muted small">
            {a.id} · last session {a.lastSessionDate ? formatDate(a.lastSessionDate) : 'never'}
          </p>
          <ul className="flags">
            {a.plateaus.map((p) => (
              <li key={p.exercise} className="flag flag-warn">
                Plateau: {p.exercise}, {p.weeks} weeks
              </li>
            ))}
            {a.modifierChangesThisWeek.length > 0 ? (
              <li className="flag">
                {a.modifierChangesThisWeek.length} modifier change{a.modifierChangesThisWeek.length === 1 ? '' : 's'}{' '}
                this week
              </li>
            ) : null}
            {a.plateaus.length === 0 && a.modifierChangesThisWeek.length === 0 ? (
              <li className="flag flag-good">On track</li>
            ) : null}
          </ul>
        </li>
      ))}
    </ul>
  );
}
