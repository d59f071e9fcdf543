'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useMemo, useState } from 'react';
import { DeloadCalendar } from '@/app/_components/deload-calendar';
import { fieldMessages, messagesByPath } from '@/app/_components/field-messages';
import { MuscleVolume } from '@/app/_components/muscle-volume';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { ScrollRegion } from '@/app/_components/scroll-region';
import { StrengthChart } from '@/app/_components/strength-chart';
import { SubmitRow } from '@/app/_components/submit-row';
import { formatDate, pct } from '@/app/_lib/format';
import { type Outputs, useTRPC } from '@/app/_trpc/client';
import { refetchAfterWrite } from '@/app/_trpc/refetch';
import { overrideInputWithin } from '@/server/contracts/modifiers';
import type { Bounds } from '@/server/modifiers/rules';
import { wallClock } from '@/server/time/clock';
import { AthleteVoice } from './athlete-voice';
import { ModifierStepChart } from './modifier-step-chart';

type Row = Outputs['coach']['modifierHistory'][number];

/** Per week, the row that was in force: the latest coach override, else the job's row. */
function inForceByWeek(rows: Row[]) {
  const byWeek = new Map<string, Row>();
  for (const r of rows) {
    const held = byWeek.get(r.weekStart);
    const better =
      !held ||
      (r.source === 'coach' && held.source !== 'coach') ||
      (r.source === held.source && r.createdAt > held.createdAt);
    if (better) byWeek.set(r.weekStart, r);
  }
  return [...byWeek.values()].sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1));
}

export function AthleteView({ athleteId, bounds }: { athleteId: string; bounds: Bounds }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.coach.modifierHistory.queryOptions({ athleteId }));
  const overlay = useQuery(trpc.modifiers.current.queryOptions({ userId: athleteId }));
  const exercises = useMemo(() => [...new Set((history.data ?? []).map((r) => r.exercise))].sort(), [history.data]);
  const [picked, setPicked] = useState<string | null>(null);
  const exercise = picked ?? exercises[0] ?? null;
  const rows = (history.data ?? []).filter((r) => r.exercise === exercise);

  return (
    <main>
      <p className="small">
        <Link href="/coach">← All athletes</Link>
      </p>
      <h1>{athleteId}</h1>

      <section aria-labelledby="overlay-heading">
        <h2 id="overlay-heading">In force this week</h2>
        {overlay.isPending ? <Skeleton label="the overlay" height={80} /> : null}
        {overlay.isError ? <ErrorNotice what="the overlay" onRetry={() => overlay.refetch()} /> : null}
        {overlay.data ? (
          overlay.data.modifiers.length === 0 ? (
            <p className="muted">No modifiers yet.</p>
          ) : (
            <ul className="chips" aria-label="Modifiers in force">
              {overlay.data.modifiers.map((m) => (
                <li key={m.exercise} className="chip" data-exercise={m.exercise} data-source={m.source}>
                  {m.exercise}: ×{m.multiplier.toFixed(3)}
                  {m.repDelta ? `, ${m.repDelta} rep` : ''}
                  {m.source === 'coach' ? ' (coach)' : ''}
                </li>
              ))}
            </ul>
          )
        ) : null}
      </section>

      <section aria-labelledby="history-heading">
        <div className="section-head">
          <h2 id="history-heading">Modifier history</h2>
          {exercises.length > 0 ? (
            <label className="inline-field">
              Exercise{' '}
              <select value={exercise ?? ''} onChange={(e) => setPicked(e.target.value)}>
                {exercises.map((x) => (
                  <option key={x}>{x}</option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
        {history.isPending ? <Skeleton label="the modifier history" /> : null}
        {history.isError ? <ErrorNotice what="the modifier history" onRetry={() => history.refetch()} /> : null}
        {history.data && history.data.length === 0 ? (
          <EmptyState title="No modifier history yet">
            The weekly job writes the first rows after two weeks of training.
          </EmptyState>
        ) : null}
        {exercise && rows.length > 0 ? (
          <>
            <AthleteStrength athleteId={athleteId} exercise={exercise} />
            <ModifierStepChart
              exercise={exercise}
              points={inForceByWeek(rows).map((r) => ({ weekStart: r.weekStart, multiplier: r.multiplier }))}
            />
            <HistoryTable rows={rows} />
          </>
        ) : null}
      </section>

      <section aria-labelledby="deloads-heading">
        <h2 id="deloads-heading">Planned deloads</h2>
        <DeloadCalendar userId={athleteId} />
      </section>

      <section aria-labelledby="volume-heading">
        <h2 id="volume-heading">Volume per muscle group</h2>
        <MuscleVolume userId={athleteId} editable={false} />
      </section>

      <AthleteVoice athleteId={athleteId} />

      {exercises.length > 0 ? (
        <OverrideForm athleteId={athleteId} exercises={exercises} exercise={exercise!} bounds={bounds} />
      ) : null}
    </main>
  );
}

/** The athlete's estimated strength on the exercise over the last six months, as the athlete's dashboard draws it. */
function AthleteStrength({ athleteId, exercise }: { athleteId: string; exercise: string }) {
  const trpc = useTRPC();
  const input = { userId: athleteId, range: '6m', exercise };
  const history = useQuery(trpc.analytics.exerciseHistory.queryOptions(input));
  const strength = useQuery(trpc.analytics.strengthHistory.queryOptions(input));
  if (history.isPending || strength.isPending) return <Skeleton label="estimated strength" />;
  if (history.isError || strength.isError)
    return (
      <ErrorNotice what="estimated strength" onRetry={() => Promise.all([history.refetch(), strength.refetch()])} />
    );
  if (history.data.length === 0) return <p className="muted">No {exercise} in the last six months.</p>;
  return <StrengthChart history={history.data} strength={strength.data} exercise={exercise} />;
}

function HistoryTable({ rows }: { rows: Row[] }) {
  return (
    <ScrollRegion label="Modifier history, scrollable">
      <table aria-label="Modifier history" data-testid="history-table">
        <thead>
          <tr>
            <th scope="col">Week</th>
            <th scope="col">Multiplier</th>
            <th scope="col">Reps</th>
            <th scope="col">Success</th>
            <th scope="col">Sets</th>
            <th scope="col">Source</th>
            <th scope="col">Decided by</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-source={r.source}>
              <td>{formatDate(r.weekStart)}</td>
              <td>
                {r.previousMultiplier !== null && r.previousMultiplier !== r.multiplier
                  ? `${r.previousMultiplier.toFixed(3)} → `
                  : ''}
                {r.multiplier.toFixed(3)}
              </td>
              <td>{r.repDelta}</td>
              <td>{pct(r.successRate)}</td>
              <td>{r.source === 'auto' ? r.sampleSize : '—'}</td>
              <td>{r.source === 'coach' ? <span className="badge">coach</span> : 'auto'}</td>
              <td>{r.decidedBy ?? `weekly job (${r.policy})`}</td>
              <td className="small">
                {r.reason}
                {r.note ? <span className="note"> — “{r.note}”</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function OverrideForm({
  athleteId,
  exercises,
  exercise,
  bounds,
}: {
  athleteId: string;
  exercises: string[];
  exercise: string;
  bounds: Bounds;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const override = useOverride((row) =>
    setSaved(`Saved: ${row.exercise} × ${row.multiplier.toFixed(3)} from ${formatDate(row.weekStart)}.`),
  );

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(null);
    const form = new FormData(e.currentTarget);
    const num = (name: string) =>
      form.get(name) === '' || form.get(name) === null ? undefined : Number(form.get(name));
    const parsed = overrideInputWithin(bounds).safeParse({
      athleteId,
      exercise: form.get('exercise'),
      week: form.get('week'),
      multiplier: num('multiplier'),
      repDelta: num('repDelta'),
      note: form.get('note'),
    });
    if (!parsed.success) {
      setErrors(messagesByPath(parsed.error.issues));
      return;
    }
    setErrors({});
    override.mutate(parsed.data);
  }

  const { error: fieldError, described } = fieldMessages(errors);

  return (
    <section aria-labelledby="override-heading" className="card">
      <h2 id="override-heading">Override a modifier</h2>
      <p className="muted small">
        Your value takes precedence over the weekly job for that week and stays in force until the next decision. Every
        change is kept in the history.
      </p>
      <form onSubmit={submit} className="form-grid" noValidate key={exercise}>
        <label>
          Exercise
          <select name="exercise" defaultValue={exercise}>
            {exercises.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
        <ChangeFields bounds={bounds} errors={errors} />
        <label className="span-2">
          Note (why)
          <textarea name="note" rows={2} maxLength={500} required {...described('note')} />
          {fieldError('note')}
        </label>
        <SubmitRow
          label="Save override"
          pending={override.isPending}
          saved={saved}
          errors={[override.isError ? override.error.message : null]}
        />
      </form>
    </section>
  );
}

/** The week, the multiplier and the rep change, each within the bounds the override is checked against. */
function ChangeFields({ bounds, errors }: { bounds: Bounds; errors: Record<string, string> }) {
  const { error: fieldError, described } = fieldMessages(errors);
  const today = wallClock().toISOString().slice(0, 10);
  return (
    <>
      <label>
        Week of
        <input type="date" name="week" defaultValue={today} {...described('week')} />
        {fieldError('week')}
      </label>
      <label>
        Multiplier{' '}
        <span className="muted small">
          ({bounds.min}–{bounds.max})
        </span>
        <input
          type="number"
          name="multiplier"
          step="0.005"
          min={bounds.min}
          max={bounds.max}
          placeholder="e.g. 0.95"
          {...described('multiplier')}
        />
        {fieldError('multiplier')}
      </label>
      <label>
        Rep change <span className="muted small">({bounds.minRepDelta} to 0)</span>
        <input
          type="number"
          name="repDelta"
          step="1"
          min={bounds.minRepDelta}
          max={0}
          placeholder="e.g. -1"
          {...described('repDelta')}
        />
        {fieldError('repDelta')}
      </label>
    </>
  );
}

/** The override mutation; on success the history, the overlay and the athletes' list are read again. */
function useOverride(onSaved: (row: { exercise: string; multiplier: number; weekStart: string }) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.coach.override.mutationOptions({
      onSuccess: async (row) => {
        onSaved(row);
        await refetchAfterWrite(
          queryClient,
          trpc.coach.modifierHistory.queryKey(),
          trpc.modifiers.current.queryKey(),
          trpc.coach.athletes.queryKey(),
        );
      },
    }),
  );
}
