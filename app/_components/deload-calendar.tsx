'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { ScrollRegion } from '@/app/_components/scroll-region';
import { SubmitRow } from '@/app/_components/submit-row';
import { formatDate, formatShortDate } from '@/app/_lib/format';
import { type Outputs, useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';
import { DELOAD_LIMITS } from '@/server/contracts/deloads';
import { addDays } from '@/server/time/calendar';

type Plan = Outputs['deloads']['list'][number];

/** Weeks the calendar shows, from this one. */
const WEEKS = 12;
const LOAD_CHOICES = [0.6, 0.7, 0.8, 0.9];
const SET_CHOICES = [0.3, 0.5, 0.6, 0.7, 0.9];

/**
 * Planned deloads: a row per week from this one (deload, build week of a block, or normal), the plans with a way to
 * cancel those not over, and a form to plan one — for the lifter on the dashboard, for an athlete on the coach view.
 */
export function DeloadCalendar({ userId }: { userId?: string }) {
  const trpc = useTRPC();
  const plans = useQuery(trpc.deloads.list.queryOptions({ userId }));
  const overlay = useQuery(trpc.modifiers.current.queryOptions({ userId }));
  if (plans.isPending || overlay.isPending) return <Skeleton label="planned deloads" height={160} />;
  if (plans.isError || overlay.isError)
    return <ErrorNotice what="planned deloads" onRetry={() => Promise.all([plans.refetch(), overlay.refetch()])} />;
  const thisWeek = overlay.data.weekStart;
  const weeks = Array.from({ length: WEEKS }, (_, i) => addDays(thisWeek, 7 * i));
  const live = plans.data.filter((p) => p.weeks.some((w) => w >= thisWeek));
  return (
    <>
      <ScrollRegion label="Planned weeks, scrollable">
        <table aria-label="The next twelve weeks" data-testid="deload-calendar">
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Plan</th>
              <th scope="col">Load</th>
              <th scope="col">Sets</th>
              <th scope="col">Exercises</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <WeekRow key={w} week={w} plans={plans.data} />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {live.length === 0 ? (
        <EmptyState title="No deload planned">
          A deload week lightens the load and/or the sets; the weekly adjustments hold through it and resume after.
        </EmptyState>
      ) : (
        <PlanList plans={live} userId={userId} />
      )}
      <PlanForm userId={userId} weeks={weeks} />
    </>
  );
}

function WeekRow({ week, plans }: { week: string; plans: Plan[] }) {
  const deload = plans.find((p) => p.weeks.includes(week));
  const block = deload
    ? undefined
    : plans.find((p) => p.kind === 'block' && week >= p.startWeek && week <= (p.lastWeek ?? ''));
  const state = deload ? 'deload' : block ? 'build' : 'normal';
  return (
    <tr data-week={week} data-state={state}>
      <th scope="row">{formatShortDate(week)}</th>
      <td>{deload ? <strong>Deload</strong> : block ? 'Build' : <span className="muted">—</span>}</td>
      <td>{deload && deload.loadFactor < 1 ? `${Math.round(deload.loadFactor * 100)}%` : ''}</td>
      <td>{deload && deload.setFactor < 1 ? `${Math.round(deload.setFactor * 100)}%` : ''}</td>
      <td>{deload ? (deload.exercises?.join(', ') ?? 'All') : ''}</td>
    </tr>
  );
}

function PlanList({ plans, userId }: { plans: Plan[]; userId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancel = useMutation(
    trpc.deloads.cancel.mutationOptions({
      onSuccess: async () => {
        await refetchAfterWrite(queryClient, trpc.deloads.list.queryKey(), trpc.modifiers.current.queryKey());
      },
    }),
  );
  return (
    <>
      <ul className="plain" aria-label="Planned deloads">
        {plans.map((p) => (
          <li key={p.id} data-plan={p.id}>
            {p.kind === 'block'
              ? `Block from ${formatDate(p.startWeek)}: ${p.buildWeeks} weeks + ${p.deloadWeeks} deload, ×${p.cycles}`
              : `Deload, week of ${formatDate(p.startWeek)}`}{' '}
            <span className="muted small">
              by {p.source === 'lifter' ? 'the lifter' : p.plannedBy}
              {p.note ? ` — “${p.note}”` : ''}
            </span>{' '}
            <button
              type="button"
              onClick={() => cancel.mutate({ userId: userId ?? p.userId, planId: p.id })}
              disabled={cancel.isPending}
            >
              Cancel
            </button>
          </li>
        ))}
      </ul>
      {cancel.isError ? (
        <p role="alert" className="field-error">
          {cancel.error.message}
        </p>
      ) : null}
    </>
  );
}

function PlanForm({ userId, weeks }: { userId?: string; weeks: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'deload' | 'block'>('deload');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const plan = useMutation(
    trpc.deloads.plan.mutationOptions({
      onSuccess: async (p) => {
        setSaved(`Planned: deload ${p.weeks.map(formatShortDate).join(', ')}.`);
        await refetchAfterWrite(queryClient, trpc.deloads.list.queryKey(), trpc.modifiers.current.queryKey());
      },
    }),
  );

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(null);
    const form = new FormData(e.currentTarget);
    const factor = (name: string) => (form.get(name) ? Number(form.get(name)) : undefined);
    const load = factor('load');
    const sets = factor('sets');
    if (load === undefined && sets === undefined) {
      setError('Choose a lighter load, fewer sets, or both.');
      return;
    }
    const exercises = String(form.get('exercises') ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    setError(null);
    const common = {
      user_id: userId,
      week_start: String(form.get('week')),
      exercises: exercises.length ? [...new Set(exercises)] : null,
      load_factor: load,
      set_factor: sets,
    };
    plan.mutate(
      kind === 'block'
        ? {
            ...common,
            kind,
            build_weeks: Number(form.get('build')),
            deload_weeks: 1,
            cycles: Number(form.get('cycles')),
          }
        : { ...common, kind },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="card form-grid" aria-labelledby="plan-deload-heading">
      <h3 id="plan-deload-heading" className="span-2">
        Plan a deload
      </h3>
      <label>
        Kind
        <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'deload' | 'block')}>
          <option value="deload">One deload week</option>
          <option value="block">Repeating block</option>
        </select>
      </label>
      <label>
        {kind === 'block' ? 'First week' : 'Week'}
        <select name="week" defaultValue={weeks[1]}>
          {weeks.map((w) => (
            <option key={w} value={w}>
              {formatDate(w)}
            </option>
          ))}
        </select>
      </label>
      {kind === 'block' ? (
        <>
          <label>
            Build weeks before each deload
            <input
              name="build"
              type="number"
              min={DELOAD_LIMITS.buildWeeks.min}
              max={DELOAD_LIMITS.buildWeeks.max}
              defaultValue={3}
            />
          </label>
          <label>
            Cycles
            <input
              name="cycles"
              type="number"
              min={DELOAD_LIMITS.cycles.min}
              max={DELOAD_LIMITS.cycles.max}
              defaultValue={3}
            />
          </label>
        </>
      ) : null}
      <label>
        Load in the deload week
        <select name="load" defaultValue="0.8">
          <option value="">Unchanged</option>
          {LOAD_CHOICES.map((x) => (
            <option key={x} value={x}>
              {Math.round(x * 100)}%
            </option>
          ))}
        </select>
      </label>
      <label>
        Sets in the deload week
        <select name="sets" defaultValue="0.6">
          <option value="">Unchanged</option>
          {SET_CHOICES.map((x) => (
            <option key={x} value={x}>
              {Math.round(x * 100)}%
            </option>
          ))}
        </select>
      </label>
      <label className="span-2">
        Exercises (comma-separated; blank: all)
        <input name="exercises" maxLength={600} />
      </label>
      <SubmitRow
        label="Plan it"
        pending={plan.isPending}
        saved={saved}
        errors={[error, plan.isError ? plan.error.message : null]}
      />
    </form>
  );
}
