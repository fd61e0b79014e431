import mqtt from 'mqtt';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type PrivateBroker } from './mosquitto.js';
import { endMqttSession, mqttSessionPresent } from './mqtt-session.js';

/** A session like the MQTT ingest's (alarms/mqtt.ts): clean start off, 7 days, subscribed to the events. */
async function leaveIngestLikeSession(url: string, clientId: string): Promise<void> {
  const c = await mqtt.connectAsync(url, {
    clientId,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 7 * 24 * 3600 },
    reconnectPeriod: 0,
  });
  await c.subscribeAsync('yiyang/v1/devices/+/events', { qos: 1 });
  await c.endAsync();
}

describe('endMqttSession: a test leaves no persistent session at the broker', () => {
  let broker: PrivateBroker;
  beforeAll(async () => {
    broker = await startBroker();
  }, 30_000);
  afterAll(async () => {
    await broker?.stop();
  });

  it('a session left by an ingest-like client is there until endMqttSession ends it', async () => {
    const id = `yiyang-session-test-${randomUUID().slice(0, 8)}`;
    // without the helper the broker keeps the session (the probe shows it, and ends it in passing)
    await leaveIngestLikeSession(broker.url, id);
    expect(await mqttSessionPresent(broker.url, id)).toBe(true);

    await leaveIngestLikeSession(broker.url, id);
    await endMqttSession(broker.url, id);
    expect(await mqttSessionPresent(broker.url, id)).toBe(false);
  });

  it('ending a session that does not exist is harmless', async () => {
    const id = `yiyang-session-none-${randomUUID().slice(0, 8)}`;
    await endMqttSession(broker.url, id);
    expect(await mqttSessionPresent(broker.url, id)).toBe(false);
  });
});
