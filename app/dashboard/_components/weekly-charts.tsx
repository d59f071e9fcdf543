'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatShortDate } from '@/app/_lib/format';
import type { Outputs } from '@/app/_trpc/client';

type Weeks = Outputs['analytics']['weeklySummary']['weeks'];
const tick = { fill: '#4a5059', fontSize: 12 };

/** Bodyweight change (bars) against average calories (line), and weekly volume. */
export function WeeklyCharts({ weeks }: { weeks: Weeks }) {
  return (
    <div className="chart-pair">
      <figure className="chart" data-testid="weekly-chart" data-weeks={weeks.length}>
        <ResponsiveContainer width="100%" height={260}>
          <ComposedChart data={weeks} margin={{ top: 8, right: 4, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="#e3e6ea" vertical={false} />
            <XAxis dataKey="weekStart" tickFormatter={formatShortDate} minTickGap={24} tick={tick} />
            <YAxis yAxisId="kg" unit=" kg" width={56} tick={tick} />
            <YAxis yAxisId="kcal" orientation="right" width={48} tick={tick} domain={['auto', 'auto']} />
            <Tooltip labelFormatter={(v) => `Week of ${formatShortDate(String(v))}`} />
            <Legend />
            <Bar
              yAxisId="kg"
              dataKey="kgDelta"
              name="bodyweight change (kg)"
              fill="#3f8f5b"
              isAnimationActive={false}
            />
            <Line
              yAxisId="kcal"
              dataKey="avgCalories"
              name="avg calories"
              stroke="#b35c00"
              strokeWidth={2}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
        <figcaption className="muted small">
          Bodyweight change per week and average calories on training days.
        </figcaption>
      </figure>
      <figure className="chart" data-testid="volume-chart">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={weeks} margin={{ top: 8, right: 4, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="#e3e6ea" vertical={false} />
            <XAxis dataKey="weekStart" tickFormatter={formatShortDate} minTickGap={24} tick={tick} />
            <YAxis width={64} tick={tick} tickFormatter={(v: number) => `${Math.round(v / 1000)}t`} />
            <Tooltip
              labelFormatter={(v) => `Week of ${formatShortDate(String(v))}`}
              formatter={(v) => [`${v} kg`, 'volume']}
            />
            <Bar dataKey="volumeKg" name="volume (kg)" fill="#1f5fbf" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <figcaption className="muted small">Weekly volume: weight × reps over done sets (t = 1,000 kg).</figcaption>
      </figure>
    </div>
  );
}
