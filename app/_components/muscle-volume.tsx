'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { ScrollRegion } from '@/app/_components/scroll-region';
import { SubmitRow } from '@/app/_components/submit-row';
import { formatDate } from '@/app/_lib/format';
import { type Outputs, useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';
import { MUSCLE_GROUPS, muscleTargetInput } from '@/server/contracts/volume';

type Volume = Outputs['analytics']['volume'];
type Group = keyof Volume['targets'];

/**
 * Hard sets per muscle group this week against the lifter's target, with each group's last twelve weeks; the
 * lifter (not a coach) maps exercises the catalog does not know.
 */
export function MuscleVolume({ userId, editable }: { userId?: string; editable: boolean }) {
  const trpc = useTRPC();
  const volume = useQuery(trpc.analytics.volume.queryOptions({ userId, range: '12w' }));
  if (volume.isPending) return <Skeleton label="volume per muscle group" height={160} />;
  if (volume.isError) return <ErrorNotice what="volume per muscle group" onRetry={() => volume.refetch()} />;
  const v = volume.data;
  const trained = MUSCLE_GROUPS.filter((g) => v.weeks.some((w) => (w.groups[g]?.sets ?? 0) > 0));
  const thisWeek = v.weeks.at(-1)!;
  return (
    <>
      {trained.length === 0 ? (
        <EmptyState title="No mapped sets in the last twelve weeks">
          Sets count for the muscle groups their exercise trains; exercises the catalog does not know need a mapping.
        </EmptyState>
      ) : (
        <ScrollRegion label="Volume per muscle group, scrollable">
          <table aria-label="Hard sets per muscle group this week" data-testid="volume-table">
            <thead>
              <tr>
                <th scope="col">Muscle group</th>
                <th scope="col">Hard sets, week of {formatDate(thisWeek.weekStart)}</th>
                <th scope="col">Target</th>
                <th scope="col">Last 12 weeks</th>
              </tr>
            </thead>
            <tbody>
              {trained.map((g) => (
                <GroupRow key={g} group={g} volume={v} />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <p className="muted small">
        Hard: RPE ≥ 7 when logged, else at most 3 reps in reserve by your estimated strength. A set counts 1 for its
        exercise’s primary groups and ½ for the secondary ones.
      </p>
      {editable ? (
        <div className="chart-pair">
          <MappingForm unmapped={v.unmapped} />
          <TargetForm targets={v.targets} />
        </div>
      ) : null}
      {!editable && v.unmapped.length > 0 ? (
        <p className="small">Not counted (no muscle groups yet): {v.unmapped.join(', ')}.</p>
      ) : null}
    </>
  );
}

function GroupRow({ group, volume }: { group: Group; volume: Volume }) {
  const target = volume.targets[group];
  const hard = volume.weeks.at(-1)!.groups[group]?.hardSets ?? 0;
  const status = hard < target.min ? 'below' : hard > target.max ? 'above' : 'within';
  const series = volume.weeks.map((w) => ({ week: w.weekStart, hard: w.groups[group]?.hardSets ?? 0 }));
  return (
    <tr data-group={group} data-status={status}>
      <th scope="row">{group}</th>
      <td>
        <span className="meter" aria-hidden="true">
          <span style={{ width: `${Math.min(100, (hard / Math.max(target.max, 1)) * 100)}%` }} data-status={status} />
        </span>{' '}
        {hard} <span className="muted small">({status} target)</span>
      </td>
      <td>
        {target.min}–{target.max}
      </td>
      <td>
        <figure className="sparkline" aria-label={`${group}: hard sets a week, last 12 weeks`}>
          <ResponsiveContainer width={120} height={32}>
            <LineChart data={series}>
              <YAxis hide domain={[0, Math.max(target.max, ...series.map((s) => s.hard))]} />
              <Line dataKey="hard" stroke="#1f5fbf" strokeWidth={2} dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </td>
    </tr>
  );
}

function MappingForm({ unmapped }: { unmapped: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const map = useMutation(
    trpc.analytics.mapExercise.mutationOptions({
      onSuccess: async (m) => {
        setSaved(`Saved: ${m.exercise} counts for ${m.primary.join(', ')}.`);
        await refetchAfterWrite(queryClient, trpc.analytics.volume.queryKey());
      },
    }),
  );

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(null);
    const form = new FormData(e.currentTarget);
    const name = String(form.get('exercise') ?? '').trim();
    const primary = String(form.get('primary') ?? '');
    const secondary = form
      .getAll('secondary')
      .map(String)
      .filter((g) => g !== primary);
    if (!name || !primary) {
      setError('Pick an exercise and its primary muscle group.');
      return;
    }
    setError(null);
    map.mutate({ name, muscles: { primary: [primary as Group], secondary: secondary as Group[] } });
  }

  return (
    <form onSubmit={submit} noValidate className="card form-grid" aria-labelledby="mapping-heading">
      <h3 id="mapping-heading" className="span-2">
        Map an exercise to muscle groups
      </h3>
      <label>
        Exercise to map
        <input name="exercise" list="unmapped-exercises" defaultValue={unmapped[0] ?? ''} maxLength={120} />
        <datalist id="unmapped-exercises">
          {unmapped.map((x) => (
            <option key={x} value={x} />
          ))}
        </datalist>
      </label>
      <label>
        Primary group
        <select name="primary" defaultValue="">
          <option value="">Choose…</option>
          {MUSCLE_GROUPS.map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
      </label>
      <fieldset className="span-2 checks">
        <legend>Secondary groups (count ½)</legend>
        {MUSCLE_GROUPS.map((g) => (
          <label key={g} className="check">
            <input type="checkbox" name="secondary" value={g} /> {g}
          </label>
        ))}
      </fieldset>
      <SubmitRow
        label="Save mapping"
        pending={map.isPending}
        saved={saved}
        errors={[error, map.isError ? map.error.message : null]}
      />
      {unmapped.length > 0 ? <p className="span-2 small">Not counted yet: {unmapped.join(', ')}.</p> : null}
    </form>
  );
}

/** The lifter's own weekly target for a group (10–20 hard sets by default). */
function TargetForm({ targets }: { targets: Volume['targets'] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [group, setGroup] = useState<Group>('chest');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation(
    trpc.analytics.setMuscleTarget.mutationOptions({
      onSuccess: async (t) => {
        setSaved(`Saved: ${t.muscle} ${t.min}–${t.max} hard sets a week.`);
        await refetchAfterWrite(queryClient, trpc.analytics.volume.queryKey());
      },
    }),
  );

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(null);
    const form = new FormData(e.currentTarget);
    const parsed = muscleTargetInput.safeParse({ min: Number(form.get('min')), max: Number(form.get('max')) });
    if (!parsed.success) {
      setError('Give a minimum and a maximum from 0 to 50, the maximum at least the minimum.');
      return;
    }
    setError(null);
    save.mutate({ muscle: group, target: parsed.data });
  }

  return (
    <form onSubmit={submit} noValidate className="card form-grid" aria-labelledby="target-heading" key={group}>
      <h3 id="target-heading" className="span-2">
        Your weekly target
      </h3>
      <label className="span-2">
        Muscle group
        <select value={group} onChange={(e) => setGroup(e.target.value as Group)}>
          {MUSCLE_GROUPS.map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
      </label>
      <label>
        At least
        <input type="number" name="min" min={0} max={50} step={0.5} defaultValue={targets[group].min} />
      </label>
      <label>
        At most
        <input type="number" name="max" min={0} max={50} step={0.5} defaultValue={targets[group].max} />
      </label>
      <SubmitRow
        label="Save target"
        pending={save.isPending}
        saved={saved}
        errors={[error, save.isError ? save.error.message : null]}
      />
    </form>
  );
}
