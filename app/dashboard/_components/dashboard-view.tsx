'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DeloadCalendar } from '@/app/_components/deload-calendar';
import { MuscleVolume } from '@/app/_components/muscle-volume';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { StrengthChart } from '@/app/_components/strength-chart';
import { useTRPC } from '@/app/_trpc/client';
import { DASHBOARD_RANGES, type DashboardRange } from '../ranges';
import { CoachNotes } from './coach-notes';
import { ModifiersTable } from './modifiers-table';
import { PlateauList } from './plateau-list';
import { PrCards } from './pr-cards';
import { PrivacySettings } from './privacy-settings';
import { RangePicker } from './range-picker';
import { WeeklyCharts } from './weekly-charts';

export function DashboardView({
  range,
  initialExercise,
  userId,
}: {
  range: DashboardRange;
  initialExercise: string | null;
  userId: string;
}) {
  const trpc = useTRPC();
  const prs = useQuery(trpc.analytics.prs.queryOptions({ range }));
  const plateaus = useQuery(trpc.analytics.plateaus.queryOptions({ range }));
  const weekly = useQuery(trpc.analytics.weeklySummary.queryOptions({ range }));
  const overlay = useQuery(trpc.modifiers.current.queryOptions({}));

  const rangeLabel = DASHBOARD_RANGES.find((r) => r.value === range)!.label.toLowerCase();
  const empty = prs.data?.length === 0 && weekly.data?.weeks.every((w) => w.sessions === 0);

  return (
    <main>
      <div className="page-head">
        <div>
          <h1>Your training</h1>
          <p className="muted small">
            {userId} · last {rangeLabel}
            {weekly.data?.range.start ? ` (from ${weekly.data.range.start})` : ''}
          </p>
        </div>
        <RangePicker value={range} basePath="/dashboard" />
      </div>

      {empty ? (
        <EmptyState title="No training logged in this range yet">
          Log a session in the app and it shows up here: personal records, plateaus and weekly trends. Try a longer
          range if you have trained before.
        </EmptyState>
      ) : (
        <>
          <section aria-labelledby="plateaus-heading">
            <h2 id="plateaus-heading">Plateaus</h2>
            {plateaus.isPending ? <Skeleton label="plateaus" height={48} /> : null}
            {plateaus.isError ? <ErrorNotice what="plateaus" onRetry={() => plateaus.refetch()} /> : null}
            {plateaus.data ? <PlateauList plateaus={plateaus.data} /> : null}
          </section>

          <section aria-labelledby="prs-heading">
            <h2 id="prs-heading">Personal records</h2>
            {prs.isPending ? <Skeleton label="personal records" height={120} /> : null}
            {prs.isError ? <ErrorNotice what="your personal records" onRetry={() => prs.refetch()} /> : null}
            {prs.data ? <PrCards prs={prs.data} /> : null}
          </section>

          <TrendSection
            range={range}
            exercises={(prs.data ?? []).map((p) => p.exercise)}
            initialExercise={initialExercise}
            plateaus={plateaus.data}
          />

          <section aria-labelledby="weekly-heading">
            <h2 id="weekly-heading">Week by week</h2>
            {weekly.isPending ? <Skeleton label="the weekly summary" /> : null}
            {weekly.isError ? <ErrorNotice what="the weekly summary" onRetry={() => weekly.refetch()} /> : null}
            {weekly.data ? <WeeklyCharts weeks={weekly.data.weeks} /> : null}
          </section>
        </>
      )}

      <section aria-labelledby="modifiers-heading">
        <h2 id="modifiers-heading">This week’s adjustments</h2>
        <p className="muted small">
          What the app applies on top of its own recommendation, from how the last weeks went.
        </p>
        {overlay.isPending ? <Skeleton label="modifiers" height={120} /> : null}
        {overlay.isError ? <ErrorNotice what="this week’s adjustments" onRetry={() => overlay.refetch()} /> : null}
        {overlay.data ? <ModifiersTable overlay={overlay.data} /> : null}
      </section>

      <section aria-labelledby="deloads-heading">
        <h2 id="deloads-heading">Planned deloads</h2>
        <DeloadCalendar />
      </section>

      <section aria-labelledby="volume-heading">
        <h2 id="volume-heading">Volume per muscle group</h2>
        <MuscleVolume editable />
      </section>

      <section aria-labelledby="coach-notes-heading">
        <h2 id="coach-notes-heading">Notes from your coach</h2>
        <CoachNotes />
      </section>

      <section aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Privacy</h2>
        <PrivacySettings />
      </section>
    </main>
  );
}

/** One exercise's estimated strength week by week, the exercise picked from those with records; its plateau shaded. */
function TrendSection({
  range,
  exercises,
  initialExercise,
  plateaus,
}: {
  range: DashboardRange;
  exercises: string[];
  initialExercise: string | null;
  plateaus: { exercise: string; since: string }[] | undefined;
}) {
  const trpc = useTRPC();
  const [picked, setPicked] = useState<string | null>(initialExercise);
  const exercise = picked && exercises.includes(picked) ? picked : (initialExercise ?? exercises[0] ?? null);
  const history = useQuery({
    ...trpc.analytics.exerciseHistory.queryOptions({ range, exercise: exercise ?? '' }),
    enabled: Boolean(exercise),
  });
  const strength = useQuery({
    ...trpc.analytics.strengthHistory.queryOptions({ range, exercise: exercise ?? '' }),
    enabled: Boolean(exercise),
  });
  return (
    <section aria-labelledby="strength-heading">
      <div className="section-head">
        <h2 id="strength-heading">Estimated strength</h2>
        {exercises.length > 0 ? (
          <label className="inline-field">
            Exercise{' '}
            <select value={exercise ?? ''} onChange={(e) => setPicked(e.target.value)}>
              {exercises.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {(history.isPending || strength.isPending) && exercise ? <Skeleton label="estimated strength" /> : null}
      {history.isError || strength.isError ? (
        <ErrorNotice what="estimated strength" onRetry={() => Promise.all([history.refetch(), strength.refetch()])} />
      ) : null}
      {history.data && strength.data && exercise ? (
        history.data.length === 0 ? (
          <EmptyState title={`No ${exercise} in this range`}>Pick another exercise or a longer range.</EmptyState>
        ) : (
          <StrengthChart
            history={history.data}
            strength={strength.data}
            exercise={exercise}
            plateauSince={plateaus?.find((p) => p.exercise === exercise)?.since}
          />
        )
      ) : null}
    </section>
  );
}
