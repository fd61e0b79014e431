import type { AppContext } from '../../platform/context.js';
import type { Serving } from '../../platform/module.js';
import { startClock } from './clock.js';
import { startMqttIngest } from './mqtt.js';

/**
 * What the alarms module runs while the server serves: the MQTT subscriber when MQTT_URL is set
 * (mqtt.ts; without it vendors' signed HTTP is the only way in, and says so in the log) and the
 * clock (clock.ts: escalations, timed rules, expired nonces). Stopped in reverse order (the clock,
 * then the subscriber, which commits and acknowledges the batch in hand) before the database closes,
 * each within STOP_BOUND_MS (stopWithin).
 */
export function serveAlarms(ctx: AppContext, log: (line: string) => void = console.log): Serving {
  const running: Serving[] = [];
  if (ctx.config.mqttUrl) {
    running.push(startMqttIngest(ctx));
    log(`Alarms: MQTT ingest subscribing at ${safeUrl(ctx.config.mqttUrl)} as "${ctx.config.mqttClientId}" (persistent session).`);
  } else {
    log('Alarms: MQTT is off (MQTT_URL not set): device events arrive only over signed HTTP (POST /api/alarms/ingest).');
  }
  running.push(startClock(ctx));
  const names = ctx.config.mqttUrl ? ['MQTT subscriber', 'clock'] : ['clock'];
  return {
    async stop() {
      // the clock first, then the subscriber; neither may hold the shutdown forever
      for (const i of [...running.keys()].reverse()) await stopWithin(running[i]!, names[i]!, STOP_BOUND_MS, log);
    },
  };
}

/** How long each part may take to stop before the shutdown goes on without it. */
export const STOP_BOUND_MS = 5000;

/**
 * Stops one part, waiting at most `ms`: a clock tick or a batch's commit stuck on the database, or
 * an MQTT connection that does not close, must not keep a SIGTERMed server running. Going on
 * without it is safe for the events: the subscriber writes a message's PUBACK (and the device's
 * ack) only after its batch committed, so a batch still in hand when the process exits stays
 * unacknowledged at the broker and is delivered again to the next session (stored once). A part
 * whose stop fails is logged too; the shutdown goes on.
 */
export async function stopWithin(part: Serving, name: string, ms: number, log: (line: string) => void): Promise<'stopped' | 'late' | 'failed'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  const outcome = await Promise.race([
    part.stop().then(
      () => 'stopped' as const,
      (err: unknown) => {
        log(`Alarms: the ${name} failed to stop (${(err as Error).message}); shutting down without it.`);
        return 'failed' as const;
      },
    ),
    late,
  ]);
  clearTimeout(timer);
  if (outcome === 'late') {
    log(
      `Alarms: the ${name} did not stop within ${ms / 1000} s; shutting down without it (events not yet committed stay unacknowledged at the broker and come again).`,
    );
  }
  return outcome;
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(unparseable MQTT_URL)';
  }
}
