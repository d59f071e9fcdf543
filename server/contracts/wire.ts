import type { Analytics } from '@/server/analytics/service';
import type { Overlay } from '@/server/modifiers/overlay';
import type { AnalyticsResponse } from './analytics';
import type { OverlayResponse } from './modifiers';

/**
 * The one place where the service's camelCase meets the contract's wire names (`best_e1rm`, `rep_delta`,
 * `kg_delta`): the REST responses are built from the domain's objects here. Requests keep the wire shape of
 * their zod schemas, which the ingest services read directly.
 */

export function analyticsToWire(a: Analytics): AnalyticsResponse {
  return {
    user_id: a.userId,
    range: a.range,
    prs: Object.fromEntries(a.prs.map((p) => [p.exercise, p.heaviest])),
    pr_dates: Object.fromEntries(a.prs.map((p) => [p.exercise, p.heaviestDate])),
    e1rm_prs: Object.fromEntries(
      a.prs.flatMap((p) =>
        p.e1rm
          ? [[p.exercise, { e1rm: p.e1rm.value, weight: p.e1rm.weight, reps: p.e1rm.reps, date: p.e1rm.date }]]
          : [],
      ),
    ),
    rep_prs: Object.fromEntries(a.prs.map((p) => [p.exercise, p.repPrs])),
    plateaus: a.plateaus.map((p) => ({
      exercise: p.exercise,
      since: p.since,
      weeks: p.weeks,
      best_e1rm: p.bestE1rm,
      last_e1rm: p.lastE1rm,
    })),
    weekly_summary: a.weeklySummary.map((w) => ({
      weekStart: w.weekStart,
      kg_delta: w.kgDelta,
      avg_calories: w.avgCalories,
      sessions: w.sessions,
      sets: w.sets,
      volume_kg: w.volumeKg,
    })),
  };
}

export function overlayToWire(o: Overlay): OverlayResponse {
  return {
    user_id: o.userId,
    week_start: o.weekStart,
    rule_version: o.ruleVersion,
    policy: o.policy,
    ...(o.experiment ? { experiment: o.experiment } : {}),
    modifiers: o.modifiers.map((m) => ({
      exercise: m.exercise,
      multiplier: m.multiplier,
      rep_delta: m.repDelta,
      week_start: m.weekStart,
      source: m.source,
      reason: m.reason,
      rule_version: m.ruleVersion,
      policy: m.policy,
      computed_at: m.computedAt,
    })),
  };
}
