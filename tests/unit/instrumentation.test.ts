import { afterEach, expect, it, vi } from 'vitest';
import { register } from '@/instrumentation';
import { resetEnv } from '@/server/env';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetEnv();
});

it('stops a starting server whose environment is invalid, naming the variable', async () => {
  vi.stubEnv('NEXT_RUNTIME', 'nodejs');
  vi.stubEnv('MODIFIER_MIN', 'abc');
  resetEnv();
  const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  await register();
  expect(exit).toHaveBeenCalledWith(1);
  expect(String(logged.mock.calls[0]?.[0])).toMatch(/MODIFIER_MIN/);
});

it('lets a valid environment through', async () => {
  vi.stubEnv('NEXT_RUNTIME', 'nodejs');
  resetEnv();
  const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  await register();
  expect(exit).not.toHaveBeenCalled();
});
