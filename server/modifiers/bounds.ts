import { env } from '@/server/env';
import type { Bounds } from './rules';

/** The bounds every modifier keeps to, the job's and the coaches' alike (`MODIFIER_*`). */
export function modifierBounds(): Bounds {
  const e = env();
  return { min: e.MODIFIER_MIN, max: e.MODIFIER_MAX, minRepDelta: e.MODIFIER_MIN_REP_DELTA };
}
