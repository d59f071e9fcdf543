'use client';

import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState, ErrorNotice, Skeleton } from '@/app/_components/query-state';
import { ScrollRegion } from '@/app/_components/scroll-region';
import { formatDate, formatShortDate } from '@/app/_lib/format';
import { type Outputs, useTRPC } from '@/app/_trpc/client';

type Report = Outputs['models']['list'][number];

const f = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);
const tick = { fill: '#4a5059', fontSize: 12 };

export function ModelsView() {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions());
  return (
    <main>
      <h1>Models</h1>
      <p className="muted">
        Models of P(success next week | context, load), trained offline on opted-in lifters’ decision rows. In shadow,
        each proposes a decision for every lifter beside the served one, without serving it.
      </p>
      {models.isPending ? <Skeleton label="the models" /> : null}
      {models.isError ? <ErrorNotice what="the models" onRetry={() => models.refetch()} /> : null}
      {models.data && models.data.length === 0 ? (
        <EmptyState title="No models yet">
          Train one with <code>npm run model:train</code>, then propose with it in shadow (
          <code>SHADOW_POLICIES=model@1</code>).
        </EmptyState>
      ) : null}
      {models.data?.map((m) => (
        <ModelCard key={m.version} report={m} />
      ))}
    </main>
  );
}

function ModelCard({ report: m }: { report: Report }) {
  const proposals = m.shadow.reduce((a, w) => a + w.proposals, 0);
  const disagreements = m.shadow.reduce((a, w) => a + w.disagreements, 0);
  const chart = m.shadow.filter((w) => w.observedCount > 0);
  return (
    <section className="card stack" aria-labelledby={`model-${m.version}`} data-testid={`model-${m.version}`}>
      <h2 id={`model-${m.version}`}>
        model@{m.version} <span className="muted small">trained {formatDate(m.createdAt.slice(0, 10))}</span>
      </h2>
      <p className="small">
        Weeks {formatDate(m.window.from)} – {formatDate(m.window.to)}, validated from{' '}
        {formatDate(m.window.validationFrom)} ({m.rows.train.toLocaleString('en')} training and{' '}
        {m.rows.validation.toLocaleString('en')} validation rows); proposes the step it expects to make the lifter
        strongest over four weeks among those with p(success) ≥ {pct(m.target)}. {m.library}.
      </p>
      {m.offline.gain ? (
        <p className="small" data-testid={`model-${m.version}-gain`}>
          Strength gain head: fitted on {m.offline.gain.trainRows.toLocaleString('en')}{' '}
          {m.offline.gain.fittedOn === 'explored'
            ? 'explored decisions, weighted by 1/propensity'
            : 'served decisions — too few explored: the step is confounded with the context that chose it'}
          ; on the validation weeks its error (RMSE) is {f(m.offline.gain.rmse)} against {f(m.offline.gain.meanRmse)}{' '}
          for the training mean.
        </p>
      ) : null}
      <h3>Offline, on the validation weeks</h3>
      <ScrollRegion label={`model@${m.version} offline metrics, scrollable`}>
        <table aria-label={`model@${m.version}: p(success) against its baselines`}>
          <thead>
            <tr>
              <th scope="col">Predictor</th>
              <th scope="col">Log loss</th>
              <th scope="col">Brier</th>
              <th scope="col">AUC</th>
              <th scope="col">Calibration error</th>
            </tr>
          </thead>
          <tbody>
            {(
              [
                ['this model', m.offline.model],
                ['base rate', m.offline.baseRate],
                ['last week’s rate', m.offline.lastWeek],
              ] as const
            ).map(([name, metrics]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{f(metrics.logLoss)}</td>
                <td>{f(metrics.brier)}</td>
                <td>{f(metrics.auc)}</td>
                <td>{f(metrics.ece)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <h3>In shadow</h3>
      {proposals === 0 ? (
        <p className="muted">No proposals yet: add model@{m.version} to SHADOW_POLICIES and let the weekly job run.</p>
      ) : (
        <>
          <p data-testid="shadow-summary">
            {proposals.toLocaleString('en')} proposals; differs from what was served in {pct(disagreements / proposals)}
            .
          </p>
          {chart.length > 0 ? (
            <figure className="chart">
              <ResponsiveContainer width="100%" height={240}>
                <LineChart data={chart} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
                  <CartesianGrid stroke="#e3e6ea" vertical={false} />
                  <XAxis dataKey="week" tickFormatter={formatShortDate} minTickGap={24} tick={tick} />
                  <YAxis domain={[0, 1]} tickFormatter={(v) => pct(Number(v))} width={48} tick={tick} />
                  <Tooltip
                    labelFormatter={(v) => `Week of ${formatShortDate(String(v))}`}
                    formatter={(v) => pct(Number(v))}
                  />
                  <Legend />
                  <Line
                    dataKey="predicted"
                    name="predicted success"
                    stroke="#1f5fbf"
                    strokeWidth={2}
                    isAnimationActive={false}
                  />
                  <Line
                    dataKey="observed"
                    name="observed success"
                    stroke="#c2410c"
                    strokeWidth={2}
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
              <figcaption className="muted small">
                Where the served decision and the model’s agreed: its predicted chance of a successful week against how
                many succeeded, by week (calibration on live data).
              </figcaption>
            </figure>
          ) : null}
        </>
      )}
    </section>
  );
}
