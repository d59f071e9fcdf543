import { env } from '@/server/env';
import { type ModifierPolicy, policyNamed } from './policies';

/**
 * Which policy decides a lifter's modifiers: configuration (`MODIFIER_POLICY`, default `rules`), the same for
 * every lifter until experiments assign one per lifter.
 */
export function servingPolicy(_userId: string): ModifierPolicy {
  return policyNamed(env().MODIFIER_POLICY);
}
