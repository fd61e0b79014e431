import type { FleetStats } from '../../src/modules/alarms/simulator.js';

/** Messages between bench/alarms-mqtt.ts and its fleet processes (bench/alarms/fleet-worker.ts), over the IPC channel. */
export type { FleetStats };

export interface WorkerInit {
  index: number;
  url: string;
  serials: string[];
  connections: number;
  clientIdPrefix: string;
  resendAfterMs?: number;
}

export type ToWorker =
  { type: 'init'; init: WorkerInit } | { type: 'run'; rate: number; seconds: number; t0: number } | { type: 'drain'; timeoutMs: number } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'second'; second: number; stats: FleetStats }
  | { type: 'loaded'; publishedPerSecond: number[]; brokerAckedAt: number[]; lastPublishMs: number; stats: FleetStats }
  | { type: 'drained'; idle: boolean; atMs: number; stats: FleetStats; platformAckedPerSecond: number[] }
  | { type: 'stopped' }
  | { type: 'error'; message: string };
