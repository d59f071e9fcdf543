'use client';

import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatShortDate } from '@/app/_lib/format';
import type { Outputs } from '@/app/_trpc/client';

type History = Outputs['analytics']['exerciseHistory'];

/** Weekly best e1RM of one exercise; a shaded band marks a plateau. */
export function E1rmChart({
  history,
  plateauSince,
  exercise,
}: {
  history: History;
  plateauSince?: string;
  exercise: string;
}) {
  const points = history.filter((h) => h.bestE1rm !== null);
  const last = points.at(-1)?.weekStart;
  return (
    <figure className="chart" data-testid="e1rm-chart" data-points={points.length}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" vertical={false} />
          <XAxis
            dataKey="weekStart"
            tickFormatter={formatShortDate}
            minTickGap={24}
            tick={{ fill: '#4a5059', fontSize: 12 }}
          />
          <YAxis domain={['auto', 'auto']} unit=" kg" width={64} tick={{ fill: '#4a5059', fontSize: 12 }} />
          <Tooltip
            labelFormatter={(v) => `Week of ${formatShortDate(String(v))}`}
            formatter={(v) => [`${v} kg`, 'best e1RM']}
          />
          {plateauSince && last ? (
            <ReferenceArea x1={plateauSince} x2={last} fill="#f5c26b" fillOpacity={0.25} />
          ) : null}
          <Line
            type="linear"
            dataKey="bestE1rm"
            name="best e1RM"
            stroke="#1f5fbf"
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <figcaption className="muted small">
        {exercise}: best estimated 1RM per week (Epley, sets of 1–12 reps){plateauSince ? '; shaded: plateau' : ''}.
      </figcaption>
    </figure>
  );
}
