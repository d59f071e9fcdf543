import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const NEXT_BIN = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');

/**
 * Starts the production server as `npm start` does (`next start`), directly rather than through `npx`/`npm`,
 * whose wrappers leave the server running when they are killed, and resolves once it answers `readyPath`.
 */
export async function startNext(opts: {
  port: number;
  env: Record<string, string>;
  readyPath?: string;
  timeoutMs?: number;
  stdio?: 'inherit' | 'ignore';
}): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const url = `http://127.0.0.1:${opts.port}`;
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(opts.port), '-H', '127.0.0.1'], {
    // Production requires the public origin: here, where the server listens.
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', APP_ORIGIN: url, ...opts.env },
    stdio: opts.stdio ?? 'inherit',
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const deadline = performance.now() + (opts.timeoutMs ?? 60_000);
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url + (opts.readyPath ?? '/api/health'));
      if (res.ok) return { child, url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`next start did not answer on ${url} within the time limit`);
}

export function nextBuild(env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
      stdio: 'inherit',
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed with code ${code}`))));
  });
}
