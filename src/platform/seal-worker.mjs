// Worker thread: hashes and encrypts batches of resident IDs and phones for a large import.
import { parentPort, workerData } from 'node:worker_threads';
import { makeFieldCipher, sealAll } from './field-crypto.mjs';

const cipher = makeFieldCipher(Buffer.from(workerData.encKey), Buffer.from(workerData.macKey));
parentPort.on('message', ({ id, items }) => {
  parentPort.postMessage({ id, sealed: sealAll(cipher, items) });
});
