import { createReadStream } from 'node:fs';
import { api } from '@/server/contracts/api';
import { IMPORT_MAX_BYTES } from '@/server/contracts/imports';
import { endpoint, route } from '@/server/http/endpoint';
import { spooled, uploadedFile } from '@/server/http/upload';
import { HTTP_IMPORT_LIMITS } from '@/server/imports/check-export';
import { importExport, listImports } from '@/server/imports/imports';

// A 20 MB export (about 250,000 sets) takes well under a minute; the platform's default limit may be shorter.
export const maxDuration = 120;

export const { GET, POST, PUT, PATCH, DELETE } = route(
  endpoint(api.importExport, async ({ db, subjectId, query, request, receivedAt }) => {
    const upload = await uploadedFile(request, IMPORT_MAX_BYTES);
    const { file, dispose } = await spooled(upload);
    try {
      return await importExport(db, subjectId, () => createReadStream(file), {
        now: receivedAt,
        limits: HTTP_IMPORT_LIMITS,
        format: query.format,
        unit: query.unit,
        skipInvalid: query.skip_invalid,
        fileName: upload.fileName,
      });
    } finally {
      await dispose();
    }
  }),
  endpoint(api.listImports, async ({ db, subjectId }) => ({ imports: await listImports(db, subjectId) })),
);
