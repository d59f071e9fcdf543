import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackage } from './debian-package';
import { freePort } from './free-port';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface ThrowawayRedis {
  url: string;
  port: number;
  /** The server's process id (for CPU accounting). */
  readonly pid: number | undefined;
  /** Stops the server (SIGKILL: it keeps nothing). */
  stop(): void;
  /** Stops it and starts it again on the same port (a Redis outage and its end). */
  pause(): void;
  resume(): Promise<void>;
}

async function answering(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

/**
 * The environment without libfaketime: `npm run test:dates` fakes the clock of the whole test run, and
 * redis-server hangs at start under it (its allocator reads the clock before libfaketime is ready). Redis keeps
 * no dates the tests read, so it runs on the real clock.
 */
function withoutFakedClock(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const preload = (env.LD_PRELOAD ?? '')
    .split(/[: ]/)
    .filter((lib) => lib && !lib.includes('libfaketime'))
    .join(':');
  return { ...env, LD_PRELOAD: preload };
}

/** Debian's redis-server on loopback, in memory only, for the tests and the bench; installed when missing. */
export async function startRedis(): Promise<ThrowawayRedis> {
  const binary = ensureDebianPackage(REDIS_SERVER, 'redis-server');
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore', env: withoutFakedClock(process.env) },
    );
    for (let i = 0; i < 200; i++) {
      if (await answering(port)) return;
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('redis-server did not answer within 5 s');
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid;
    },
    stop() {
      child?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
    pause() {
      child?.kill('SIGKILL');
    },
    resume: start,
  };
}
