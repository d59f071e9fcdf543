/**
 * The off-policy part of `experiments:proof` in a worker thread, beside the rest on the other core: its progress
 * posted as it goes, the result at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type OffPolicyProofOptions, proveOffPolicy } from '@/server/simulation/ope-proof';

const request = workerData as Omit<OffPolicyProofOptions, 'onProgress'>;
const result = proveOffPolicy({
  ...request,
  onProgress: (step, done, total) => parentPort!.postMessage({ progress: { step, done, total } }),
});
parentPort!.postMessage({ result });
