'use client';

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatShortDate } from '@/app/_lib/format';

export interface StepPoint {
  weekStart: string;
  multiplier: number;
}

/** The multiplier in force week by week, as steps: it holds until the next decision. */
export function ModifierStepChart({ points, exercise }: { points: StepPoint[]; exercise: string }) {
  return (
    <figure className="chart" data-testid="modifier-chart" data-points={points.length}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" vertical={false} />
          <XAxis
            dataKey="weekStart"
            tickFormatter={formatShortDate}
            minTickGap={24}
            tick={{ fill: '#4a5059', fontSize: 12 }}
          />
          <YAxis
            domain={[0.8, 1.25]}
            width={48}
            tick={{ fill: '#4a5059', fontSize: 12 }}
            tickFormatter={(v: number) => `×${v.toFixed(2)}`}
          />
          <Tooltip
            labelFormatter={(v) => `Week of ${formatShortDate(String(v))}`}
            formatter={(v) => [`× ${Number(v).toFixed(3)}`, 'multiplier']}
          />
          <Line
            type="stepAfter"
            dataKey="multiplier"
            stroke="#7a3fbf"
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <figcaption className="muted small">{exercise}: load multiplier in force each week.</figcaption>
    </figure>
  );
}
