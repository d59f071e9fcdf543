'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';

const when = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 16).replace('T', ' ') : '—');

/** API tokens: create one (shown once), see when each was last used, revoke. */
export function TokensSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => refetchAfterWrite(queryClient, trpc.tokens.list.queryKey());
  const create = useMutation(trpc.tokens.create.mutationOptions({ onSuccess: refresh }));
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, expiresInDays: days === 'never' ? null : Number(days) });
  };
  const nameError = create.error?.data?.issues?.find((i) => i.path === 'name')?.message;

  return (
    <section aria-labelledby="tokens-heading" className="card stack">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted small">
        For scripts and the app: send one as <code>Authorization: Bearer …</code>. A token is shown once, when it is
        created.
      </p>
      <form onSubmit={submit} className="form-grid" noValidate>
        <label>
          Name
          <input
            name="token-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="laptop"
            aria-invalid={Boolean(nameError)}
            aria-describedby={nameError ? 'token-name-error' : undefined}
          />
          {nameError ? (
            <span id="token-name-error" className="field-error">
              {nameError}
            </span>
          ) : null}
        </label>
        <label>
          Expires
          <select name="token-expiry" value={days} onChange={(e) => setDays(e.target.value)}>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="never">never (until revoked)</option>
          </select>
        </label>
        <div className="row span-2">
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
          {create.isError && !nameError ? (
            <span role="alert" className="field-error">
              {create.error.message}
            </span>
          ) : null}
        </div>
      </form>
      {create.data ? (
        <div className="notice notice-good" role="status" data-testid="new-token">
          <p>
            Your new token <strong>{create.data.name}</strong> — copy it now, it will not be shown again:
          </p>
          <code className="secret">{create.data.token}</code>
        </div>
      ) : null}
      <TokenList />
    </section>
  );
}

/** The person's tokens, newest first, each with when it was last used and a revoke button. */
function TokenList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: () => refetchAfterWrite(queryClient, trpc.tokens.list.queryKey()),
    }),
  );
  return tokens.isPending ? (
    <Skeleton label="your tokens" height={96} />
  ) : tokens.isError ? (
    <ErrorNotice what="your tokens" onRetry={() => tokens.refetch()} />
  ) : tokens.data.length === 0 ? (
    <EmptyState title="No tokens yet">Create one above for a script or the app.</EmptyState>
  ) : (
    <div className="table-wrap">
      <table data-testid="tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.data.map((t) => (
            <tr key={t.id}>
              <td>{t.name ?? <span className="muted">unnamed</span>}</td>
              <td>{when(t.createdAt)}</td>
              <td>{when(t.lastUsedAt)}</td>
              <td>{t.revokedAt ? 'revoked' : t.expiresAt ? when(t.expiresAt) : 'never'}</td>
              <td>
                {t.revokedAt ? null : (
                  <button
                    type="button"
                    className="secondary"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate({ id: t.id })}
                    aria-label={`Revoke ${t.name ?? 'token'}`}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
