/**
 * One app instance in its own process, for tests of what several instances share (Redis): an HTTP server on
 * PORT that hands every request to the real route handlers, exactly as `call()` does in-process, with this
 * process's own memory (credential cache, limiter, Redis connections). Prints `ready` when listening.
 */
import { createServer } from 'node:http';
import { connectRedis } from '@/server/redis';
import { call } from './api';

const port = Number(process.env.PORT);
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = Object.fromEntries(
    Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])),
  );
  const body = Buffer.concat(chunks);
  const answer = await call(req.method ?? 'GET', req.url ?? '/', {
    headers,
    ...(body.length > 0 ? { raw: new Uint8Array(body) } : {}),
  });
  const out = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
  const passed = Object.fromEntries([...answer.headers].filter(([k]) => k !== 'content-length'));
  res.writeHead(answer.status, { 'content-type': 'application/json', ...passed });
  res.end(out);
});
// As instrumentation.ts does when a Next server starts.
await connectRedis();
server.listen(port, '127.0.0.1', () => console.log('ready'));
