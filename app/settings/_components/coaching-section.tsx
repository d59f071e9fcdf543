'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';
import { wallClock } from '@/server/time/clock';

const when = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 16).replace('T', ' ') : '—');

/** Coach links: accept an invitation, see and end links, read the audit log; coaches also invite. */
export function CoachingSection({ isCoach }: { isCoach: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const links = useQuery(trpc.coaching.links.queryOptions());
  const refresh = () => refetchAfterWrite(queryClient, trpc.coaching.pathKey());
  const accept = useMutation(trpc.coaching.accept.mutationOptions({ onSuccess: refresh }));
  const end = useMutation(trpc.coaching.end.mutationOptions({ onSuccess: refresh }));
  const [code, setCode] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate({ code }, { onSuccess: () => setCode('') });
  };

  return (
    <section aria-labelledby="coaching-heading" className="card stack">
      <h2 id="coaching-heading">Coaching</h2>
      <form onSubmit={submit} className="row" noValidate>
        <label>
          Invitation code from your coach
          <input
            name="invite-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder="ovi_…"
            aria-describedby={accept.isError ? 'invite-code-error' : undefined}
          />
        </label>
        <button type="submit" disabled={accept.isPending}>
          {accept.isPending ? 'Accepting…' : 'Accept invitation'}
        </button>
        {accept.isError ? (
          <span id="invite-code-error" role="alert" className="field-error">
            {accept.error.message}
          </span>
        ) : null}
        {accept.data ? (
          <span role="status" className="notice-inline">
            {accept.data.coachId} now coaches you.
          </span>
        ) : null}
      </form>

      {links.isPending ? (
        <Skeleton label="your coach links" height={72} />
      ) : links.isError ? (
        <ErrorNotice what="your coach links" onRetry={() => links.refetch()} />
      ) : (
        <div className="stack" data-testid="links">
          <h3>Your coaches</h3>
          {links.data.coaches.length === 0 ? (
            <EmptyState title="No coach">A coach reads your training once you accept their invitation.</EmptyState>
          ) : (
            <ul>
              {links.data.coaches.map((c) => (
                <li key={c} className="row">
                  {c}
                  <button type="button" className="secondary" onClick={() => end.mutate({ userId: c })}>
                    End coaching by {c}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {isCoach ? (
            <>
              <h3>Your athletes</h3>
              {links.data.athletes.length === 0 ? (
                <EmptyState title="No athletes yet">Invite one below.</EmptyState>
              ) : (
                <ul>
                  {links.data.athletes.map((a) => (
                    <li key={a} className="row">
                      {a}
                      <button type="button" className="secondary" onClick={() => end.mutate({ userId: a })}>
                        Stop coaching {a}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : null}
        </div>
      )}
      {isCoach ? <Invitations /> : null}

      <LinkLog />
    </section>
  );
}

function Invitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invites = useQuery(trpc.coaching.invites.queryOptions());
  const refresh = () => refetchAfterWrite(queryClient, trpc.coaching.invites.queryKey());
  const create = useMutation(trpc.coaching.invite.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.coaching.revokeInvite.mutationOptions({ onSuccess: refresh }));
  const status = (i: { acceptedBy: string | null; revokedAt: string | null; expiresAt: string }) =>
    i.acceptedBy
      ? `accepted by ${i.acceptedBy}`
      : i.revokedAt
        ? 'revoked'
        : new Date(i.expiresAt) <= wallClock()
          ? 'expired'
          : `open until ${when(i.expiresAt)}`;
  return (
    <div className="stack">
      <h3>Invitations</h3>
      <div className="row">
        <button type="button" disabled={create.isPending} onClick={() => create.mutate({ expiresInDays: 7 })}>
          {create.isPending ? 'Creating…' : 'Invite an athlete (valid 7 days)'}
        </button>
        {create.isError ? (
          <span role="alert" className="field-error">
            {create.error.message}
          </span>
        ) : null}
      </div>
      {create.data ? (
        <div className="notice notice-good" role="status" data-testid="new-invite">
          <p>Give this code to your athlete — it works once and is not shown again:</p>
          <code className="secret">{create.data.code}</code>
        </div>
      ) : null}
      {invites.isPending ? (
        <Skeleton label="your invitations" height={72} />
      ) : invites.isError ? (
        <ErrorNotice what="your invitations" onRetry={() => invites.refetch()} />
      ) : invites.data.length === 0 ? (
        <EmptyState title="No invitations">Create one to link an athlete.</EmptyState>
      ) : (
        <ul data-testid="invites">
          {invites.data.map((i) => (
            <li key={i.id} className="row">
              Created {when(i.createdAt)} — {status(i)}
              {!i.acceptedBy && !i.revokedAt ? (
                <button type="button" className="secondary" onClick={() => revoke.mutate({ id: i.id })}>
                  Revoke
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Every coach link made or ended with the person as the athlete: when, with whom, by whom, how. */
function LinkLog() {
  const trpc = useTRPC();
  const log = useQuery(trpc.coaching.log.queryOptions());
  return (
    <>
      <h3>Log of your coach links</h3>
      {log.isPending ? (
        <Skeleton label="the log" height={72} />
      ) : log.isError ? (
        <ErrorNotice what="the log" onRetry={() => log.refetch()} />
      ) : log.data.length === 0 ? (
        <EmptyState title="Nothing yet">Every coach link made or ended with you as the athlete shows here.</EmptyState>
      ) : (
        <ul data-testid="link-log">
          {log.data.map((e) => (
            <li key={`${e.at}-${e.coachId}-${e.action}`}>
              {when(e.at)}: {e.action === 'linked' ? 'linked to' : 'ended with'} <strong>{e.coachId}</strong> by{' '}
              {e.actorId} ({e.via})
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
