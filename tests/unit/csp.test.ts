import type { NextConfig } from 'next';
import { describe, expect, it } from 'vitest';
import { config as proxyConfig } from '@/proxy';
import { API_CSP, newNonce, pageCsp } from '@/server/http/csp';

const directives = (csp: string) =>
  Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('page Content-Security-Policy', () => {
  it('lets scripts run only with this response’s nonce, never inline or eval in production', () => {
    const d = directives(pageCsp('abc123==', { dev: false }));
    expect(d['script-src']).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    // recharts' style attributes need inline styles; a nonce there would make browsers ignore 'unsafe-inline'.
    expect(d['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('allows eval and the dev server’s websocket only in development', () => {
    const d = directives(pageCsp('n', { dev: true }));
    expect(d['script-src']).toContain("'unsafe-eval'");
    expect(d['connect-src']).toEqual(["'self'", 'ws:', 'wss:']);
    expect(pageCsp('n', { dev: false })).not.toMatch(/unsafe-eval|ws:/);
  });

  it('draws a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const n of [...nonces].slice(0, 10)) expect(Buffer.from(n, 'base64')).toHaveLength(16);
  });
});

describe('which responses get which policy', () => {
  const source = new RegExp(`^${proxyConfig.matcher[0]!.source}$`);

  it('runs the proxy for pages and not for the API or static files', () => {
    for (const page of ['/', '/dashboard', '/coach/athletes/user-123', '/signin', '/docs', '/no-such-page'])
      expect(page).toMatch(source);
    for (const other of [
      '/api/instrument',
      '/api/v1/session',
      '/api/trpc/analytics.prs',
      '/_next/static/chunks/a.js',
      '/favicon.ico',
    ])
      expect(other).not.toMatch(source);
  });

  it('gives API responses the static API policy from next.config.mjs', async () => {
    const configPath: string = '@/next.config.mjs'; // plain JavaScript: loaded untyped, typed here
    const { default: nextConfig } = (await import(configPath)) as { default: NextConfig };
    const rules = await nextConfig.headers!();
    const api = rules.find((r) => r.source === '/api/:path*')!;
    expect(api.headers).toContainEqual({ key: 'Content-Security-Policy', value: API_CSP });
    // No other rule sets a CSP: pages get theirs from the proxy only (two policies would both apply).
    const others = rules.filter((r) => r !== api).flatMap((r) => r.headers.map((h) => h.key.toLowerCase()));
    expect(others).not.toContain('content-security-policy');
  });
});
