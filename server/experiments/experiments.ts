import { randomBytes } from 'node:crypto';
import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { isUniqueViolation } from '@/db/errors';
import { experimentArms, experiments } from '@/db/schema';
import type {
  ExperimentInput,
  ExperimentResponse,
  ExperimentUpdate,
  GuardrailMetric,
  PrimaryMetric,
} from '@/server/contracts/experiments';
import { conflict, invalid, notFound } from '@/server/errors';
import { ModelUnavailableError } from '@/server/learning/model';
import { UnknownPolicyError } from '@/server/modifiers/policies';
import { resolvePolicy } from '@/server/modifiers/serving';
import { addDays, isoWeekStart } from '@/server/time/calendar';
import { type Margins, marginsWith } from './decisions';
import { eligibleLifters, forgetRunningExperiment } from './enrollment';

/**
 * The experiments' lifecycle — create (draft), change a draft, start, stop — and reads. One experiment runs at
 * a time (the database's partial unique index keeps it so); every arm's policy must resolve when saved and when
 * started. Starting and stopping are safe to repeat.
 */

type Row = typeof experiments.$inferSelect;
type ArmRow = typeof experimentArms.$inferSelect;

/** Monday (UTC) of the week `now` falls in: the weekly job's calendar. */
const mondayOf = (now: Date) => isoWeekStart(now.toISOString().slice(0, 10));

function toResponse(e: Row, arms: ArmRow[]): ExperimentResponse {
  return {
    key: e.key,
    hypothesis: e.hypothesis,
    status: e.status as ExperimentResponse['status'],
    arms: arms
      .filter((a) => a.experimentId === e.id)
      .sort((a, b) => a.position - b.position)
      .map((a) => ({ name: a.name, policy: a.policy, weight: a.weight, epsilon: a.epsilon })),
    primary_metric: e.primaryMetric as PrimaryMetric,
    guardrails: e.guardrails as GuardrailMetric[],
    margins: marginsWith(e.margins as Partial<Margins>),
    planned_lifters_per_arm: e.plannedLiftersPerArm,
    planned_end_week: e.plannedEndWeek,
    start_week: e.startWeek,
    end_week: e.endWeek,
    created_by: e.createdBy,
    created_at: e.createdAt.toISOString(),
    started_at: e.startedAt?.toISOString() ?? null,
    stopped_at: e.stoppedAt?.toISOString() ?? null,
  };
}

/** Each arm's policy, resolved to the id it will be stored and served under (`rules` → `rules@po-overlay-2`). */
async function resolveArmPolicies(db: Db, arms: ExperimentInput['arms']): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, arm] of arms.entries()) {
    try {
      ids.push((await resolvePolicy(db, arm.policy)).id);
    } catch (err) {
      if (!(err instanceof UnknownPolicyError || err instanceof ModelUnavailableError)) throw err;
      throw invalid(`arms[${i}].policy: ${err.message}`, [{ path: `arms[${i}].policy`, message: err.message }]);
    }
  }
  return ids;
}

async function findRow(db: Db, key: string): Promise<Row> {
  const [row] = await db.select().from(experiments).where(eq(experiments.key, key));
  if (!row) throw notFound(`Experiment ${key}`, 'key');
  return row;
}

async function armsOf(db: Db, ids: string[]): Promise<ArmRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(experimentArms)
    .where(inArray(experimentArms.experimentId, ids))
    .orderBy(asc(experimentArms.position));
}

export async function getExperiment(db: Db, key: string): Promise<ExperimentResponse> {
  return (await getExperimentWithId(db, key)).experiment;
}

/** The experiment and its row id, for services that read its lifters (the report). */
export async function getExperimentWithId(
  db: Db,
  key: string,
): Promise<{ id: string; experiment: ExperimentResponse }> {
  const row = await findRow(db, key);
  return { id: row.id, experiment: toResponse(row, await armsOf(db, [row.id])) };
}

/** Every experiment, newest first. */
export async function listExperiments(db: Db): Promise<ExperimentResponse[]> {
  const rows = await db.select().from(experiments).orderBy(desc(experiments.createdAt));
  const arms = await armsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toResponse(r, arms));
}

const armRows = (experimentId: string, arms: ExperimentInput['arms'], policies: string[]) =>
  arms.map((a, position) => ({
    experimentId,
    position,
    name: a.name,
    policy: policies[position]!,
    weight: a.weight,
    epsilon: a.epsilon,
  }));

export async function createExperiment(
  db: Db,
  createdBy: string,
  input: ExperimentInput,
  /** A fixed salt, for a reproducible split (the demo); random otherwise. */
  opts: { salt?: string } = {},
): Promise<ExperimentResponse> {
  const policies = await resolveArmPolicies(db, input.arms);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(experiments)
      .values({
        key: input.key,
        hypothesis: input.hypothesis,
        salt: opts.salt ?? randomBytes(8).toString('hex'),
        primaryMetric: input.primary_metric,
        guardrails: input.guardrails,
        margins: input.margins ?? {},
        plannedLiftersPerArm: input.planned_lifters_per_arm ?? null,
        plannedEndWeek: input.planned_end_week ?? null,
        createdBy,
      })
      .onConflictDoNothing({ target: experiments.key })
      .returning();
    if (!row) throw conflict(`An experiment with key ${input.key} exists already.`, 'key');
    await tx.insert(experimentArms).values(armRows(row.id, input.arms, policies));
    return toResponse(row, await armsOf(tx, [row.id]));
  });
}

/** Changes a draft. A running or stopped experiment keeps its arms and metrics: its lifters were split by them. */
export async function updateExperiment(db: Db, key: string, patch: ExperimentUpdate): Promise<ExperimentResponse> {
  const policies = patch.arms ? await resolveArmPolicies(db, patch.arms) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(experiments).where(eq(experiments.key, key)).for('update');
    if (!row) throw notFound(`Experiment ${key}`, 'key');
    if (row.status !== 'draft')
      throw conflict(`Experiment ${key} is ${row.status}: only a draft can change.`, 'status');
    const changes = Object.fromEntries(
      Object.entries({
        hypothesis: patch.hypothesis,
        primaryMetric: patch.primary_metric,
        guardrails: patch.guardrails,
        margins: patch.margins,
        plannedLiftersPerArm: patch.planned_lifters_per_arm,
        plannedEndWeek: patch.planned_end_week,
      }).filter(([, v]) => v !== undefined),
    );
    const [updated] = Object.keys(changes).length
      ? await tx.update(experiments).set(changes).where(eq(experiments.id, row.id)).returning()
      : [row];
    if (patch.arms && policies) {
      await tx.delete(experimentArms).where(eq(experimentArms.experimentId, row.id));
      await tx.insert(experimentArms).values(armRows(row.id, patch.arms, policies));
    }
    return toResponse(updated!, await armsOf(tx, [row.id]));
  });
}

/**
 * Starts a draft: the arms decide from the next week the weekly job decides (the Monday after `now`). Refused
 * while another experiment runs, or when no lifter could be enrolled. Starting a running experiment again
 * changes nothing.
 */
export async function startExperiment(db: Db, key: string, now: Date): Promise<ExperimentResponse> {
  try {
    return await startDraft(db, key, now);
  } catch (err) {
    // Two drafts started at once: the database lets one run.
    if (isUniqueViolation(err, 'experiments_one_running_uq'))
      throw conflict(
        'Another experiment started at the same moment; a lifter is in one experiment at a time.',
        'status',
      );
    throw err;
  } finally {
    forgetRunningExperiment(db);
  }
}

function startDraft(db: Db, key: string, now: Date): Promise<ExperimentResponse> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(experiments).where(eq(experiments.key, key)).for('update');
    if (!row) throw notFound(`Experiment ${key}`, 'key');
    const arms = await armsOf(tx, [row.id]);
    if (row.status === 'running') return toResponse(row, arms);
    if (row.status === 'stopped') throw conflict(`Experiment ${key} was stopped; create a new one.`, 'status');
    const [other] = await tx
      .select({ key: experiments.key })
      .from(experiments)
      .where(eq(experiments.status, 'running'));
    if (other) throw conflict(`Experiment ${other.key} is running; a lifter is in one experiment at a time.`, 'status');
    if ((await eligibleLifters(tx)) === 0) {
      throw conflict('No lifter has opted in to analytics: there is nobody to enroll.', 'key');
    }
    // A model may have become unservable since the draft was saved.
    await resolveArmPolicies(
      tx,
      arms.map((a) => ({ name: a.name, policy: a.policy, weight: a.weight, epsilon: a.epsilon })),
    );
    const [started] = await tx
      .update(experiments)
      .set({ status: 'running', startWeek: addDays(mondayOf(now), 7), startedAt: now })
      .where(eq(experiments.id, row.id))
      .returning();
    return toResponse(started!, arms);
  });
}

/**
 * Stops a running experiment: the arms have decided up to this week; from the next, every lifter gets the
 * default policy again. What was recorded stays. Stopping a stopped experiment again changes nothing.
 */
export async function stopExperiment(db: Db, key: string, now: Date): Promise<ExperimentResponse> {
  try {
    return await stopRunning(db, key, now);
  } finally {
    forgetRunningExperiment(db);
  }
}

function stopRunning(db: Db, key: string, now: Date): Promise<ExperimentResponse> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(experiments).where(eq(experiments.key, key)).for('update');
    if (!row) throw notFound(`Experiment ${key}`, 'key');
    const arms = await armsOf(tx, [row.id]);
    if (row.status === 'stopped') return toResponse(row, arms);
    if (row.status === 'draft') throw conflict(`Experiment ${key} has not started.`, 'status');
    const thisWeek = mondayOf(now);
    const lastWeek = thisWeek < row.startWeek! ? addDays(row.startWeek!, -7) : thisWeek;
    const [stopped] = await tx
      .update(experiments)
      .set({ status: 'stopped', endWeek: lastWeek, stoppedAt: now })
      .where(eq(experiments.id, row.id))
      .returning();
    return toResponse(stopped!, arms);
  });
}
