'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { fieldMessages, messagesByPath } from '@/app/_components/field-messages';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { formatDate } from '@/app/_lib/format';
import { type Outputs, useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';
import { experimentInput } from '@/server/contracts/experiments';

type Experiment = Outputs['experiments']['list'][number];

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** Field issues of a failed call, by path (`arms[1].policy`), as the REST API and tRPC both report them. */
function issuesOf(error: unknown): Record<string, string> {
  const data = (error as { data?: { issues?: { path: string; message: string }[] } } | null)?.data;
  return Object.fromEntries((data?.issues ?? []).map((i) => [i.path, i.message]));
}

export function ExperimentsView() {
  const trpc = useTRPC();
  const list = useQuery(trpc.experiments.list.queryOptions());
  return (
    <main>
      <h1>Experiments</h1>
      <p className="muted">
        A/B tests of modifier policies. Opted-in lifters are split by a hash of the experiment’s salt and their id, stay
        in their arm, and are served its policy from the week after the start. One experiment runs at a time.
      </p>
      {list.isPending ? <Skeleton label="the experiments" /> : null}
      {list.isError ? <ErrorNotice what="the experiments" onRetry={() => list.refetch()} /> : null}
      {list.data && list.data.length === 0 ? (
        <EmptyState title="No experiments yet">Create one below, or over REST (POST /api/v1/experiments).</EmptyState>
      ) : null}
      {list.data?.map((e) => (
        <ExperimentCard key={e.key} experiment={e} />
      ))}
      <CreateForm />
    </main>
  );
}

function ExperimentCard({ experiment: e }: { experiment: Experiment }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => refetchAfterWrite(queryClient, trpc.experiments.list.queryKey());
  const start = useMutation(trpc.experiments.start.mutationOptions({ onSuccess: refresh }));
  const stop = useMutation(trpc.experiments.stop.mutationOptions({ onSuccess: refresh }));
  const failure = start.error ?? stop.error;
  return (
    <section className="card stack" aria-labelledby={`experiment-${e.key}`} data-testid={`experiment-${e.key}`}>
      <h2 id={`experiment-${e.key}`}>
        <Link href={`/experiments/${e.key}`}>{e.key}</Link> <span className="badge">{e.status}</span>
      </h2>
      <p>{e.hypothesis}</p>
      <ul className="small">
        {e.arms.map((a, i) => (
          <li key={a.name}>
            <strong>{a.name}</strong>
            {i === 0 ? ' (control)' : ''}: <code>{a.policy}</code>, {pct(a.weight)} of lifters
            {a.epsilon > 0 ? `, exploring ${pct(a.epsilon)} of decisions` : ''}
          </li>
        ))}
      </ul>
      <p className="muted small">
        {e.start_week ? `Arms decide from the week of ${formatDate(e.start_week)}` : 'Not started'}
        {e.end_week ? ` to the week of ${formatDate(e.end_week)}` : ''}. Primary metric: {e.primary_metric}.
      </p>
      <div className="row">
        <Link href={`/experiments/${e.key}`}>Report</Link>
        {e.status === 'draft' ? (
          <button type="button" disabled={start.isPending} onClick={() => start.mutate({ key: e.key })}>
            Start
          </button>
        ) : null}
        {e.status === 'running' ? (
          <button
            type="button"
            className="secondary"
            disabled={stop.isPending}
            onClick={() => {
              if (window.confirm(`Stop ${e.key}? Its lifters return to the default policy from next week.`))
                stop.mutate({ key: e.key });
            }}
          >
            Stop
          </button>
        ) : null}
      </div>
      {failure ? (
        <p role="alert" className="notice notice-error">
          {failure.message}
        </p>
      ) : null}
    </section>
  );
}

interface ArmDraft {
  /** Stable across edits: arms are only ever appended. */
  id: number;
  name: string;
  policy: string;
  weight: string;
  epsilon: string;
}

function CreateForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [arms, setArms] = useState<ArmDraft[]>([
    { id: 0, name: 'control', policy: 'rules', weight: '0.5', epsilon: '0' },
    { id: 1, name: 'treatment', policy: 'hold', weight: '0.5', epsilon: '0' },
  ]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.experiments.create.mutationOptions({
      onSuccess: async (e) => {
        setCreated(`Created ${e.key} (a draft): start it when ready.`);
        await refetchAfterWrite(queryClient, trpc.experiments.list.queryKey());
      },
      onError: (err) => setErrors(issuesOf(err)),
    }),
  );

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setCreated(null);
    const form = new FormData(e.currentTarget);
    const parsed = experimentInput.safeParse({
      key: form.get('key'),
      hypothesis: form.get('hypothesis'),
      arms: arms.map((a) => ({ name: a.name, policy: a.policy, weight: Number(a.weight), epsilon: Number(a.epsilon) })),
    });
    if (!parsed.success) {
      setErrors(messagesByPath(parsed.error.issues));
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  const { error, described } = fieldMessages(errors);
  const setArm = (i: number, change: Partial<ArmDraft>) =>
    setArms((xs) => xs.map((a, j) => (j === i ? { ...a, ...change } : a)));

  return (
    <section aria-labelledby="create-heading" className="card">
      <h2 id="create-heading">New experiment</h2>
      <form onSubmit={submit} className="form-grid" noValidate>
        <label>
          Key
          <input name="key" placeholder="model-vs-rules" {...described('key')} />
          {error('key')}
        </label>
        <label className="span-2">
          Hypothesis
          <textarea name="hypothesis" rows={2} {...described('hypothesis')} />
          {error('hypothesis')}
        </label>
        {arms.map((a, i) => (
          <ArmFields key={a.id} arm={a} index={i} onChange={(change) => setArm(i, change)} errors={errors} />
        ))}
        {error('arms')}
        <div className="row span-2">
          {arms.length < 5 ? (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                setArms((xs) => [
                  ...xs,
                  { id: xs.length, name: `arm-${xs.length + 1}`, policy: 'rules', weight: '0', epsilon: '0' },
                ])
              }
            >
              Add an arm
            </button>
          ) : null}
          <button type="submit" disabled={create.isPending}>
            Create draft
          </button>
        </div>
      </form>
      {create.isError && Object.keys(issuesOf(create.error)).length === 0 ? (
        <p role="alert" className="notice notice-error">
          {create.error.message}
        </p>
      ) : null}
      {created ? (
        <p role="status" className="notice notice-good">
          {created}
        </p>
      ) : null}
    </section>
  );
}

function ArmFields({
  arm,
  index: i,
  onChange,
  errors,
}: {
  arm: ArmDraft;
  index: number;
  onChange: (change: Partial<ArmDraft>) => void;
  errors: Record<string, string>;
}) {
  const { error, described } = fieldMessages(errors);
  return (
    <fieldset className="span-2 form-grid">
      <legend>{i === 0 ? 'Control arm' : `Arm ${i + 1}`}</legend>
      <label>
        Name
        <input
          value={arm.name}
          onChange={(e) => onChange({ name: e.target.value })}
          {...described(`arms[${i}].name`)}
        />
        {error(`arms[${i}].name`)}
      </label>
      <label>
        Policy <span className="muted small">(rules, hold, model@N)</span>
        <input
          value={arm.policy}
          onChange={(e) => onChange({ policy: e.target.value })}
          {...described(`arms[${i}].policy`)}
        />
        {error(`arms[${i}].policy`)}
      </label>
      <label>
        Weight
        <input
          type="number"
          step="0.05"
          min="0"
          max="1"
          value={arm.weight}
          onChange={(e) => onChange({ weight: e.target.value })}
          {...described(`arms[${i}].weight`)}
        />
        {error(`arms[${i}].weight`)}
      </label>
      <label>
        Exploration ε
        <input
          type="number"
          step="0.05"
          min="0"
          max="0.5"
          value={arm.epsilon}
          onChange={(e) => onChange({ epsilon: e.target.value })}
          {...described(`arms[${i}].epsilon`)}
        />
        {error(`arms[${i}].epsilon`)}
      </label>
    </fieldset>
  );
}
