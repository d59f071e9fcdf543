const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const short = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** 'YYYY-MM-DD' → '12 Oct 2026' (calendar dates are zone-less: format them in UTC). */
export const formatDate = (date: string) => day.format(new Date(`${date}T00:00:00Z`));
export const formatShortDate = (date: string) => short.format(new Date(`${date}T00:00:00Z`));
export const kg = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${Number(x.toFixed(1))} kg`;
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`);
export const signedPct = (multiplier: number) => {
  const p = Math.round((multiplier - 1) * 1000) / 10;
  return p === 0 ? '±0%' : `${p > 0 ? '+' : '−'}${Math.abs(p)}%`;
};
