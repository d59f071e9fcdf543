import { z } from 'zod';
import { dateOnly, shortText } from './common';
import type { EndpointSpec } from './endpoint-spec';

/** What an experiment can measure, per lifter over the experiment's weeks (docs/experiments.md). */
const PRIMARY_METRICS = ['strength_progression', 'e1rm_progression', 'success_rate', 'sessions_per_week'] as const;
const GUARDRAIL_METRICS = [
  'success_rate',
  'sessions_per_week',
  'not_helpful_share',
  'dropout',
  'coach_overrides',
] as const;
export type PrimaryMetric = (typeof PRIMARY_METRICS)[number];
export type GuardrailMetric = (typeof GUARDRAIL_METRICS)[number];
export type MetricKey = PrimaryMetric | GuardrailMetric;

const slug = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and -, starting with a letter or digit');

export const experimentKey = slug(64).meta({ example: 'model-vs-rules' });

/**
 * `hold`, `rules` (or `rules@<version>`), `model@<version>`, or a research step `step@+2.5` (−10 to +10 %):
 * checked against what exists when saved.
 */
const policyName = z
  .string()
  .max(64)
  .regex(
    /^(hold|rules(@[A-Za-z0-9._-]+)?|model@[1-9][0-9]{0,8}|step@[+-](10|\d(\.\d{1,2})?))$/,
    'must be hold, rules, rules@<version>, model@<n> or step@<±percent>',
  )
  .meta({ example: 'model@1' });

const armInput = z
  .strictObject({
    name: slug(32).meta({ example: 'treatment' }),
    policy: policyName,
    weight: z.number().gt(0).lt(1).meta({ description: 'Share of lifters; the arms’ weights sum to 1.' }),
    epsilon: z.number().min(0).max(0.5).default(0).meta({
      description:
        'Share of decisions drawn among the policy’s neighbouring steps (exploration): the same for every arm.',
    }),
  })
  .meta({ id: 'ExperimentArm' });

/** An experiment's own non-inferiority margins, per guardrail, in its unit (the defaults where absent). */
const marginsInput = z
  .strictObject({
    dropout: z.number().gt(0).max(0.5).optional().meta({ description: 'Share of lifters (0.02 = 2 points).' }),
    sessions_per_week: z.number().gt(0).max(7).optional().meta({ description: 'Sessions per week.' }),
    not_helpful_share: z.number().gt(0).max(0.5).optional().meta({ description: 'Share of answers.' }),
    success_rate: z.number().gt(0).max(0.5).optional().meta({ description: 'Share of prescribed sets.' }),
    coach_overrides: z.number().gt(0).max(10).optional().meta({ description: 'Overrides per lifter.' }),
  })
  .meta({
    id: 'GuardrailMargins',
    description:
      'How much worse than the control each guardrail may be and still ship; unset ones keep the defaults (dropout 0.02, sessions_per_week 0.1, not_helpful_share 0.05, success_rate 0.05, coach_overrides 0.25).',
  });

const WEIGHT_TOLERANCE = 1e-9;

function checkArms(arms: readonly { name: string; weight: number; epsilon: number }[], ctx: z.RefinementCtx) {
  const sum = arms.reduce((a, b) => a + b.weight, 0);
  if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
    ctx.addIssue({ code: 'custom', path: ['arms'], message: `weights must sum to 1 (they sum to ${sum})` });
  }
  const seen = new Set<string>();
  arms.forEach((arm, i) => {
    if (seen.has(arm.name))
      ctx.addIssue({ code: 'custom', path: ['arms', i, 'name'], message: 'must be unique within the experiment' });
    seen.add(arm.name);
  });
  // An arm exploring more than another is a different policy ("its policy + random steps"): the comparison
  // would measure the exploration. Every arm explores alike.
  const first = arms[0]?.epsilon ?? 0;
  const other = arms.findIndex((a) => a.epsilon !== first);
  if (other > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['arms', other, 'epsilon'],
      message: `must equal the first arm's (${first}): every arm explores alike, or the comparison measures the exploration`,
    });
}

const experimentFields = {
  hypothesis: shortText(2000).meta({ example: 'The model raises loads sooner without more failed weeks.' }),
  arms: z
    .array(armInput)
    .min(2)
    .max(5)
    .meta({ description: 'The first arm is the control; lifters are split by weight, in this order.' }),
  primary_metric: z.enum(PRIMARY_METRICS).default('strength_progression'),
  guardrails: z
    .array(z.enum(GUARDRAIL_METRICS))
    .max(GUARDRAIL_METRICS.length)
    .default([...GUARDRAIL_METRICS]),
  planned_lifters_per_arm: z.number().int().min(2).max(10_000_000).nullable().optional(),
  planned_end_week: dateOnly.nullable().optional(),
  margins: marginsInput.optional(),
};

export const experimentInput = z
  .strictObject({ key: experimentKey, ...experimentFields })
  .superRefine((e, ctx) => checkArms(e.arms, ctx))
  .meta({ id: 'ExperimentInput' });
export type ExperimentInput = z.infer<typeof experimentInput>;

/** A draft's changes: any field but the key. */
export const experimentUpdate = z
  .strictObject({
    hypothesis: experimentFields.hypothesis.optional(),
    arms: experimentFields.arms.optional(),
    primary_metric: z.enum(PRIMARY_METRICS).optional(),
    guardrails: z.array(z.enum(GUARDRAIL_METRICS)).max(GUARDRAIL_METRICS.length).optional(),
    planned_lifters_per_arm: experimentFields.planned_lifters_per_arm,
    planned_end_week: experimentFields.planned_end_week,
    margins: marginsInput.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.arms) checkArms(e.arms, ctx);
  })
  .meta({ id: 'ExperimentUpdate' });
export type ExperimentUpdate = z.infer<typeof experimentUpdate>;

const experimentPathParams = z.strictObject({ key: experimentKey });

const experimentStatus = z.enum(['draft', 'running', 'stopped']);

const experimentResponse = z
  .object({
    key: z.string(),
    hypothesis: z.string(),
    status: experimentStatus,
    arms: z.array(z.object({ name: z.string(), policy: z.string(), weight: z.number(), epsilon: z.number() })),
    primary_metric: z.enum(PRIMARY_METRICS),
    guardrails: z.array(z.enum(GUARDRAIL_METRICS)),
    margins: z
      .object({
        dropout: z.number(),
        sessions_per_week: z.number(),
        not_helpful_share: z.number(),
        success_rate: z.number(),
        coach_overrides: z.number(),
      })
      .meta({ description: 'The non-inferiority margins in force: the experiment’s own over the defaults.' }),
    planned_lifters_per_arm: z.number().nullable(),
    planned_end_week: z.string().nullable(),
    start_week: z.string().nullable().meta({ description: 'Monday of the first week the arms decided.' }),
    end_week: z.string().nullable().meta({ description: 'Monday of the last week the arms decided (once stopped).' }),
    created_by: z.string(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    stopped_at: z.string().nullable(),
  })
  .meta({ id: 'Experiment' });
export type ExperimentResponse = z.infer<typeof experimentResponse>;

const experimentList = z.object({ experiments: z.array(experimentResponse) });

export const reportQuery = z.strictObject({
  mde: z.coerce
    .number()
    .positive()
    .max(1_000)
    .optional()
    .meta({ description: 'Minimal detectable effect for the planning calculator, in the primary metric’s unit.' }),
  power: z.coerce.number().gt(0.5).lt(1).optional().meta({ description: 'Power the calculator plans for (0.8).' }),
  winsor: z.coerce.number().min(0).max(0.25).optional().meta({
    description:
      'Per-lifter values of continuous metrics (progression, sessions per week) are capped at this quantile and its complement over all lifters analysed: 0.01 (1 %/99 %) by default, 0 for none.',
  }),
});

const pair = z.tuple([z.number(), z.number()]);

const comparisonWire = z.object({
  arm: z.string(),
  difference: z.number().nullable().meta({ description: 'Arm − control (CUPED-adjusted when `cuped`).' }),
  relative: z.number().nullable().meta({ description: 'The difference as a share of the control’s mean.' }),
  standard_error: z.number().nullable(),
  interval: pair
    .nullable()
    .meta({ description: '95 % interval for one look at a fixed horizon (Welch / delta method).' }),
  p_value: z.number().nullable(),
  always_valid: pair
    .nullable()
    .meta({ description: '95 % confidence sequence: valid at every weekly look (Waudby-Smith et al. 2023).' }),
  cuped: z.boolean(),
  unadjusted: z
    .object({ difference: z.number(), interval: pair, always_valid: pair, p_value: z.number() })
    .nullable()
    .meta({ description: 'The same without CUPED, beside it.' }),
  decision: z
    .object({
      test: z.enum(['superiority', 'non-inferiority']),
      null_value: z
        .number()
        .meta({ description: 'The boundary tested: 0, or the guardrail’s margin on its bad side.' }),
      p_value: z.number().meta({ description: 'Always-valid p-value of lying on the good side of the boundary.' }),
      holm_p_value: z.number().meta({ description: 'Holm-adjusted over every arm × metric of the report.' }),
      passed: z.boolean(),
      harm_p_value: z
        .number()
        .meta({ description: 'Always-valid p-value of lying past the boundary on the bad side.' }),
      harm_holm_p_value: z.number(),
      harmful: z.boolean(),
    })
    .nullable()
    .meta({ description: 'The verdict’s test of this comparison (null in the weekly series).' }),
});

const metricResultWire = z
  .object({
    metric: z.enum([...PRIMARY_METRICS, ...GUARDRAIL_METRICS]),
    label: z.string(),
    unit: z.string(),
    better: z.enum(['higher', 'lower']),
    margin: z
      .number()
      .nullable()
      .meta({ description: 'A guardrail’s non-inferiority margin in its unit (how much worse may still ship).' }),
    arms: z.array(z.object({ name: z.string(), mean: z.number(), n: z.number().int(), interval: pair.nullable() })),
    comparisons: z.array(comparisonWire),
  })
  .meta({ id: 'ExperimentMetric' });
export type MetricResultWire = z.infer<typeof metricResultWire>;

const offPolicyInterval = z.object({ value: z.number(), interval: pair });

export const experimentReport = z
  .object({
    experiment: experimentResponse,
    as_of: z.string(),
    window: z
      .object({ start_week: z.string(), last_week: z.string(), weeks: z.number().int() })
      .nullable()
      .meta({ description: 'The complete weeks analysed; null before the first is over.' }),
    population: z
      .enum(['exposed', 'assigned'])
      .meta({ description: 'Who is analysed: lifters exposed (once any is), else every lifter assigned.' }),
    arms: z.array(
      z.object({
        name: z.string(),
        policy: z.string(),
        weight: z.number(),
        assigned: z.number().int(),
        exposed: z.number().int(),
        analysed: z.number().int(),
        coach_overrides: z.number().int(),
      }),
    ),
    winsor: z.number().meta({ description: 'The quantile continuous outcomes were capped at (0: not capped).' }),
    attrition: z
      .object({
        p_value: z.number(),
        chi_square: z.number(),
        mismatch: z.boolean().meta({ description: 'p < 0.001: the arms lose lifters unevenly.' }),
        counts: z.array(z.number().int()),
      })
      .meta({
        description:
          'Attrition by arm: chi-square of independence of arm × (still measured by the primary metric, lost) over the lifters analysed; `counts` are those still measured.',
      }),
    srm: z.object({
      p_value: z.number(),
      chi_square: z.number(),
      mismatch: z.boolean().meta({ description: 'p < 0.001: the split does not match the weights.' }),
      counts: z.array(z.number().int()),
      expected_shares: z.array(z.number()),
    }),
    verdict: z.object({
      code: z.enum([
        'invalid: SRM',
        'invalid: attrition',
        'harmful on a guardrail',
        'ship',
        'guardrails pending',
        'worse',
        'no difference yet',
      ]),
      arm: z.string().nullable(),
      metric: z.string().nullable(),
      line: z.string(),
    }),
    primary: metricResultWire,
    guardrails: z.array(metricResultWire),
    subgroups: z
      .array(
        z.object({
          dimension: z.enum(['level', 'sex']),
          group: z.enum(['novice', 'intermediate', 'advanced', 'female', 'male']),
          alpha: z
            .number()
            .meta({ description: 'Each interval’s level: 0.05 shared among the subgroups (Bonferroni).' }),
          primary: metricResultWire,
        }),
      )
      .meta({
        description:
          'The primary metric by training level at the start (estimated strength against the ExRx standards for bodyweight and sex) and by sex; lifters without a known level or sex are in no subgroup.',
      }),
    series: z
      .array(z.object({ week: z.string(), primary: metricResultWire }))
      .meta({ description: 'The primary metric as it stood at each weekly look.' }),
    planning: z.object({
      metric: z.string(),
      lifters: z.number().int(),
      mean: z.number(),
      variance: z.number(),
      correlation: z.number().nullable(),
      variance_cuped: z.number().nullable(),
      mde: z.number(),
      power: z.number(),
      alpha: z.number(),
      lifters_per_arm: z.number().int().nullable(),
      lifters_per_arm_cuped: z.number().int().nullable(),
      power_now: z.number().nullable(),
      design: z.enum(['always-valid']).meta({
        description:
          'The test planned for is the one the verdict runs: the always-valid confidence sequence, tuned to the planned lifters per arm × arms, read at every weekly look.',
      }),
      halfwidth_se: z.number().meta({
        description: 'The sequence’s half-width at the planned size, in standard errors (one fixed look: 1.96).',
      }),
    }),
    off_policy: z
      .object({
        reward: z.string().meta({ description: 'What a decision earns: its estimated-strength change.' }),
        outcome_model: z
          .string()
          .nullable()
          .meta({ description: 'The doubly-robust estimate’s outcome model; null when too few decisions to fit it.' }),
        weeks: z
          .object({ from: dateOnly, to: dateOnly })
          .nullable()
          .meta({ description: 'Decided weeks read: those whose reward weeks are over; null before any.' }),
        decisions: z.number().int(),
        stored_contexts: z
          .number()
          .int()
          .meta({ description: 'Decisions read with the context stored when decided (the rest rebuilt).' }),
        lifters: z.number().int(),
        clip_weight: z.number().meta({ description: 'Importance weights above this are capped.' }),
        estimates: z.array(
          z.object({
            policy: z.string(),
            served: z.boolean(),
            decisions: z.number().int(),
            matched: z.number().int(),
            support: z.number(),
            effective_sample_size: z.number(),
            clipped: z.number().int().meta({ description: 'Matched decisions whose weight was capped.' }),
            ips: offPolicyInterval,
            snips: offPolicyInterval.nullable().meta({ description: 'Self-normalised IPS; null without a match.' }),
            dr: offPolicyInterval.nullable(),
            thin: z.boolean().meta({ description: 'Support or effective sample too small to trust the estimate.' }),
          }),
        ),
      })
      .nullable()
      .meta({ description: 'Estimates of policies from the explored decisions (arms with ε > 0); null without any.' }),
  })
  .meta({ id: 'ExperimentReport' });
export type ExperimentReportWire = z.infer<typeof experimentReport>;

/** The experiments endpoints (`api.ts` gathers every domain's). */
export const experimentsEndpoints = {
  listExperiments: {
    operationId: 'listExperiments',
    method: 'GET',
    path: '/experiments',
    tags: ['Learn'],
    summary: 'Every A/B test of modifier policies, newest first',
    description: 'Researchers only.',
    access: 'research',
    example: {},
    response: { status: 200, description: 'The experiments with their arms and status.', schema: experimentList },
  },
  createExperiment: {
    operationId: 'createExperiment',
    method: 'POST',
    path: '/experiments',
    tags: ['Learn'],
    summary: 'Create an experiment (a draft)',
    description:
      'Arms name a policy (`hold`, `rules`, `model@<version>`, or a research step such as `step@+5`) and a weight; the weights sum to 1 and the first arm is the control. Each policy must exist and be servable. Researchers only.',
    access: 'research',
    body: experimentInput,
    errors: [409],
    example: {
      key: 'model-vs-rules',
      hypothesis: 'The model raises loads sooner without more failed weeks.',
      arms: [
        { name: 'control', policy: 'rules', weight: 0.5 },
        { name: 'hold', policy: 'hold', weight: 0.5 },
      ],
    },
    response: { status: 201, description: 'The draft.', schema: experimentResponse },
  },
  getExperiment: {
    operationId: 'getExperiment',
    method: 'GET',
    path: '/experiments/{key}',
    tags: ['Learn'],
    summary: 'One experiment',
    description: 'Researchers only.',
    access: 'research',
    params: experimentPathParams,
    errors: [404],
    response: { status: 200, description: 'The experiment.', schema: experimentResponse },
  },
  updateExperiment: {
    operationId: 'updateExperiment',
    method: 'PATCH',
    path: '/experiments/{key}',
    tags: ['Learn'],
    summary: 'Change a draft',
    description:
      'Any field but the key. Only a draft changes: a running or stopped experiment’s lifters were split by its arms (409). Researchers only.',
    access: 'research',
    params: experimentPathParams,
    body: experimentUpdate,
    errors: [404, 409],
    response: { status: 200, description: 'The draft as changed.', schema: experimentResponse },
  },
  startExperiment: {
    operationId: 'startExperiment',
    method: 'POST',
    path: '/experiments/{key}/start',
    tags: ['Learn'],
    summary: 'Start an experiment',
    description:
      'Opted-in lifters are enrolled as their app asks for its overlay or the weekly job reaches them; the arms decide from the next week the job decides. One experiment runs at a time (409), and there must be lifters to enroll (409). Repeating it changes nothing. Researchers only.',
    access: 'research',
    params: experimentPathParams,
    errors: [404, 409],
    response: { status: 200, description: 'The experiment, running.', schema: experimentResponse },
  },
  stopExperiment: {
    operationId: 'stopExperiment',
    method: 'POST',
    path: '/experiments/{key}/stop',
    tags: ['Learn'],
    summary: 'Stop an experiment',
    description:
      'The arms decide up to this week; from the next, every lifter gets the default policy. What was recorded stays. Repeating it changes nothing. Researchers only.',
    access: 'research',
    params: experimentPathParams,
    errors: [404, 409],
    response: { status: 200, description: 'The experiment, stopped.', schema: experimentResponse },
  },
  experimentReport: {
    operationId: 'experimentReport',
    method: 'GET',
    path: '/experiments/{key}/report',
    tags: ['Learn'],
    summary: 'An experiment’s evaluation',
    description:
      'Per arm: lifters assigned, exposed and analysed; the sample-ratio check (flagged at p < 0.001, read first); the primary metric with CUPED and unadjusted beside it; the guardrails; for each arm against the control a 95 % interval and an always-valid one; the verdict; the primary metric at every weekly look; the planning calculator; and off-policy estimates from explored decisions. Over complete weeks only. docs/experiments.md explains every number. Researchers only.',
    access: 'research',
    params: experimentPathParams,
    query: reportQuery,
    errors: [404],
    response: { status: 200, description: 'The report.', schema: experimentReport },
  },
} as const satisfies Record<string, EndpointSpec>;
