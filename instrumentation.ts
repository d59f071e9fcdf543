/** Next.js calls this once when a server starts: a bad environment stops it here, naming the variable. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { env } = await import('./server/env');
    env();
  }
}
