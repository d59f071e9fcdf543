import { formatDate, kg } from '@/app/_lib/format';
import type { Outputs } from '@/app/_trpc/client';

type Pr = Outputs['analytics']['prs'][number];

/** One card per exercise: heaviest lift, best estimated 1RM, and when. */
export function PrCards({ prs }: { prs: Pr[] }) {
  return (
    <ul className="grid-cards" aria-label="Personal records">
      {prs.map((p) => (
        <li key={p.exercise} className="card pr-card" data-exercise={p.exercise}>
          <h3>{p.exercise}</h3>
          <p className="pr-value">
            <span className="visually-hidden">Heaviest: </span>
            <strong data-testid="pr-heaviest">{kg(p.heaviest)}</strong>
          </p>
          <p className="muted small">
            heaviest, {formatDate(p.heaviestDate)}
            {p.e1rm ? (
              <>
                <br />
                e1RM {kg(p.e1rm.value)} ({p.e1rm.weight} × {p.e1rm.reps}, {formatDate(p.e1rm.date)})
              </>
            ) : null}
          </p>
        </li>
      ))}
    </ul>
  );
}
