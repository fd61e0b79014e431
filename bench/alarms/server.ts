import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (bench/alarms/../..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces), which ends at the last ')'
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch {
    return null;
  }
}

export interface RunningServer {
  child: ChildProcess;
  pid: number;
  base: string;
  /** the server's output so far (stdout and stderr), for a failure's message */
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * The real server, `src/main.ts` under tsx as a loader of this node binary (one process, so
 * /proc/<pid> is the server itself), with MQTT_URL set: what `npm start` runs in production.
 * `cpuProfDir`: a V8 CPU profile written there when the server exits.
 */
export async function startServer(opts: {
  dataDir: string;
  databaseUrl?: string;
  mqttUrl: string;
  clientId: string;
  cpuProfDir?: string;
  env?: Record<string, string>;
}): Promise<RunningServer> {
  const port = await freePort();
  const nodeArgs = ['--import', 'tsx'];
  if (opts.cpuProfDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      YIYANG_DATA_DIR: opts.dataDir,
      SQLITE_PATH: join(opts.dataDir, 'yiyang.sqlite'),
      DATABASE_URL: opts.databaseUrl ?? '',
      MQTT_URL: opts.mqttUrl,
      MQTT_CLIENT_ID: opts.clientId,
      LOG_LEVEL: 'warn',
      LOGIN_RATE_PER_MINUTE: '1000',
      ...opts.env,
    },
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 120 s:\n${out}`)), 120_000);
    const check = () => {
      if (/is running at/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}) before it was ready:\n${out}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}
