import { cronRoute } from '@/server/http/cron';
import { runDueModifierWeeks } from '@/server/modifiers/job';
import { wallClock } from '@/server/time/clock';

export const dynamic = 'force-dynamic';
export const maxDuration = 300;

// Weekly, Monday early UTC (vercel.json), repeated a few times that morning: each call finishes what an
// earlier one left within its time budget; once a week is done, further calls write nothing.
export const GET = cronRoute((db, partition) =>
  runDueModifierWeeks(db, wallClock(), { timeBudgetMs: 240_000, partition }),
);
