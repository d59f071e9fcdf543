import { ensureDebianPackage } from './debian-package';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Playwright cannot download browsers here, so the e2e run uses Debian's Chromium. */
export function ensureChromium(): string {
  return ensureDebianPackage(CHROMIUM_PATH, 'chromium');
}
