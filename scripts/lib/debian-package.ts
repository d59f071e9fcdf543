import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A program from Debian's packages the tests need (Chromium, redis-server): installed with apt-get when it is
 * missing — as root, which CI is, otherwise with sudo when there is one.
 */
export function ensureDebianPackage(binary: string, pkg: string): string {
  if (existsSync(binary)) return binary;
  console.log(`${binary} not found; installing Debian's ${pkg} with apt-get …`);
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? [] : ['sudo', '-n'];
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...sudo, ...args];
    execFileSync(cmd!, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', pkg]);
  } catch (err) {
    throw new Error(
      `Could not install ${pkg} (${(err as Error).message}). Install it yourself: apt-get install ${pkg}`,
    );
  }
  if (!existsSync(binary)) throw new Error(`apt-get finished but ${binary} is still missing`);
  return binary;
}
