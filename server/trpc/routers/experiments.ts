import { z } from 'zod';
import { experimentInput, experimentKey, experimentUpdate, reportQuery } from '@/server/contracts/experiments';
import {
  createExperiment,
  getExperiment,
  listExperiments,
  startExperiment,
  stopExperiment,
  updateExperiment,
} from '@/server/experiments/experiments';
import { experimentReport } from '@/server/experiments/report';
import { reportToWire } from '@/server/http/wire';
import { researcherProcedure, router } from '../init';

const byKey = z.strictObject({ key: experimentKey });

/** Researchers manage A/B tests of modifier policies here and over REST (`/api/v1/experiments`): same services. */
export const experimentsRouter = router({
  list: researcherProcedure.query(({ ctx }) => listExperiments(ctx.db)),
  get: researcherProcedure.input(byKey).query(({ ctx, input }) => getExperiment(ctx.db, input.key)),
  create: researcherProcedure
    .input(experimentInput)
    .mutation(({ ctx, input }) => createExperiment(ctx.db, ctx.principal.userId, input)),
  update: researcherProcedure
    .input(z.strictObject({ key: experimentKey, patch: experimentUpdate }))
    .mutation(({ ctx, input }) => updateExperiment(ctx.db, input.key, input.patch)),
  start: researcherProcedure.input(byKey).mutation(({ ctx, input }) => startExperiment(ctx.db, input.key, ctx.now)),
  report: researcherProcedure
    .input(z.strictObject({ key: experimentKey, ...reportQuery.shape }))
    .query(({ ctx, input }) =>
      experimentReport(ctx.db, input.key, {
        now: ctx.now,
        mde: input.mde,
        power: input.power,
        winsor: input.winsor,
      }).then(reportToWire),
    ),
  stop: researcherProcedure.input(byKey).mutation(({ ctx, input }) => stopExperiment(ctx.db, input.key, ctx.now)),
});
