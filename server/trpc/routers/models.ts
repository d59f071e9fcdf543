import { modelReports } from '@/server/learning/shadow-report';
import { researcherProcedure, router } from '../init';

/** Researchers' view of the trained models: offline metrics and the record in shadow (server/learning). */
export const modelsRouter = router({
  list: researcherProcedure.query(({ ctx }) => modelReports(ctx.db)),
});
