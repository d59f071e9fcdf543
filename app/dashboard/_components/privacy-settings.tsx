'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { formatDate } from '@/app/_lib/format';
import { useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';

/** Analytics sharing, said plainly, with the last answer and a way to change it. */
export function PrivacySettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const consent = useQuery(trpc.privacy.consent.queryOptions());
  const change = useMutation(
    trpc.privacy.setConsent.mutationOptions({
      onSuccess: () => refetchAfterWrite(queryClient, trpc.privacy.consent.queryKey()),
    }),
  );
  if (consent.isPending) return <Skeleton label="your privacy settings" height={72} />;
  if (consent.isError) return <ErrorNotice what="your privacy settings" onRetry={() => consent.refetch()} />;
  const on = consent.data.analytics;
  const last = consent.data.history[0];
  return (
    <div className="card stack" data-testid="privacy">
      <p>
        Sharing usage data for analytics is <strong data-testid="consent-state">{on ? 'on' : 'off'}</strong>.{' '}
        {on
          ? 'The app’s usage events are stored to improve recommendations; turning this off deletes them.'
          : 'Usage events from the app are dropped, not stored. Your training data and dashboard work either way.'}
        {last ? (
          <span className="muted small">
            {' '}
            Last changed {formatDate(last.at.slice(0, 10))} ({last.source}).
          </span>
        ) : null}
      </p>
      <div className="row">
        <button
          type="button"
          className={on ? 'secondary' : undefined}
          disabled={change.isPending}
          onClick={() => change.mutate({ analytics: !on })}
        >
          {change.isPending ? 'Saving…' : on ? 'Stop sharing and delete usage data' : 'Share usage data'}
        </button>
        {change.isError ? (
          <span role="alert" className="field-error">
            {change.error.message}
          </span>
        ) : null}
      </div>
    </div>
  );
}
