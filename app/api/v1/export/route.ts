import { api } from '@/server/contracts/api';
import { endpoint, route } from '@/server/http/endpoint';
import { exportUserData, setsCsv } from '@/server/privacy/export';

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.exportUserData, async ({ db, subjectId, query, receivedAt }) => {
    if (query.format === 'json') return exportUserData(db, subjectId, receivedAt);
    return new Response(await setsCsv(db, subjectId), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="overload-${subjectId}-sets.csv"`,
      },
    });
  }),
);
