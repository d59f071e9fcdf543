import type { Db } from '@/db/client';
import { env } from '@/server/env';
import { type InstrumentRequest, type InstrumentResult, recordInstrumentRequests } from './instrument';

/** Events in one grouped statement at most (a single request may hold up to 1,000 on its own). */
const GROUP_MAX_EVENTS = 2_000;

interface Waiting {
  request: InstrumentRequest;
  resolve: (result: InstrumentResult) => void;
  reject: (error: unknown) => void;
}

export interface WriterStats {
  requests: number;
  statements: number;
}

/**
 * Group commit for instrument events. Every request still waits until its own events are committed, but
 * requests that arrive while the writer's statements are running are stored together by the next one.
 *
 * Why: under load a small request's database cost is almost all per-statement overhead (parse, plan, lock,
 * commit, two context switches), so fifty phones sending one event each cost the same two cores fifty times
 * over. Capping statements in flight (`INSTRUMENT_WRITE_CONCURRENCY`) and merging the queue behind them makes
 * that cost per group instead, and leaves the cores to the web server. With no queue (light load) a request
 * runs at once, alone: grouping adds no waiting.
 *
 * A grouped statement is all-or-nothing; if it fails, its requests are retried one by one, so one bad
 * request fails alone.
 */
export class InstrumentWriter {
  private readonly queue: Waiting[] = [];
  private running = 0;
  readonly stats: WriterStats = { requests: 0, statements: 0 };

  constructor(
    private readonly db: Db,
    private readonly concurrency: number,
    private readonly maxEvents = GROUP_MAX_EVENTS,
  ) {}

  record(request: InstrumentRequest): Promise<InstrumentResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const group = this.takeGroup();
      this.running++;
      void this.write(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  /** The oldest waiting request and those behind it, up to `maxEvents` events in all (in arrival order). */
  private takeGroup(): Waiting[] {
    const group = [this.queue.shift()!];
    let events = group[0]!.request.events.length;
    while (this.queue.length > 0 && events + this.queue[0]!.request.events.length <= this.maxEvents) {
      const next = this.queue.shift()!;
      events += next.request.events.length;
      group.push(next);
    }
    return group;
  }

  private async write(group: Waiting[]): Promise<void> {
    this.stats.requests += group.length;
    this.stats.statements++;
    try {
      const results = await recordInstrumentRequests(
        this.db,
        group.map((w) => w.request),
      );
      for (const [i, w] of group.entries()) w.resolve(results[i]!);
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
      // Find the culprit: each request alone, so the others are stored and answered as usual.
      for (const w of group) {
        this.stats.statements++;
        await recordInstrumentRequests(this.db, [w.request]).then(([r]) => w.resolve(r!), w.reject);
      }
    }
  }
}

const writers = new WeakMap<Db, InstrumentWriter>();

/** The process's writer for this database. */
export function instrumentWriter(db: Db): InstrumentWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new InstrumentWriter(db, env().INSTRUMENT_WRITE_CONCURRENCY);
    writers.set(db, writer);
  }
  return writer;
}
