import { api } from '@/server/contracts/api';
import { reportToWire } from '@/server/contracts/wire';
import { experimentReport } from '@/server/experiments/report';
import { endpoint, route } from '@/server/http/endpoint';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.experimentReport, ({ db, params, query, receivedAt }) =>
    experimentReport(db, params.key!, { now: receivedAt, mde: query.mde, power: query.power }).then(reportToWire),
  ),
);
