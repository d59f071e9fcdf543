import { resetEnv } from '@/server/env';
import {
  type LocalIdentityProvider as Provider,
  startIdentityProvider as startProvider,
} from '../../scripts/lib/identity-provider';

/** The local identity provider (scripts/lib), plus pointing this process's AUTH_ settings at it and back. */
export interface LocalIdentityProvider extends Provider {
  configure(extra?: Record<string, string>): void;
  restore(): void;
}

export async function startIdentityProvider(): Promise<LocalIdentityProvider> {
  const provider = await startProvider();
  const saved: Record<string, string | undefined> = {};
  return {
    ...provider,
    configure(extra = {}) {
      for (const [k, v] of Object.entries({ ...provider.env, ...extra })) {
        if (!(k in saved)) saved[k] = process.env[k];
        process.env[k] = v;
      }
      resetEnv();
    },
    restore() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
        delete saved[k];
      }
      resetEnv();
    },
  };
}
