import { DomainError } from '@/server/errors';
import { type Partition, parsePartition } from '@/server/jobs/partition';

/** `--partition k/n`, or the whole; a malformed value ends the script with the rule (exit 2). */
export function partitionArg(value: string | undefined): Partition {
  try {
    return parsePartition(value, '--partition');
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
