import { hkdfSync } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { makeFieldCipher, sealAll, type Sealed, type SealItem } from './field-crypto.mjs';

/**
 * Sensitive values (resident ID, phone) at rest: AES-256-GCM with a random IV, looked up by a
 * keyed hash (HMAC-SHA256) so that a copied database file gives away neither.
 * Both keys are derived from the one master key in configuration.
 */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  lookupHash(plain: string): string;
  /** Hashes and encrypts many [ID, phone, row] items on a second core (see Sealer). */
  sealer(): Sealer;
}

export type { Sealed, SealItem };

/**
 * A worker thread that seals batches while the caller does other work (a large import writes
 * one batch while the next is being sealed). Falls back to this thread if no worker can start.
 */
export interface Sealer {
  /** For each [ID, phone, row text]: the ID's lookup hash, ID and phone encrypted, the row's keyed digest. */
  seal(items: SealItem[]): Promise<Sealed[]>;
  close(): Promise<void>;
}

export function createFieldCipher(masterKey: Buffer): FieldCipher {
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'yiyang/field-encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'yiyang/lookup-hash', 32));
  const core = makeFieldCipher(encKey, macKey);
  return {
    encrypt: core.encrypt,
    decrypt: core.decrypt,
    lookupHash: core.lookupHash,
    sealer: () => startSealer(encKey, macKey, core),
  };
}

function startSealer(encKey: Buffer, macKey: Buffer, local: ReturnType<typeof makeFieldCipher>): Sealer {
  let worker: Worker | undefined;
  try {
    worker = new Worker(new URL('./seal-worker.mjs', import.meta.url), { workerData: { encKey, macKey } });
  } catch {
    worker = undefined;
  }
  if (!worker) return { seal: async (items) => sealAll(local, items), close: async () => {} };
  const w = worker;
  const waiting = new Map<number, { resolve: (s: Sealed[]) => void; reject: (e: Error) => void }>();
  let next = 0;
  let failed: Error | undefined;
  w.on('message', (m: { id: number; sealed: Sealed[] }) => {
    waiting.get(m.id)?.resolve(m.sealed);
    waiting.delete(m.id);
  });
  w.on('error', (e) => {
    failed = e;
    for (const p of waiting.values()) p.reject(e);
    waiting.clear();
  });
  return {
    seal(items) {
      if (failed) return Promise.reject(failed);
      const id = next++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.postMessage({ id, items });
      });
    },
    close: async () => {
      await w.terminate();
    },
  };
}
