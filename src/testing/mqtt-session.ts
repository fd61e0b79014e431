import mqtt from 'mqtt';

/**
 * Ends the broker's persistent session of `clientId` (issue 18): the MQTT ingest connects with
 * clean start off and a 7-day session expiry, so a test that ran one against a shared broker
 * (the system Mosquitto on 127.0.0.1:1883) would leave a session subscribed to
 * `yiyang/v1/devices/+/events`, into which every later test's events would queue. Connecting once
 * more with the same client id, clean start on and session expiry 0, then disconnecting, makes the
 * broker discard it (MQTT 5: the old session is dropped at the clean start, the new one ends with
 * the connection). Call it after the ingest has stopped (the same id would take the connection
 * over). Resolves whether the broker had a session or not; rejects if the broker cannot be reached.
 */
export async function endMqttSession(url: string, clientId: string, timeoutMs = 10_000): Promise<void> {
  const client = await mqtt.connectAsync(url, {
    clientId,
    clean: true,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
  });
  await client.endAsync();
}

/**
 * Whether the broker holds a session for `clientId`: connects with clean start off and reads
 * `sessionPresent` from the CONNACK. The probe itself asks for session expiry 0, so it leaves
 * nothing behind when the broker had none.
 */
export async function mqttSessionPresent(url: string, clientId: string, timeoutMs = 10_000): Promise<boolean> {
  const client = mqtt.connect(url, {
    clientId,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
  });
  try {
    return await new Promise<boolean>((resolve, reject) => {
      client.once('connect', (connack) => resolve(connack.sessionPresent));
      client.once('error', reject);
    });
  } finally {
    await client.endAsync();
  }
}
