import { cronRoute } from '@/server/http/cron';
import { runRetention } from '@/server/privacy/retention';
import { wallClock } from '@/server/time/clock';

export const dynamic = 'force-dynamic';
export const maxDuration = 300;

// Daily (vercel.json). Deletes by age against one cutoff, so a repeated or overlapping call deletes nothing new.
export const GET = cronRoute((db) => runRetention(db, wallClock()));
