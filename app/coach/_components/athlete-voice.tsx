'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { ScrollRegion } from '@/app/_components/scroll-region';
import { formatDate } from '@/app/_lib/format';
import { type Outputs, useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';
import { sessionNoteInput } from '@/server/contracts/session-notes';

type Voice = Outputs['coach']['athleteVoice'];
type Feedback = Voice['feedback'][number];

/** What the athlete said ("was this helpful?" and their notes), and their recent sessions with your notes on them. */
export function AthleteVoice({ athleteId }: { athleteId: string }) {
  const trpc = useTRPC();
  const voice = useQuery(trpc.coach.athleteVoice.queryOptions({ athleteId }));
  return (
    <section aria-labelledby="voice-heading">
      <h2 id="voice-heading">The athlete’s feedback</h2>
      {voice.isPending ? <Skeleton label="the athlete’s feedback" height={120} /> : null}
      {voice.isError ? <ErrorNotice what="the athlete’s feedback" onRetry={() => voice.refetch()} /> : null}
      {voice.data ? (
        <>
          {voice.data.feedback.length === 0 ? (
            <p className="muted">No feedback yet: the app asks “was this helpful?” after sessions.</p>
          ) : (
            <FeedbackTable feedback={voice.data.feedback} />
          )}
          <h3 id="sessions-heading">Recent sessions</h3>
          {voice.data.sessions.length === 0 ? (
            <EmptyState title="No sessions yet">Sessions appear here once the athlete logs them.</EmptyState>
          ) : (
            <ul className="session-notes" aria-labelledby="sessions-heading">
              {voice.data.sessions.map((s) => (
                <SessionItem
                  key={s.id}
                  athleteId={athleteId}
                  session={s}
                  feedback={voice.data.feedback.filter((f) => f.sessionId === s.id)}
                />
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}

function FeedbackTable({ feedback }: { feedback: Feedback[] }) {
  return (
    <ScrollRegion label="Feedback, scrollable">
      <table aria-label="Feedback" data-testid="feedback-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">About</th>
            <th scope="col">Helpful?</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {feedback.map((f) => (
            <tr key={f.id} data-helpful={f.helpful}>
              <td>{formatDate(f.at.slice(0, 10))}</td>
              <td className="small">{aboutOf(f)}</td>
              <td>{f.helpful ? 'Yes' : <span className="badge">No</span>}</td>
              <td className="small">{f.notes ? `“${f.notes}”` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function aboutOf(f: Feedback): string {
  const session = f.sessionDate ? `session of ${formatDate(f.sessionDate)}${f.dayType ? ` (${f.dayType})` : ''}` : null;
  if (f.on === 'recommendation') return `${f.exercise ?? 'a recommendation'}${session ? `, ${session}` : ''}`;
  return session ?? 'a deleted session';
}

function SessionItem({
  athleteId,
  session,
  feedback,
}: {
  athleteId: string;
  session: Voice['sessions'][number];
  feedback: Feedback[];
}) {
  const headingId = `session-${session.id}`;
  return (
    <li className="card" aria-labelledby={headingId} data-session={session.id}>
      <h4 id={headingId}>
        {formatDate(session.date)}
        {session.dayType ? ` · ${session.dayType}` : ''}
      </h4>
      <p className="muted small">{session.exercises.join(', ') || 'No sets'}</p>
      {feedback.map((f) => (
        <p key={f.id} className="small">
          Athlete: {f.helpful ? 'helpful' : 'not helpful'}
          {f.notes ? ` — “${f.notes}”` : ''}
        </p>
      ))}
      {session.notes.map((n) => (
        <p key={n.id} className="note small" data-testid="coach-note">
          You, {formatDate(n.createdAt.slice(0, 10))}: {n.note}
        </p>
      ))}
      <NoteForm athleteId={athleteId} sessionId={session.id} label={headingId} />
    </li>
  );
}

function NoteForm({ athleteId, sessionId, label }: { athleteId: string; sessionId: string; label: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const add = useMutation(
    trpc.coach.addSessionNote.mutationOptions({
      onSuccess: () => refetchAfterWrite(queryClient, trpc.coach.athleteVoice.queryKey()),
    }),
  );
  const fieldId = `note-${sessionId}`;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const parsed = sessionNoteInput.shape.note.safeParse(new FormData(form).get('note'));
    if (!parsed.success) {
      setError('Write a note of 1 to 2,000 characters.');
      return;
    }
    setError(null);
    add.mutate({ athleteId, sessionId, note: parsed.data }, { onSuccess: () => form.reset() });
  }

  return (
    <form onSubmit={submit} noValidate className="note-form" aria-labelledby={label}>
      <label htmlFor={fieldId}>Your note</label>
      <textarea
        id={fieldId}
        name="note"
        rows={2}
        maxLength={2000}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${fieldId}-error` : undefined}
      />
      {error ? (
        <span id={`${fieldId}-error`} className="field-error">
          {error}
        </span>
      ) : null}
      <div className="row">
        <button type="submit" disabled={add.isPending}>
          {add.isPending ? 'Saving…' : 'Add note'}
        </button>
        {add.isError ? (
          <span role="alert" className="field-error">
            {add.error.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
