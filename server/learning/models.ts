import { desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { models } from '@/db/schema';
import type { ModifierPolicy } from '@/server/modifiers/policies';
import { assertCurrentSchema, type ModelParameters, ModelUnavailableError } from './model';
import { modelPolicy } from './model-policy';
import type { TrainingResult } from './train';

/** The models table's service: store a trained model as a new version, list and read them, serve one. */
export type StoredModel = typeof models.$inferSelect & { parameters: ModelParameters };

export class UnknownModelError extends ModelUnavailableError {}

export async function storeModel(
  db: Db,
  result: TrainingResult,
  opts: { seed: number; target: number },
): Promise<number> {
  const [row] = await db
    .insert(models)
    .values({
      library: result.library,
      features: result.params.features,
      schemaHash: result.params.schemaHash,
      parameters: result.params as unknown as Record<string, unknown>,
      target: opts.target,
      seed: opts.seed,
      trainedFrom: result.window.from,
      trainedTo: result.window.to,
      validationFrom: result.window.validationFrom,
      trainRows: result.rows.train,
      validationRows: result.rows.validation,
      metrics: result.metrics as unknown as Record<string, unknown>,
    })
    .returning({ version: models.version });
  return row!.version;
}

export async function listModels(db: Db): Promise<StoredModel[]> {
  return (await db.select().from(models).orderBy(desc(models.version))) as StoredModel[];
}

export async function getModel(db: Db, version: number): Promise<StoredModel> {
  const [row] = await db.select().from(models).where(eq(models.version, version));
  if (!row) throw new UnknownModelError(`no model version ${version}`);
  return row as StoredModel;
}

// Models never change, so a process keeps what it has loaded.
const policies = new Map<number, ModifierPolicy>();

/** The `model@<version>` policy: refused when the model does not exist or was trained on other features. */
export async function modelPolicyOf(db: Db, version: number): Promise<ModifierPolicy> {
  let policy = policies.get(version);
  if (!policy) {
    const model = await getModel(db, version);
    assertCurrentSchema(model.parameters, version);
    policy = modelPolicy(version, model.parameters, model.target);
    policies.set(version, policy);
  }
  return policy;
}
