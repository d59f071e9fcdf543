import { runAnalyticsJob } from '@/server/analytics/job';
import { cronRoute } from '@/server/http/cron';

export const dynamic = 'force-dynamic';
export const maxDuration = 300;

// Nightly (vercel.json). Stops claiming work well inside the function's limit; the rest runs next time.
export const GET = cronRoute((db, partition) => runAnalyticsJob(db, { timeBudgetMs: 240_000, partition }));
