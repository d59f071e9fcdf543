import { round2 } from '@/server/analytics/e1rm';
import { HARD_RIR, HARD_RPE } from '@/server/analytics/hard-sets';
import type { Analytics } from '@/server/analytics/service';
import type { volumeOf } from '@/server/analytics/volume';
import type { InviteInfo } from '@/server/coaching/invites';
import type { LinkEvent } from '@/server/coaching/links';
import type { SessionNote } from '@/server/coaching/session-notes';
import type { AnalyticsResponse } from '@/server/contracts/analytics';
import type { InviteWire } from '@/server/contracts/coaching';
import type { ExperimentReportWire, MetricResultWire } from '@/server/contracts/experiments';
import type { OverlayResponse } from '@/server/contracts/modifiers';
import type { SessionWire } from '@/server/contracts/sessions';
import type { StoredPlan } from '@/server/deloads/deloads';
import { deloadWeeksOf } from '@/server/deloads/plans';
import type { MetricResult } from '@/server/experiments/analysis';
import type { ExperimentReport } from '@/server/experiments/report';
import type { Overlay } from '@/server/modifiers/overlay';
import type { StoredSession } from '@/server/sessions/session-reads';

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
    strength: Object.fromEntries(
      a.strength.map((p) => [
        p.exercise,
        {
          estimate_kg: round2(p.estimateKg),
          low_kg: round2(p.lowKg),
          high_kg: round2(p.highKg),
          trend_pct_per_week: round2(p.trendPctPerWeek),
          as_of: p.date,
        },
      ]),
    ),
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
    deloads: o.deloads.map((d) => ({
      plan_id: d.planId,
      exercises: d.exercises,
      load_factor: d.loadFactor,
      set_factor: d.setFactor,
      reason: d.reason,
    })),
  };
}

export function deloadPlanToWire(p: StoredPlan) {
  return {
    id: p.id,
    user_id: p.userId,
    kind: p.kind,
    week_start: p.startWeek,
    build_weeks: p.buildWeeks,
    deload_weeks: p.deloadWeeks,
    cycles: p.cycles,
    exercises: p.exercises,
    load_factor: p.loadFactor,
    set_factor: p.setFactor,
    planned_by: p.plannedBy,
    source: p.source,
    note: p.note,
    created_at: p.createdAt.toISOString(),
    cancelled_from: p.cancelledFrom,
    weeks: deloadWeeksOf(p),
  };
}

function metricToWire(r: MetricResult): MetricResultWire {
  return {
    metric: r.metric,
    label: r.label,
    unit: r.unit,
    better: r.better,
    margin: r.margin ?? null,
    arms: r.arms.map((a, i) => ({ name: r.armNames[i]!, mean: a.mean, n: a.n, interval: a.interval })),
    comparisons: r.comparisons.map((c) => ({
      arm: c.arm,
      difference: c.result?.difference ?? null,
      relative: c.relative,
      standard_error: c.result?.standardError ?? null,
      interval: c.result?.interval ?? null,
      p_value: c.result?.pValue ?? null,
      always_valid: c.result?.alwaysValid ?? null,
      cuped: c.cuped,
      unadjusted: c.unadjusted
        ? {
            difference: c.unadjusted.difference,
            interval: c.unadjusted.interval,
            always_valid: c.unadjusted.alwaysValid,
            p_value: c.unadjusted.pValue,
          }
        : null,
      decision: c.decision
        ? {
            test: c.decision.test,
            null_value: c.decision.nullValue,
            p_value: c.decision.pValue,
            holm_p_value: c.decision.holmPValue,
            passed: c.decision.passed,
            harm_p_value: c.decision.harmPValue,
            harm_holm_p_value: c.decision.harmHolmPValue,
            harmful: c.decision.harmful,
          }
        : null,
    })),
  };
}

export function reportToWire(r: ExperimentReport): ExperimentReportWire {
  const { analysis: a, planning: p, offPolicy: o } = r;
  return {
    experiment: r.experiment,
    as_of: r.asOf.toISOString(),
    window: r.window ? { start_week: r.window.startWeek, last_week: r.window.lastWeek, weeks: r.window.weeks } : null,
    population: a.population,
    arms: a.arms.map((arm) => ({
      name: arm.name,
      policy: arm.policy,
      weight: arm.weight,
      assigned: arm.assigned,
      exposed: arm.exposed,
      analysed: arm.analysed,
      coach_overrides: arm.coachOverrides,
    })),
    winsor: a.winsor,
    attrition: {
      p_value: a.attrition.pValue,
      chi_square: a.attrition.chiSquare,
      mismatch: a.attrition.mismatch,
      counts: a.attrition.counts,
    },
    srm: {
      p_value: a.srm.pValue,
      chi_square: a.srm.chiSquare,
      mismatch: a.srm.mismatch,
      counts: a.srm.counts,
      expected_shares: a.srm.expectedShares,
    },
    verdict: a.verdict,
    primary: metricToWire(a.primary),
    guardrails: a.guardrails.map(metricToWire),
    subgroups: a.subgroups.map((g) => ({
      dimension: g.dimension,
      group: g.group,
      alpha: g.alpha,
      primary: metricToWire(g.primary),
    })),
    series: r.series.map((s) => ({ week: s.week, primary: metricToWire(s.primary) })),
    planning: {
      metric: p.metric,
      lifters: p.lifters,
      mean: p.mean,
      variance: p.variance,
      correlation: p.correlation,
      variance_cuped: p.varianceCuped,
      mde: p.mde,
      power: p.power,
      alpha: p.alpha,
      lifters_per_arm: p.liftersPerArm,
      lifters_per_arm_cuped: p.liftersPerArmCuped,
      power_now: p.powerNow,
      design: p.design,
      halfwidth_se: p.halfwidthSe,
    },
    off_policy: o
      ? {
          reward: o.reward,
          outcome_model: o.outcomeModel,
          weeks: o.weeks,
          decisions: o.decisions,
          stored_contexts: o.storedContexts,
          lifters: o.lifters,
          clip_weight: o.clipWeight,
          estimates: o.estimates.map((e) => ({
            policy: e.policy,
            served: e.served,
            decisions: e.decisions,
            matched: e.matched,
            support: e.support,
            effective_sample_size: e.effectiveSampleSize,
            clipped: e.clipped,
            ips: e.ips,
            snips: e.snips,
            dr: e.dr,
            thin: e.thin,
          })),
        }
      : null,
  };
}

/** A stored session on the wire: the instant the app sent when it sent one, else the calendar date. */
export function sessionToWire(s: StoredSession): SessionWire {
  return {
    session_id: s.id,
    user_id: s.userId,
    date: s.performedAt?.toISOString() ?? s.date,
    calendar_date: s.date,
    day_type: s.dayType,
    finished: s.finished,
    calories: s.calories,
    sets: s.sets.map((x) => ({
      exercise: x.exercise,
      set_number: x.setNumber,
      rec_weight: x.recWeight,
      rec_reps: x.recReps,
      actual_weight: x.actualWeight,
      actual_reps: x.actualReps,
      intensity: x.intensity,
      done: x.done,
    })),
    rec_meta: s.recMeta,
    version: s.version,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

export function sessionNoteToWire(n: SessionNote) {
  return {
    note_id: n.id,
    session_id: n.sessionId,
    coach_id: n.coachId,
    note: n.note,
    created_at: n.createdAt.toISOString(),
  };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function inviteToWire(i: InviteInfo): InviteWire {
  return {
    invite_id: i.id,
    created_at: i.createdAt.toISOString(),
    expires_at: i.expiresAt.toISOString(),
    revoked_at: iso(i.revokedAt),
    accepted_by: i.acceptedBy,
    accepted_at: iso(i.acceptedAt),
  };
}

export function linkEventToWire(e: LinkEvent) {
  return { coach_id: e.coachId, action: e.action, actor_id: e.actorId, via: e.via, at: e.at.toISOString() };
}

export function volumeToWire(userId: string, v: Awaited<ReturnType<typeof volumeOf>>) {
  return {
    user_id: userId,
    range: v.range,
    hard_set: { rpe_at_least: HARD_RPE, reps_in_reserve_at_most: HARD_RIR },
    targets: v.targets,
    weeks: v.weeks.map((w) => ({
      week_start: w.weekStart,
      groups: Object.fromEntries(
        Object.entries(w.groups).map(([g, x]) => [g, { hard_sets: x.hardSets, sets: x.sets, tonnage_kg: x.tonnageKg }]),
      ),
    })),
    unmapped: v.unmapped,
  };
}
