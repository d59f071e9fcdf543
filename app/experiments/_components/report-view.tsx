'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { ScrollRegion } from '@/app/_components/scroll-region';
import { formatDate, formatShortDate } from '@/app/_lib/format';
import { type Outputs, useTRPC } from '@/app/_trpc/client';

type Report = Outputs['experiments']['report'];
type Metric = Report['primary'];

const COLOURS = ['#1f5fbf', '#c2410c', '#0f766e', '#7a3fbf', '#a16207'];
const tick = { fill: '#4a5059', fontSize: 12 };

const num = (x: number | null | undefined) => {
  if (x === null || x === undefined) return '—';
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 1 ? x.toFixed(2) : a === 0 ? '0' : x.toPrecision(2);
};
const signed = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${num(Math.abs(x))}`;
/** A difference's interval carries signs; a value's does not. */
const range = (r: readonly [number, number] | null | undefined) => (r ? `${signed(r[0])} to ${signed(r[1])}` : '—');
const span = (r: readonly [number, number] | null | undefined) => (r ? `${num(r[0])} to ${num(r[1])}` : '—');

export function ReportView({ experimentKey }: { experimentKey: string }) {
  const trpc = useTRPC();
  const [mde, setMde] = useState<number | undefined>(undefined);
  const report = useQuery({
    ...trpc.experiments.report.queryOptions({ key: experimentKey, mde }),
    placeholderData: (previous) => previous,
  });
  const notFound = report.error?.data?.code === 'NOT_FOUND';
  return (
    <main>
      <p className="small">
        <Link href="/experiments">← All experiments</Link>
      </p>
      <h1>Experiment {experimentKey}</h1>
      {report.isPending ? <Skeleton label="the report" height={420} /> : null}
      {notFound ? (
        <EmptyState title="No such experiment">
          There is no experiment {experimentKey}. <Link href="/experiments">See them all</Link>.
        </EmptyState>
      ) : null}
      {report.isError && !notFound ? <ErrorNotice what="the report" onRetry={() => report.refetch()} /> : null}
      {report.data ? <ReportBody report={report.data} onMde={setMde} /> : null}
    </main>
  );
}

function ReportBody({ report: r, onMde }: { report: Report; onMde: (mde: number | undefined) => void }) {
  const e = r.experiment;
  return (
    <>
      <p>
        <span className="badge">{e.status}</span> {e.hypothesis}
      </p>
      <p className="muted small">
        {r.window
          ? `Complete weeks ${formatDate(r.window.start_week)} – ${formatDate(r.window.last_week)} (${r.window.weeks}).`
          : e.start_week
            ? `No complete week yet: the arms decide from the week of ${formatDate(e.start_week)}.`
            : 'A draft: not started.'}{' '}
        Analysed: {r.population === 'exposed' ? 'lifters whose app was served the arm' : 'every lifter assigned'}.
      </p>
      <Srm report={r} />
      <Attrition report={r} />
      <p className="verdict" data-testid="verdict" data-code={r.verdict.code}>
        <strong>Verdict:</strong> {r.verdict.line}
      </p>
      <Arms report={r} />
      <section aria-labelledby="primary-heading">
        <h2 id="primary-heading">Primary metric: {r.primary.label}</h2>
        <MetricTable metric={r.primary} />
        <PrimaryChart report={r} />
        <Subgroups report={r} />
      </section>
      {r.guardrails.length ? (
        <section aria-labelledby="guardrails-heading">
          <h2 id="guardrails-heading">Guardrails</h2>
          <div className="chart-pair" data-testid="guardrails">
            {r.guardrails.map((g) => (
              <GuardrailChart key={g.metric} metric={g} />
            ))}
          </div>
          {r.guardrails.map((g) => (
            <MetricTable key={g.metric} metric={g} />
          ))}
        </section>
      ) : null}
      <Planning report={r} onMde={onMde} />
      <OffPolicy report={r} />
    </>
  );
}

/** The primary metric by training level and sex: each arm's difference with its corrected always-valid interval. */
function Subgroups({ report: r }: { report: Report }) {
  if (r.subgroups.length === 0) return null;
  const treatments = r.arms.slice(1).map((a) => a.name);
  const alpha = r.subgroups[0]!.alpha;
  return (
    <ScrollRegion label="By training level and sex, scrollable">
      <table aria-label="By training level and sex" data-testid="subgroups">
        <caption className="muted small">
          By training level at the start (estimated strength against the ExRx standards) and by sex; intervals at{' '}
          {+(100 * (1 - alpha)).toFixed(1)}%, corrected for the {r.subgroups.length} subgroups.
        </caption>
        <thead>
          <tr>
            <th scope="col">Lifters</th>
            <th scope="col">Per arm</th>
            {treatments.map((t) => (
              <th scope="col" key={t}>
                {t} − control (always-valid)
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {r.subgroups.map((g) => (
            <tr key={g.group}>
              <th scope="row">{g.group}</th>
              <td>{g.primary.arms.map((a) => a.n).join(' / ')}</td>
              {g.primary.comparisons.map((c) => (
                <td key={c.arm}>
                  {signed(c.difference)} ({range(c.always_valid)})
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function Srm({ report: r }: { report: Report }) {
  const split = r.srm.counts.map((c, i) => `${r.arms[i]?.name} ${c}`).join(', ');
  const plan = r.srm.expected_shares.map((s) => `${Math.round(s * 100)}%`).join(' / ');
  return r.srm.mismatch ? (
    <div role="alert" className="notice notice-error" data-testid="srm">
      <p>
        <strong>Sample-ratio mismatch</strong> (p = {r.srm.p_value.toPrecision(2)}): {split} against a {plan} plan. The
        split is broken — find why before trusting any number below.
      </p>
    </div>
  ) : (
    <p className="notice notice-good small" data-testid="srm">
      Split as planned: {split} against {plan} (sample-ratio check p = {r.srm.p_value.toPrecision(2)}; flagged below
      0.001).
    </p>
  );
}

/** Shown only when it matters: the arms losing lifters unevenly. */
function Attrition({ report: r }: { report: Report }) {
  if (!r.attrition.mismatch) return null;
  const kept = r.attrition.counts.map((c, i) => `${r.arms[i]?.name} ${c} of ${r.srm.counts[i]}`).join(', ');
  return (
    <div role="alert" className="notice notice-error" data-testid="attrition">
      <p>
        <strong>Uneven attrition</strong> (p = {r.attrition.p_value.toPrecision(2)}): lifters with an outcome {kept}.
        The arms lose lifters unevenly, so the comparison is biased: read the dropout guardrail.
      </p>
    </div>
  );
}

function Arms({ report: r }: { report: Report }) {
  return (
    <ScrollRegion label="Arms, scrollable">
      <table aria-label="Arms">
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Policy</th>
            <th scope="col">Weight</th>
            <th scope="col">Assigned</th>
            <th scope="col">Exposed</th>
            <th scope="col">Analysed</th>
            <th scope="col">Coach overrides</th>
          </tr>
        </thead>
        <tbody>
          {r.arms.map((a) => (
            <tr key={a.name}>
              <th scope="row">{a.name}</th>
              <td>
                <code>{a.policy}</code>
              </td>
              <td>{Math.round(a.weight * 100)}%</td>
              <td>{a.assigned}</td>
              <td>{a.exposed}</td>
              <td>{a.analysed}</td>
              <td>{a.coach_overrides}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function MetricTable({ metric: m }: { metric: Metric }) {
  return (
    <ScrollRegion label={`${m.label}, scrollable`}>
      <table aria-label={m.label} data-testid={`metric-${m.metric}`}>
        <caption className="muted small">
          {m.label} ({m.unit}; {m.better} is better
          {m.margin === null ? '' : `; may be ${num(m.margin)} worse than control and still ship`})
        </caption>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">Value</th>
            <th scope="col">95% interval</th>
            <th scope="col">Always-valid 95%</th>
            <th scope="col">p</th>
            <th scope="col">Test (Holm)</th>
            <th scope="col">Lifters</th>
          </tr>
        </thead>
        <tbody>
          {m.arms.map((a) => (
            <tr key={a.name}>
              <th scope="row">{a.name}</th>
              <td>{num(a.mean)}</td>
              <td>{span(a.interval)}</td>
              <td />
              <td />
              <td />
              <td>{a.n}</td>
            </tr>
          ))}
          {m.comparisons.flatMap((c) => [
            <tr key={c.arm}>
              <th scope="row">
                {c.arm} − control{c.cuped ? ' (CUPED)' : ''}
              </th>
              <td>{signed(c.difference)}</td>
              <td>{range(c.interval)}</td>
              <td>{range(c.always_valid)}</td>
              <td>{c.p_value === null ? '—' : c.p_value.toPrecision(2)}</td>
              <td data-testid={`decision-${m.metric}-${c.arm}`}>{decisionText(c.decision)}</td>
              <td />
            </tr>,
            c.cuped && c.unadjusted ? (
              <tr key={`${c.arm}-raw`}>
                <th scope="row">{c.arm} − control (unadjusted)</th>
                <td>{signed(c.unadjusted.difference)}</td>
                <td>{range(c.unadjusted.interval)}</td>
                <td>{range(c.unadjusted.always_valid)}</td>
                <td>{c.unadjusted.p_value.toPrecision(2)}</td>
                <td />
                <td />
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The verdict's test of a comparison, in words: what it showed, and its Holm-adjusted p-value. */
function decisionText(d: Metric['comparisons'][number]['decision']): string {
  if (!d) return '—';
  const shown = d.test === 'superiority' ? 'better' : 'within margin';
  if (d.harmful)
    return `${d.test === 'superiority' ? 'worse' : 'past margin'} (p ${d.harm_holm_p_value.toPrecision(2)})`;
  return d.passed ? `${shown} (p ${d.holm_p_value.toPrecision(2)})` : `not shown (p ${d.holm_p_value.toPrecision(2)})`;
}

/** Each arm's mean at every weekly look, with its 95 % interval as a band. */
function PrimaryChart({ report: r }: { report: Report }) {
  const names = r.arms.map((a) => a.name);
  const data = r.series.map((s) => {
    const point: Record<string, unknown> = { week: s.week };
    s.primary.arms.forEach((a, i) => {
      if (a.n === 0) return;
      point[names[i]!] = a.mean;
      if (a.interval) point[`${names[i]} 95%`] = a.interval;
    });
    return point;
  });
  if (data.length === 0)
    return <p className="muted">No complete week yet: the chart starts after the first week under the arms.</p>;
  return (
    <figure className="chart" data-testid="primary-chart">
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="week" tickFormatter={formatShortDate} minTickGap={24} tick={tick} />
          <YAxis width={52} tick={tick} tickFormatter={(v) => num(Number(v))} />
          <Tooltip
            labelFormatter={(v) => `Up to the week of ${formatShortDate(String(v))}`}
            formatter={(v) => (Array.isArray(v) ? span(v as [number, number]) : num(Number(v)))}
          />
          <Legend />
          {names.map((name, i) => (
            <Area
              key={`${name}-band`}
              dataKey={`${name} 95%`}
              stroke="none"
              fill={COLOURS[i % COLOURS.length]}
              fillOpacity={0.15}
              isAnimationActive={false}
              legendType="none"
            />
          ))}
          {names.map((name, i) => (
            <Line
              key={name}
              dataKey={name}
              stroke={COLOURS[i % COLOURS.length]}
              strokeWidth={2}
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="muted small">
        {r.primary.label} ({r.primary.unit}) per arm as it stood at each weekly look, with its 95% interval.
      </figcaption>
    </figure>
  );
}

function GuardrailChart({ metric: m }: { metric: Metric }) {
  const data = m.arms.map((a) => ({
    arm: a.name,
    mean: a.mean,
    error: a.interval ? [a.mean - a.interval[0], a.interval[1] - a.mean] : [0, 0],
  }));
  return (
    <figure className="chart" data-testid={`guardrail-${m.metric}`}>
      <ResponsiveContainer width="100%" height={160}>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" vertical={false} />
          <XAxis dataKey="arm" tick={tick} />
          <YAxis width={52} tick={tick} tickFormatter={(v) => num(Number(v))} />
          <Tooltip formatter={(v) => num(Number(v))} />
          <Bar dataKey="mean" name={m.label} fill="#1f5fbf" isAnimationActive={false}>
            <ErrorBar dataKey="error" width={8} stroke="#1b1f24" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted small">
        {m.label} ({m.unit}; {m.better} is better), per arm with its 95% interval.
      </figcaption>
    </figure>
  );
}

function Planning({ report: r, onMde }: { report: Report; onMde: (mde: number | undefined) => void }) {
  const p = r.planning;
  const [value, setValue] = useState(String(Number(p.mde.toPrecision(3))));
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const x = Number(value);
    if (!(x > 0) || x > 1000) {
      setError('a positive number, in the metric’s unit');
      return;
    }
    setError(null);
    onMde(x);
  }
  return (
    <section aria-labelledby="planning-heading" className="card" data-testid="planning">
      <h2 id="planning-heading">Planning</h2>
      <p className="small">
        From {p.lifters} lifters’ last weeks before the start: mean {num(p.mean)}, variance {num(p.variance)}
        {p.correlation === null ? '' : `, correlation with the weeks before ${num(p.correlation)}`}.
      </p>
      <p>
        To detect a difference of <strong>{num(p.mde)}</strong> with {Math.round(p.power * 100)}% power:{' '}
        <strong data-testid="lifters-per-arm">{p.lifters_per_arm ?? '—'}</strong> lifters per arm, or{' '}
        <strong>{p.lifters_per_arm_cuped ?? '—'}</strong> with CUPED — planned for the always-valid interval the verdict
        reads every week (±{num(p.halfwidth_se)} standard errors at that size, against ±1.96 for a single look; save it
        as the planned lifters per arm).
        {p.power_now === null ? '' : ` With the lifters analysed now, the power is ${Math.round(p.power_now * 100)}%.`}
      </p>
      <form onSubmit={submit} className="row" noValidate>
        <label>
          Minimal detectable effect
          <input
            type="number"
            step="any"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? 'mde-error' : undefined}
          />
          {error ? (
            <span id="mde-error" className="field-error">
              {error}
            </span>
          ) : null}
        </label>
        <button type="submit" className="secondary">
          Recalculate
        </button>
      </form>
    </section>
  );
}

function OffPolicy({ report: r }: { report: Report }) {
  const o = r.off_policy;
  if (!o)
    return (
      <p className="muted small">
        No off-policy estimates: no arm explored (give an arm an exploration ε to estimate policies it did not serve).
      </p>
    );
  return (
    <section aria-labelledby="ope-heading">
      <h2 id="ope-heading">Off-policy estimates</h2>
      <p className="muted small">
        What each policy&rsquo;s step would have earned in {o.reward}, estimated from {o.decisions} explored decisions
        of {o.lifters} lifters{o.weeks ? ` decided for ${o.weeks.from} to ${o.weeks.to}` : ''} ({o.stored_contexts} with
        the context stored when decided) by inverse propensity scoring (IPS), self-normalised IPS (SNIPS) and doubly
        robust (DR, {o.outcome_model ?? 'unavailable: too few decisions to fit an outcome model'}). Weights capped at{' '}
        {o.clip_weight}.
      </p>
      <ScrollRegion label="Off-policy estimates, scrollable">
        <table aria-label="Off-policy estimates">
          <thead>
            <tr>
              <th scope="col">Policy</th>
              <th scope="col">IPS</th>
              <th scope="col">SNIPS</th>
              <th scope="col">DR</th>
              <th scope="col">Effective sample</th>
              <th scope="col">Support</th>
              <th scope="col">Trust</th>
            </tr>
          </thead>
          <tbody>
            {o.estimates.map((x) => (
              <tr key={x.policy}>
                <th scope="row">
                  <code>{x.policy}</code>
                  {x.served ? ' (served)' : ''}
                </th>
                <td>
                  {num(x.ips.value)} ({span(x.ips.interval)})
                </td>
                <td>{x.snips ? `${num(x.snips.value)} (${span(x.snips.interval)})` : '—'}</td>
                <td>{x.dr ? `${num(x.dr.value)} (${span(x.dr.interval)})` : '—'}</td>
                <td>
                  {Math.round(x.effective_sample_size)}
                  {x.clipped ? ` (${x.clipped} clipped)` : ''}
                </td>
                <td>{Math.round(x.support * 100)}%</td>
                <td>{x.thin ? 'support too thin' : 'ok'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
