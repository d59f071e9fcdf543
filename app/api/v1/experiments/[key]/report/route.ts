import { api } from '@/server/contracts/api';
import { experimentReport } from '@/server/experiments/report';
import { endpoint, route } from '@/server/http/endpoint';
import { reportToWire } from '@/server/http/wire';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.experimentReport, ({ db, params, query, receivedAt }) =>
    experimentReport(db, params.key!, {
      now: receivedAt,
      mde: query.mde,
      power: query.power,
      winsor: query.winsor,
    }).then(reportToWire),
  ),
);
