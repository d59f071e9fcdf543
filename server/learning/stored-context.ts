import type { PolicyContext } from '@/server/modifiers/policies';

/**
 * A decision's context as the job saw it, stored (encrypted) beside the decision so that off-policy evaluation
 * reads what the policy read, not a rebuild from a history that imports and late edits have changed since.
 * Versioned: a row stored under another version of `DecisionContext` reads as missing and is rebuilt.
 */
const CONTEXT_VERSION = 1;

export function encodeContext(context: PolicyContext): string {
  return JSON.stringify({ v: CONTEXT_VERSION, context });
}

export function decodeContext(stored: string | null): PolicyContext | null {
  if (stored === null) return null;
  try {
    const parsed = JSON.parse(stored) as { v?: unknown; context?: PolicyContext };
    return parsed.v === CONTEXT_VERSION && parsed.context ? parsed.context : null;
  } catch {
    return null;
  }
}
