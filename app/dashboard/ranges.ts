/** The dashboard's range picker; the value lives in the URL (`?range=`). */
export const DASHBOARD_RANGES = [
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '1y', label: '1 year' },
  { value: 'all', label: 'All time' },
] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number]['value'];
const DEFAULT_RANGE: DashboardRange = '90d';

export function parseDashboardRange(value: unknown): DashboardRange {
  return DASHBOARD_RANGES.some((r) => r.value === value) ? (value as DashboardRange) : DEFAULT_RANGE;
}
