import { ScrollRegion } from '@/app/_components/scroll-region';
import { formatDate, signedPct } from '@/app/_lib/format';
import type { Outputs } from '@/app/_trpc/client';

type Overlay = Outputs['modifiers']['current'];

export function ModifiersTable({ overlay }: { overlay: Overlay }) {
  return (
    <>
      {overlay.deloads.map((d) => (
        <p key={d.planId} className="notice" data-testid="deload-this-week">
          <strong>Deload week</strong>
          {d.loadFactor < 1 ? ` — load ${Math.round(d.loadFactor * 100)}%` : ''}
          {d.setFactor < 1 ? ` — sets ${Math.round(d.setFactor * 100)}%` : ''}
          {d.exercises ? ` for ${d.exercises.join(', ')}` : ' for every exercise'} ({d.reason}).
        </p>
      ))}
      {overlay.modifiers.length === 0 ? (
        <p className="muted">No adjustments yet: the app uses its own recommendations unchanged.</p>
      ) : (
        <Modifiers overlay={overlay} />
      )}
    </>
  );
}

function Modifiers({ overlay }: { overlay: Overlay }) {
  return (
    <ScrollRegion label="Current modifiers, scrollable">
      <table aria-label="Current modifiers">
        <thead>
          <tr>
            <th scope="col">Exercise</th>
            <th scope="col">Load</th>
            <th scope="col">Reps</th>
            <th scope="col">Why</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {overlay.modifiers.map((m) => (
            <tr key={m.exercise}>
              <th scope="row">{m.exercise}</th>
              <td>
                × {m.multiplier.toFixed(3)} <span className="muted small">({signedPct(m.multiplier)})</span>
              </td>
              <td>{m.repDelta === 0 ? '±0' : m.repDelta}</td>
              <td className="small">
                {m.source === 'coach' ? <span className="badge">coach</span> : null} {m.reason}
              </td>
              <td className="small">{formatDate(m.weekStart)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
