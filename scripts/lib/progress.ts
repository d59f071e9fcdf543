import cliProgress from 'cli-progress';

/**
 * A progress bar on a terminal, plain lines elsewhere (CI logs), for long CLI jobs; on stderr when stdout carries
 * the answer (`--json`).
 */
export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stdout) {
  const tty = Boolean(stream.isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration}s`, stream },
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
        stream.write(`${label}: ${done}/${total} (${pct}%)\n`);
        lastLogged = pct;
      }
    },
    stop() {
      bar?.stop();
    },
  };
}
