/**
 * One share of `simulate:evaluate`'s population in a worker thread: every policy (by name) over lifters
 * [from, to), progress posted as it goes, the shard posted at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { policyNamed } from '@/server/modifiers/policies';
import { evaluateShard } from '@/server/simulation/evaluate';

export interface ShardRequest {
  policies: string[];
  lifters: number;
  weeks: number;
  seed: number;
  from: number;
  to: number;
}

const request = workerData as ShardRequest;
let reported = 0;
const shard = evaluateShard({
  ...request,
  policies: request.policies.map(policyNamed),
  onProgress: (done) => {
    if (done - reported >= 50) {
      parentPort!.postMessage({ progress: done - reported });
      reported = done;
    }
  },
});
parentPort!.postMessage({ progress: request.policies.length * (request.to - request.from) - reported, shard });
