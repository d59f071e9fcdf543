import Link from 'next/link';
import { DASHBOARD_RANGES, type DashboardRange } from '../ranges';

/** Plain links: the range lives in the URL, so it survives reloads and can be shared. */
export function RangePicker({ value, basePath }: { value: DashboardRange; basePath: string }) {
  return (
    <nav aria-label="Range" className="segmented">
      {DASHBOARD_RANGES.map((r) => (
        <Link
          key={r.value}
          href={`${basePath}?range=${r.value}`}
          aria-current={r.value === value ? 'page' : undefined}
          scroll={false}
        >
          {r.label}
        </Link>
      ))}
    </nav>
  );
}
