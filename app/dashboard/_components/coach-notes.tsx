'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { formatDate } from '@/app/_lib/format';
import { useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';

/** Your coaches' notes on your sessions, newest first; you may delete any. */
export function CoachNotes() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const notes = useQuery(trpc.coaching.notes.queryOptions());
  const remove = useMutation(
    trpc.coaching.deleteNote.mutationOptions({
      onSuccess: () => refetchAfterWrite(queryClient, trpc.coaching.notes.queryKey()),
    }),
  );
  if (notes.isPending) return <Skeleton label="notes from your coach" height={48} />;
  if (notes.isError) return <ErrorNotice what="notes from your coach" onRetry={() => notes.refetch()} />;
  if (notes.data.length === 0) return <p className="muted">No notes from a coach yet.</p>;
  return (
    <>
      <ul className="coach-notes">
        {notes.data.map((n) => (
          <li key={n.id} className="card" data-testid="coach-note">
            <p className="small muted">
              {n.coachName ?? n.coachId} on your session of {formatDate(n.sessionDate)}
              {n.dayType ? ` (${n.dayType})` : ''}
            </p>
            <p>{n.note}</p>
            <button
              type="button"
              className="secondary"
              disabled={remove.isPending}
              onClick={() => remove.mutate({ id: n.sessionId, noteId: n.id })}
            >
              Delete note
            </button>
          </li>
        ))}
      </ul>
      {remove.isError ? (
        <p role="alert" className="field-error">
          {remove.error.message}
        </p>
      ) : null}
    </>
  );
}
