import { and, eq, ne } from 'drizzle-orm';
import { sets } from '@/db/schema';

/**
 * The sets analytics, success rates and the learning loop count: done, and not warm-ups (an imported history
 * marks them; a warm-up is neither a PR nor a test of a recommendation).
 */
export const workingSet = and(eq(sets.done, true), ne(sets.setType, 'warmup'));
