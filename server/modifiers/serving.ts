import type { Db } from '@/db/client';
import { env } from '@/server/env';
import { modelPolicyOf } from '@/server/learning/models';
import { type ModifierPolicy, policyNamed } from './policies';

/**
 * Which policy decides a lifter's modifiers: configuration (`MODIFIER_POLICY`, default `rules`), the same for
 * every lifter until experiments assign one per lifter. Shadow policies (`SHADOW_POLICIES`) propose beside it.
 */
export function servingPolicyName(_userId: string): string {
  const name = env().MODIFIER_POLICY;
  return name.startsWith('model@') ? name : policyNamed(name).id;
}

export function shadowPolicyNames(): string[] {
  return env().SHADOW_POLICIES;
}

/** Every policy that may serve a lifter under the configuration (the job checks each resolves before it starts). */
export function servingPolicyNames(): string[] {
  return [servingPolicyName('')];
}

/** A policy by name: `rules`, `hold`, or `model@<version>` (loaded from the models table). */
export async function resolvePolicy(db: Db, name: string): Promise<ModifierPolicy> {
  const model = /^model@(\d+)$/.exec(name);
  return model ? modelPolicyOf(db, Number(model[1])) : policyNamed(name);
}
