import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A private Mosquitto for a test: the project's ops/mosquitto/yiyang.conf with the listener's port
 * and persistence_location replaced (a free port, a temporary directory), so a test may kill it with
 * -9 and start it again over the same persistence without touching the system broker.
 */
export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
export const PROJECT_CONF = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ops', 'mosquitto', 'yiyang.conf');

export interface PrivateBroker {
  port: number;
  url: string;
  /** the persistence directory (kept across restart) */
  dir: string;
  /** the generated configuration file */
  conf: string;
  /** the broker's pid while running */
  pid(): number | undefined;
  /** the broker's log so far (stderr) */
  log(): string;
  /** sends a signal and waits until the process has exited */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** starts it again on the same port and persistence directory (after kill) */
  restart(): Promise<void>;
  /** stops it (SIGTERM: it saves its snapshot) and removes the directory */
  stop(): Promise<void>;
}

/** The project's configuration with the port and persistence location replaced. */
export function brokerConf(port: number, persistenceDir: string, source = PROJECT_CONF): string {
  const lines = readFileSync(source, 'utf8').split('\n');
  let listeners = 0;
  let persistence = 0;
  const out = lines.map((line) => {
    if (/^\s*listener\s/.test(line)) {
      listeners++;
      return `listener ${port} 127.0.0.1`;
    }
    if (/^\s*persistence_location\s/.test(line)) {
      persistence++;
      return `persistence_location ${persistenceDir.endsWith('/') ? persistenceDir : `${persistenceDir}/`}`;
    }
    return line;
  });
  if (listeners !== 1 || persistence !== 1) throw new Error(`${source}: expected one listener and one persistence_location line`);
  // started as root, mosquitto drops to the user 'mosquitto', which may not write the test's private
  // directory: run it as whoever runs the test (ignored when that is not root)
  out.push(`user ${userInfo().username}`);
  return out.join('\n');
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitListening(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mosquitto exited (${child.exitCode ?? child.signalCode}):\n${log()}`);
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startBroker(): Promise<PrivateBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-mosquitto-'));
  const port = await freePort();
  const conf = join(dir, 'yiyang.conf');
  mkdirSync(join(dir, 'data'));
  writeFileSync(conf, brokerConf(port, join(dir, 'data')));
  let child: ChildProcess | undefined;
  let output = '';
  const log = () => output;

  const launch = async () => {
    const c = spawn(MOSQUITTO_BIN, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child = c;
    // never outlive the test process (a failed or interrupted test must not leave brokers behind)
    const reap = () => c.kill('SIGKILL');
    process.once('exit', reap);
    c.once('exit', () => process.off('exit', reap));
    await waitListening(port, c, log);
  };
  const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())));

  await launch();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    conf,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    log,
    async kill(signal = 'SIGKILL') {
      const c = child;
      if (!c) return;
      const gone = exited(c);
      c.kill(signal);
      await gone;
    },
    async restart() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error('mosquitto is still running: kill it first');
      await launch();
    },
    async stop() {
      if (child) {
        const c = child;
        const gone = exited(c);
        c.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
