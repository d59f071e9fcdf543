import { camelCased } from '@/server/contracts/camel-case';
import { deloadCancelInput, deloadInput, deloadsQuery } from '@/server/contracts/deloads';
import { cancelDeload, planDeload, plansOf, type StoredPlan } from '@/server/deloads/deloads';
import { deloadWeeksOf, lastPlannedWeek } from '@/server/deloads/plans';
import { authedProcedure, readableSubject, router } from '../init';

/** With its deload weeks and its last planned week: what the calendar draws. */
const withWeeks = (p: StoredPlan) => ({ ...p, weeks: deloadWeeksOf(p), lastWeek: lastPlannedWeek(p) });

/** Planned deloads on the dashboard and the coach's athlete page: the lifter's own, or an athlete's. */
export const deloadsRouter = router({
  list: authedProcedure
    .input(camelCased(deloadsQuery))
    .query(async ({ ctx, input }) =>
      (await plansOf(ctx.db, [await readableSubject(ctx, input.userId)])).map(withWeeks),
    ),
  /** The body of `POST /api/v1/deloads`, as is. */
  plan: authedProcedure.input(deloadInput).mutation(async ({ ctx, input }) => {
    const subject = await readableSubject(ctx, input.user_id);
    return withWeeks(await planDeload(ctx.db, ctx.principal, subject, input, ctx.now));
  }),
  cancel: authedProcedure
    .input(deloadCancelInput)
    .mutation(async ({ ctx, input }) =>
      withWeeks(
        await cancelDeload(ctx.db, ctx.principal, await readableSubject(ctx, input.userId), input.planId, ctx.now),
      ),
    ),
});
