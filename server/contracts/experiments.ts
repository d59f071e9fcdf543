import { z } from 'zod';
import { dateOnly, shortText } from './common';

/** What an experiment can measure, per lifter over the experiment's weeks (docs/experiments.md). */
export const PRIMARY_METRICS = ['e1rm_progression', 'success_rate', 'sessions_per_week'] as const;
export const GUARDRAIL_METRICS = [
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

/** `hold`, `rules` (or `rules@<version>`), or `model@<version>`: checked against what exists when saved. */
const policyName = z
  .string()
  .max(64)
  .regex(/^(hold|rules(@[A-Za-z0-9._-]+)?|model@[1-9][0-9]{0,8})$/, 'must be hold, rules, rules@<version> or model@<n>')
  .meta({ example: 'model@1' });

export const armInput = z
  .strictObject({
    name: slug(32).meta({ example: 'treatment' }),
    policy: policyName,
    weight: z.number().gt(0).lt(1).meta({ description: 'Share of lifters; the arms’ weights sum to 1.' }),
    epsilon: z
      .number()
      .min(0)
      .max(0.5)
      .default(0)
      .meta({ description: 'Share of decisions drawn among the policy’s neighbouring steps (exploration).' }),
  })
  .meta({ id: 'ExperimentArm' });

const WEIGHT_TOLERANCE = 1e-9;

function checkArms(arms: readonly { name: string; weight: number }[], ctx: z.RefinementCtx) {
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
}

const experimentFields = {
  hypothesis: shortText(2000).meta({ example: 'The model raises loads sooner without more failed weeks.' }),
  arms: z
    .array(armInput)
    .min(2)
    .max(5)
    .meta({ description: 'The first arm is the control; lifters are split by weight, in this order.' }),
  primary_metric: z.enum(PRIMARY_METRICS).default('e1rm_progression'),
  guardrails: z
    .array(z.enum(GUARDRAIL_METRICS))
    .max(GUARDRAIL_METRICS.length)
    .default([...GUARDRAIL_METRICS]),
  planned_lifters_per_arm: z.number().int().min(2).max(10_000_000).nullable().optional(),
  planned_end_week: dateOnly.nullable().optional(),
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
  })
  .superRefine((e, ctx) => {
    if (e.arms) checkArms(e.arms, ctx);
  })
  .meta({ id: 'ExperimentUpdate' });
export type ExperimentUpdate = z.infer<typeof experimentUpdate>;

export const experimentPathParams = z.strictObject({ key: experimentKey });

export const experimentStatus = z.enum(['draft', 'running', 'stopped']);

export const experimentResponse = z
  .object({
    key: z.string(),
    hypothesis: z.string(),
    status: experimentStatus,
    arms: z.array(z.object({ name: z.string(), policy: z.string(), weight: z.number(), epsilon: z.number() })),
    primary_metric: z.enum(PRIMARY_METRICS),
    guardrails: z.array(z.enum(GUARDRAIL_METRICS)),
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

export const experimentList = z.object({ experiments: z.array(experimentResponse) });
