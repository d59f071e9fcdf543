/** Next.js calls this once when a server starts: a bad environment stops it here, naming the variable. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env, EnvError } = await import('./server/env');
  try {
    env();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(err.message);
    process.exit(1);
    return;
  }
  // Connect to Redis before the first request, so shared limits count from the first one.
  const { connectRedis } = await import('./server/redis');
  await connectRedis();
}
