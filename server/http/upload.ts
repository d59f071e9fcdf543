import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import busboy from 'busboy';
import { ApiError, badRequest } from './errors';

/**
 * A file sent as the request body (`text/csv`) or as the `file` part of a `multipart/form-data` form (the
 * dashboard's upload), streamed: nothing holds the whole file, and past `maxBytes` the stream fails with 413
 * (declared lengths are checked first, counted bytes while reading).
 */
export interface Upload {
  chunks: AsyncIterable<Uint8Array>;
  fileName: string | null;
}

export const UPLOAD_MEDIA_TYPES = ['text/csv', 'multipart/form-data'] as const;

const tooLarge = (maxBytes: number) =>
  new ApiError(413, 'payload_too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);

/** The request's media type, when it is one an upload accepts; 415 otherwise. */
export function uploadMediaType(request: Request): (typeof UPLOAD_MEDIA_TYPES)[number] {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const accepted = UPLOAD_MEDIA_TYPES.find((t) => t === type);
  if (!accepted) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'Send the export as Content-Type: text/csv, or as the "file" field of multipart/form-data.',
    );
  }
  return accepted;
}

/** 413 on a declared length past the limit (a multipart form may add a little around the file). */
export function checkDeclaredLength(request: Request, maxBytes: number): void {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
}

async function* counted(body: ReadableStream<Uint8Array> | null, maxBytes: number): AsyncIterable<Uint8Array> {
  if (!body) return;
  let size = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function multipartFile(request: Request, maxBytes: number): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let form: busboy.Busboy;
    try {
      form = busboy({
        headers: { 'content-type': request.headers.get('content-type') ?? '' },
        limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 1024, parts: 12 },
      });
    } catch (err) {
      reject(
        badRequest(`The form cannot be read: ${(err as Error).message}.`, [
          { path: 'body', message: 'is not a multipart form' },
        ]),
      );
      return;
    }
    let file: Readable | undefined;
    // Why the file stopped, handed to its reader as an error of the iteration (an 'error' event on busboy's
    // stream would have no listener once the reader has moved on).
    let failure: ApiError | undefined;
    const malformed = (err: Error) =>
      badRequest(`The form cannot be read: ${err.message}.`, [
        { path: 'body', message: 'is not a well-formed multipart form' },
      ]);
    async function* guarded(stream: Readable): AsyncIterable<Uint8Array> {
      try {
        for await (const chunk of stream) {
          if (failure) throw failure;
          yield chunk as Uint8Array;
        }
      } catch (err) {
        throw failure ?? err;
      }
      if (failure) throw failure;
    }
    form.on('file', (name, stream, info) => {
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      file = stream;
      stream.on('limit', () => {
        failure ??= tooLarge(maxBytes);
        stream.destroy();
      });
      resolve({ chunks: guarded(stream), fileName: info.filename?.slice(0, 255) || null });
    });
    form.on('error', (err: Error) => {
      if (!file) return reject(malformed(err));
      failure ??= malformed(err);
      file.destroy();
    });
    form.on('close', () => {
      if (!file)
        reject(
          badRequest('The form has no file: send it as the field "file".', [{ path: 'file', message: 'is required' }]),
        );
    });
    if (!request.body) {
      reject(badRequest('The form is empty.', [{ path: 'file', message: 'is required' }]));
      return;
    }
    const body = Readable.fromWeb(request.body as unknown as NodeWebStream<Uint8Array>);
    body.on('error', (err) => form.destroy(err));
    body.pipe(form);
  });
}

/** The uploaded file of a request whose media type `uploadMediaType` accepted. */
export async function uploadedFile(request: Request, maxBytes: number): Promise<Upload> {
  checkDeclaredLength(request, maxBytes);
  if (uploadMediaType(request) === 'multipart/form-data') return multipartFile(request, maxBytes);
  return { chunks: counted(request.body, maxBytes), fileName: null };
}

/**
 * Writes an upload to a temporary file first, so a slow client holds no database connection or transaction while
 * it sends: the work starts once the whole file is here. `dispose` removes it.
 */
export async function spooled(upload: Upload): Promise<{ file: string; dispose: () => Promise<void> }> {
  const file = path.join(os.tmpdir(), `overload-upload-${randomUUID()}`);
  const dispose = () => rm(file, { force: true });
  try {
    await pipeline(Readable.from(upload.chunks), createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    await dispose();
    throw err;
  }
  return { file, dispose };
}
