import { cronRoute } from '@/server/http/cron';
import { runDueModifierWeeks } from '@/server/modifiers/job';
import { wallClock } from '@/server/time/clock';

export const dynamic = 'force-dynamic';
export const maxDuration = 300;

// Daily at 04:xx UTC (vercel.json; Vercel's Hobby plan allows one run a day, anywhere in its hour): Monday's call
// decides the week, a later call finishes what an earlier one left within its time budget, and once a week is
// done further calls write nothing.
export const GET = cronRoute((db, partition) =>
  runDueModifierWeeks(db, wallClock(), { timeBudgetMs: 240_000, partition }),
);
