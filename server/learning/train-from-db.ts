import type { Db } from '@/db/client';
import { calendarDate, isoWeekStart } from '@/server/time/calendar';
import { storeModel } from './models';
import { type Example, examplesOf, TrainingError, type TrainingResult, trainModel } from './train';
import { forEachDecisionRows } from './training-export';

export interface TrainFromDbOptions {
  /** When training runs: the training of its week and every earlier one is read. */
  now: Date;
  /** Decision weeks (Mondays) to learn from, both included; default: all. */
  from?: string;
  to?: string;
  seed: number;
  /** The success probability the model's policy will require of a load. */
  target: number;
  epochs?: number;
  onProgress?: (progress: { users: number; rows: number }) => void;
}

/**
 * `npm run model:train`: the opted-in lifters' decision rows (the training data set, through the same feature
 * pipeline as the job), fitted and stored as a new model version. Nothing is written unless training succeeds.
 */
export async function trainFromDatabase(
  db: Db,
  opts: TrainFromDbOptions,
): Promise<{ version: number; result: TrainingResult }> {
  if (opts.from && opts.to && opts.from > opts.to)
    throw new TrainingError(`--from ${opts.from} is after --to ${opts.to}`);
  if (!(opts.target > 0 && opts.target < 1)) throw new TrainingError('--target must be a probability between 0 and 1');
  const examples: Example[] = [];
  await forEachDecisionRows(
    db,
    (rows) => {
      for (const e of examplesOf(rows)) {
        if ((!opts.from || e.week >= opts.from) && (!opts.to || e.week <= opts.to)) examples.push(e);
      }
    },
    { throughWeek: isoWeekStart(calendarDate(opts.now)), onProgress: opts.onProgress },
  );
  const result = await trainModel(examples, { seed: opts.seed, epochs: opts.epochs });
  const version = await storeModel(db, result, { seed: opts.seed, target: opts.target });
  return { version, result };
}
