import type { ExperimentReportWire, MetricResultWire } from '@/server/contracts/experiments';

/** The experiment report as text: what `npm run experiment:report` prints, read top to bottom like the page. */

const num = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined ? '—' : Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(digits);
const signed = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${num(x)}`);
const range = (r: [number, number] | null) => (r ? `[${num(r[0])}, ${num(r[1])}]` : '—');

/** The verdict's test of a comparison: what it showed, Holm-adjusted. */
function decisionOf(d: MetricResultWire['comparisons'][number]['decision']): string {
  if (!d) return '';
  if (d.harmful)
    return `  ${d.test === 'superiority' ? 'WORSE' : 'PAST MARGIN'} (Holm p ${num(d.harm_holm_p_value, 2)})`;
  const shown = d.test === 'superiority' ? 'better' : 'within margin';
  return `  ${d.passed ? shown : `${d.test}: not shown`} (Holm p ${num(d.holm_p_value, 2)})`;
}

function metricLines(m: MetricResultWire, indent = '  '): string[] {
  const margin = m.margin === null ? '' : `; margin ${num(m.margin)}`;
  const lines = [`${indent}${m.label} (${m.unit}; ${m.better} is better${margin})`];
  for (const a of m.arms)
    lines.push(`${indent}  ${a.name.padEnd(14)} ${num(a.mean).padStart(9)}  95% ${range(a.interval)}  n=${a.n}`);
  for (const c of m.comparisons) {
    lines.push(
      `${indent}  ${`${c.arm} − control`.padEnd(22)} ${signed(c.difference).padStart(9)}  95% ${range(c.interval)}  always-valid ${range(c.always_valid)}  p=${num(c.p_value, 2)}${c.cuped ? '  (CUPED)' : ''}${decisionOf(c.decision)}`,
    );
    if (c.cuped && c.unadjusted)
      lines.push(
        `${indent}  ${'  unadjusted'.padEnd(22)} ${signed(c.unadjusted.difference).padStart(9)}  95% ${range(c.unadjusted.interval)}  always-valid ${range(c.unadjusted.always_valid)}`,
      );
  }
  return lines;
}

export function reportText(r: ExperimentReportWire): string {
  const e = r.experiment;
  const out: string[] = [];
  out.push(
    `Experiment ${e.key} — ${e.status}${r.window ? `, weeks ${r.window.start_week} … ${r.window.last_week} (${r.window.weeks})` : ', no complete week yet'}`,
  );
  out.push(`  ${e.hypothesis}`);
  out.push('');
  out.push(
    `SRM: ${r.srm.mismatch ? 'MISMATCH — results below cannot be trusted' : 'ok'} (χ² ${num(r.srm.chi_square)}, p ${num(r.srm.p_value, 2)}; ${r.population} lifters ${r.srm.counts.join(' / ')} against weights ${r.srm.expected_shares.join(' / ')})`,
  );
  out.push(
    `Attrition: ${r.attrition.mismatch ? 'UNEVEN — the arms lose lifters unevenly' : 'ok'} (p ${num(r.attrition.p_value, 2)}; lifters with a primary outcome ${r.attrition.counts.join(' / ')})`,
  );
  out.push(`Verdict: ${r.verdict.line}`);
  out.push('');
  out.push('  arm            policy                 assigned  exposed  analysed  coach overrides');
  for (const a of r.arms)
    out.push(
      `  ${a.name.padEnd(14)} ${a.policy.padEnd(22)} ${String(a.assigned).padStart(8)} ${String(a.exposed).padStart(8)} ${String(a.analysed).padStart(9)} ${String(a.coach_overrides).padStart(16)}`,
    );
  out.push('');
  out.push(
    r.winsor > 0
      ? `Primary metric (continuous outcomes capped at the ${+(r.winsor * 100).toFixed(2)} % and ${+(100 - r.winsor * 100).toFixed(2)} % quantiles of all lifters)`
      : 'Primary metric (outcomes not capped)',
  );
  out.push(...metricLines(r.primary));
  if (r.subgroups.length) {
    const level = +(100 * (1 - r.subgroups[0]!.alpha)).toFixed(1);
    out.push(
      '',
      `  By training level and sex (intervals at ${level} %, corrected for ${r.subgroups.length} subgroups)`,
    );
    for (const g of r.subgroups)
      for (const c of g.primary.comparisons)
        out.push(
          `    ${g.group.padEnd(13)} n=${g.primary.arms
            .map((a) => a.n)
            .join('/')
            .padEnd(
              11,
            )} ${`${c.arm} − control`.padEnd(22)} ${signed(c.difference).padStart(9)}  always-valid ${range(c.always_valid)}`,
        );
  }
  if (r.guardrails.length) out.push('', 'Guardrails');
  for (const g of r.guardrails) out.push(...metricLines(g));
  const p = r.planning;
  out.push(
    '',
    `Planning (${p.metric}, from ${p.lifters} lifters’ history): mean ${num(p.mean)}, variance ${num(p.variance)}, correlation with the period before ${num(p.correlation)}`,
  );
  out.push(
    `  to detect ${num(p.mde)} with ${Math.round(p.power * 100)}% power at α ${p.alpha}: ${p.lifters_per_arm ?? '—'} lifters per arm (${p.lifters_per_arm_cuped ?? '—'} with CUPED); power now ${p.power_now === null ? '—' : `${Math.round(p.power_now * 100)}%`}`,
    `  planned for the always-valid interval the verdict reads every week: ±${num(p.halfwidth_se)} SE at that size (one fixed look: ±1.96)`,
  );
  if (r.off_policy) {
    const o = r.off_policy;
    out.push(
      '',
      `Off-policy estimates of ${o.reward}, from ${o.decisions} explored decisions of ${o.lifters} lifters${o.weeks ? ` (weeks ${o.weeks.from} to ${o.weeks.to})` : ''}, ${o.stored_contexts} with stored contexts; weights capped at ${o.clip_weight}`,
      `  outcome model: ${o.outcome_model ?? 'none (too few decisions: no DR)'}`,
    );
    for (const x of o.estimates)
      out.push(
        `  ${x.policy.padEnd(22)} IPS ${num(x.ips.value)} ${range(x.ips.interval)}  SNIPS ${x.snips ? `${num(x.snips.value)} ${range(x.snips.interval)}` : '—'}  DR ${x.dr ? `${num(x.dr.value)} ${range(x.dr.interval)}` : '—'}  ESS ${num(x.effective_sample_size)}${x.clipped ? ` (${x.clipped} clipped)` : ''}  support ${num(x.support, 2)}${x.thin ? '  SUPPORT TOO THIN' : ''}${x.served ? '  (served)' : ''}`,
      );
  }
  return out.join('\n');
}
