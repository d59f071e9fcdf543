import { formatDate, kg } from '@/app/_lib/format';
import type { Outputs } from '@/app/_trpc/client';

type Plateau = Outputs['analytics']['plateaus'][number];

export function PlateauList({ plateaus }: { plateaus: Plateau[] }) {
  if (plateaus.length === 0) {
    return <p className="notice notice-good">No plateaus: every lift you train regularly is still moving.</p>;
  }
  return (
    <ul className="plateaus" aria-label="Plateaus">
      {plateaus.map((p) => (
        <li key={p.exercise} className="notice notice-warn" data-exercise={p.exercise}>
          <strong>{p.exercise}</strong> has not beaten its best e1RM by 1% for <strong>{p.weeks} weeks</strong>, since{' '}
          {formatDate(p.since)} (best {kg(p.bestE1rm)}, last {kg(p.lastE1rm)}).
        </li>
      ))}
    </ul>
  );
}
