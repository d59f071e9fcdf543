import cliProgress from 'cli-progress';

/** A progress bar on a terminal, plain lines elsewhere (CI logs), for long CLI jobs. */
export function progressReporter(label: string) {
  const tty = Boolean(process.stdout.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration}s` },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let started = false;
  let lastLogged = -1;
  return {
    update(done: number, total: number) {
      if (bar) {
        if (!started) bar.start(total, done);
        else {
          bar.setTotal(total);
          bar.update(done);
        }
        started = true;
        return;
      }
      const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (pct >= lastLogged + 10 || done === total) {
        console.log(`${label}: ${done}/${total} (${pct}%)`);
        lastLogged = pct;
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
