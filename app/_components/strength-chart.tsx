'use client';

import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatShortDate } from '@/app/_lib/format';
import type { Outputs } from '@/app/_trpc/client';

type History = Outputs['analytics']['exerciseHistory'];
type Strength = Outputs['analytics']['strengthHistory'];

interface Week {
  weekStart: string;
  bestE1rm?: number;
  estimate?: number;
  band?: [number, number];
}

/** The weeks of both series, in order: the week's best e1RM and the estimate with its band. */
function weeksOf(history: History, strength: Strength): Week[] {
  const byWeek = new Map<string, Week>();
  const week = (weekStart: string) => byWeek.get(weekStart) ?? byWeek.set(weekStart, { weekStart }).get(weekStart)!;
  for (const h of history) if (h.bestE1rm !== null) week(h.weekStart).bestE1rm = h.bestE1rm;
  for (const s of strength) Object.assign(week(s.weekStart), { estimate: s.estimateKg, band: [s.lowKg, s.highKg] });
  return [...byWeek.values()].sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1));
}

/**
 * Estimated strength of one exercise: the estimate as a line inside its 90 % band, each week's best e1RM as a
 * dot, a plateau shaded. A light week lowers its dot, not the line.
 */
export function StrengthChart({
  history,
  strength,
  plateauSince,
  exercise,
}: {
  history: History;
  strength: Strength;
  plateauSince?: string;
  exercise: string;
}) {
  const weeks = weeksOf(history, strength);
  const dots = weeks.filter((w) => w.bestE1rm !== undefined).length;
  const last = weeks.at(-1)?.weekStart;
  return (
    <figure className="chart" data-testid="strength-chart" data-points={dots} data-estimates={strength.length}>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={weeks} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
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
            formatter={(v, name) => [Array.isArray(v) ? `${v[0]}–${v[1]} kg` : `${v} kg`, name]}
          />
          {plateauSince && last ? (
            <ReferenceArea x1={plateauSince} x2={last} fill="#f5c26b" fillOpacity={0.25} />
          ) : null}
          <Area
            type="monotone"
            dataKey="band"
            name="90 % interval"
            stroke="none"
            fill="#1f5fbf"
            fillOpacity={0.15}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            type="monotone"
            dataKey="estimate"
            name="estimated 1RM"
            stroke="#1f5fbf"
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          <Scatter dataKey="bestE1rm" name="week's best e1RM" fill="#4a5059" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="muted small">
        {exercise}: estimated one-rep max with its 90 % interval (line and band) and each week’s best e1RM (dots, Epley)
        {plateauSince ? '; shaded: plateau' : ''}.
      </figcaption>
    </figure>
  );
}
