import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSocket, Running } from './helpers';
import { collectChanges, login, requireEnv } from './helpers';
import { externalIdCounts, incidentsOf, nextCreated, rejectedOf, runId, shuffle, startConnectorApp, subscribedSocket, until } from '../fixtures/connectors/helpers';

const url = process.env.TEST_MQTT_URL || undefined;
const skip = !url && process.env.CI !== 'true';
if (skip) console.warn('[connector-mqtt] not run: TEST_MQTT_URL is not set (e.g. mqtt://127.0.0.1:1883)');

// Devices of the bundled synthetic registry (geo/data/devices.json).
const SMOKE = ['a1GridSmoke', 'SMK-510108001001002-01'] as const;
const LIFT = ['a1GridLift0', 'ELV-510108001001005-01'] as const;
const WATER = ['a1GridWater', 'WTR-510108001001001-01'] as const;
const SOS = ['a1GridSos00', 'SOS-510108001001004-01'] as const;
const WATER2 = ['a1GridWater', 'WTR-510108001001003-01'] as const;
const SOS2 = ['a1GridSos00', 'SOS-510108001001008-01'] as const;

const run = runId();
const prefix = `gridops-it-${run}`;
const clientId = `gridops-it-${run}`;
let dataDir: string;
let app: Running;
let token: string;
let socket: ClientSocket;
let device: MqttClient;
let msgId = 1;

const topic = ([pk, dn]: readonly [string, string]) => `${prefix}/sys/${pk}/${dn}/thing/event/property/post`;
const alink = (params: Record<string, unknown>) =>
  JSON.stringify({ id: String(msgId++), version: '1.0', sys: { ack: 0 }, params, method: 'thing.event.property.post' });
/** Publishes as the device would (QoS 1); resolves on the broker's PUBACK. */
const publish = (dev: readonly [string, string], payload: string | Buffer, t = topic(dev)) => device.publishAsync(t, payload, { qos: 1 });

/**
 * Waits until the connector has handled everything published before: a message of an unknown device goes last
 * and is awaited among the dead letters (the connector handles messages one at a time, in order).
 */
async function flush(): Promise<void> {
  const marker = `flush-${msgId}`;
  await publish(['a1Flush', marker], alink({}));
  await until(async () => (await rejectedOf(app, token, 'mqtt', 20)).some((d) => d.reason.includes(marker)), 15_000, 'flush marker');
}

async function startNode(): Promise<void> {
  app = await startConnectorApp(
    { MQTT_URL: requireEnv('TEST_MQTT_URL'), MQTT_TOPIC_PREFIX: prefix, MQTT_CLIENT_ID: clientId, WATER_ALERT_LITRES: '10', WATER_ALERT_HOURS: '24' },
    dataDir,
  );
  await until(() => app.sources.list().some((s) => s.id === 'mqtt' && s.status === 'connected'), 10_000, 'mqtt connected');
  token = (await login(app.url)).token;
  socket = await subscribedSocket(app, token);
}

async function stopNode(): Promise<void> {
  socket.disconnect();
  await app.stop();
}

describe.skipIf(skip)('MQTT connector (Alink property posts)', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gridops-mqtt-'));
    await startNode();
    device = await mqtt.connectAsync(requireEnv('TEST_MQTT_URL'), { clientId: `device-${run}` });
  });
  afterAll(async () => {
    await device?.endAsync();
    if (app) await stopNode();
    // Drop the persistent session this run left in the broker.
    const cleaner = await mqtt.connectAsync(requireEnv('TEST_MQTT_URL'), { clientId, clean: true }).catch(() => null);
    await cleaner?.endAsync();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes one fire incident per smoke alarm episode, pushed to sockets', async () => {
    // Hours before the next episode, so the two are not merged as one happening (merge.ts: 30 minutes).
    const t = Date.now() - 3 * 3_600_000;
    const pushed = nextCreated(socket, 'mqtt');
    const alarm = alink({ SmokeSensorState: { value: 1, time: t }, BatteryPercentage: { value: 87, time: t } });
    await publish(SMOKE, alarm);
    const [change] = await pushed;
    expect(change!.incident).toMatchObject({
      source: 'iot',
      connectorId: 'mqtt',
      category: 'fire',
      severity: 'critical',
      externalId: `${SMOKE.join('/')}:smoke:${t}`,
      reportedAt: new Date(t).toISOString(),
      gridId: '510108001001002',
    });
    // The same message again (a redelivery), and the alarm still raised: nothing new.
    await publish(SMOKE, alarm);
    await publish(SMOKE, alink({ SmokeSensorState: { value: 1, time: t + 30_000 } }));
    // Cleared, then raised again: a new episode.
    await publish(SMOKE, alink({ SmokeSensorState: { value: 0, time: t + 40_000 } }));
    const second = nextCreated(socket, 'mqtt');
    await publish(SMOKE, alink({ SmokeSensorState: 1 }));
    expect((await second)[0]!.incident.category).toBe('fire');
    const mine = (await incidentsOf(app, 'mqtt')).filter((i) => i.externalId?.startsWith(`${SMOKE.join('/')}:smoke:`));
    expect(mine).toHaveLength(2);
  });

  it('raises elevator (困人, critical) and elevator-fault reports, and one incident per emergency-button press', async () => {
    const t = Date.now() - 30_000;
    // 困人, then a fault code of the same lift (merged into the 困人 case as a second report), then an SOS press.
    const pushed = collectChanges(socket, 3, 10_000, (c) => c.incident.connectorId === 'mqtt');
    await publish(LIFT, alink({ TrappedPassenger: { value: 1, time: t }, ElevatorFault: { value: 0, time: t } }));
    await publish(LIFT, alink({ ElevatorFault: { value: 'E21', time: t + 1000 } }));
    await publish(SOS, alink({ SOSAlarm: { value: 1, time: t + 2000 } }));
    const changes = await pushed;
    const lift = changes.find((c) => c.type === 'created' && c.incident.category === 'elevator')!.incident;
    expect(lift).toMatchObject({ severity: 'critical', title: expect.stringContaining('电梯困人') });
    const reports = await app.store.incidents.reports(lift.id);
    expect(reports.map((r) => r.externalId)).toEqual([`${LIFT.join('/')}:trapped:${t}`, `${LIFT.join('/')}:fault:${t + 1000}`]);
    expect(reports[1]!.category).toBe('elevator_fault');
    const sos = changes.find((c) => c.type === 'created' && c.incident.category === 'emergency_call')!.incident;
    expect(sos).toMatchObject({ severity: 'critical', title: expect.stringContaining('紧急呼叫') });
  });

  it('raises one welfare check when a lone elderly resident uses under 10 litres in 24 hours', async () => {
    const h = 3_600_000;
    const t0 = Date.now() - 40 * h;
    const reading = (hours: number, m3: number) => publish(WATER, alink({ CumulativeFlow: { value: m3, time: t0 + hours * h } }));
    const pushed = nextCreated(socket, 'mqtt', 1, 10_000);
    await reading(0, 12.0);
    await reading(6, 12.002);
    await reading(12, 12.004);
    await reading(20, 12.005);
    await reading(25, 12.006); // 6 litres since t0, 25 hours: an anomaly
    const [change] = await pushed;
    expect(change!.incident).toMatchObject({ category: 'elderly_alone_anomaly', externalId: `${WATER.join('/')}:water:${t0 + 25 * h}` });
    expect(change!.incident.description).toContain('6.0 升');
    await reading(26, 12.007); // still the same episode
    await reading(25, 12.006); // an old reading delivered again
    await flush();
    const n = (await incidentsOf(app, 'mqtt')).filter((i) => i.category === 'elderly_alone_anomaly');
    expect(n).toHaveLength(1);
  });

  it('keeps messages that are not events, with a reason', async () => {
    await publish(SMOKE, 'not json {');
    await publish(['nope', 'ghost-device'], alink({ SmokeSensorState: 1 }));
    await publish(SMOKE, alink({ SmokeSensorState: 'yes' }));
    await publish(SMOKE, JSON.stringify({ id: '9', params: {}, method: 'thing.service.property.set' }));
    await until(async () => (await rejectedOf(app, token, 'mqtt')).length >= 4, 10_000, 'four dead letters');
    const reasons = (await rejectedOf(app, token, 'mqtt')).map((d) => d.reason);
    expect(reasons.some((r) => r.startsWith('mqtt/json'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('mqtt/unknown_device') && r.includes('nope/ghost-device'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('mqtt/value') && r.includes('SmokeSensorState'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('mqtt/alink') && r.includes('method'))).toBe(true);
  });

  it('acknowledges only after the commit: a failed commit is redelivered by the broker and makes one incident', async () => {
    const ingest = app.store.incidents.ingest;
    let failures = 0;
    app.store.incidents.ingest = async (batch, now) => {
      if (failures === 0) {
        failures++;
        throw new Error('simulated database failure');
      }
      return ingest.call(app.store.incidents, batch, now);
    };
    try {
      const t = Date.now() - 10 * 3_600_000;
      const pushed = nextCreated(socket, 'mqtt', 1, 15_000);
      await publish(SOS, alink({ SOSAlarm: { value: 1, time: t } }));
      const [change] = await pushed;
      expect(failures).toBe(1);
      expect(change!.incident.externalId).toBe(`${SOS.join('/')}:sos:${t}`);
      expect((await incidentsOf(app, 'mqtt')).filter((i) => i.externalId === change!.incident.externalId)).toHaveLength(1);
    } finally {
      app.store.incidents.ingest = ingest;
    }
  });

  it('takes 1,000 good messages mixed with 1,000 malformed ones: each good one once, each bad one kept, still serving', { timeout: 180_000 }, async () => {
    const before = (await incidentsOf(app, 'mqtt')).length;
    const notMarker = (d: { reason: string }) => !d.reason.includes('a1Flush/');
    const rejectedBefore = (await rejectedOf(app, token, 'mqtt')).filter(notMarker).length;
    // Presses 31 minutes apart, so each is its own case (merge.ts).
    const t = Date.now() - 20 * 3_600_000;
    const good = Array.from({ length: 1000 }, (_, i) => ({ dev: SOS, payload: alink({ SOSAlarm: { value: 1, time: t - i * 31 * 60_000 } }) }));
    const badMakers: (() => { dev: readonly [string, string]; payload: string })[] = [
      () => ({ dev: SOS, payload: '{"id":"1","params":' }),
      () => ({ dev: SOS, payload: '' }),
      () => ({ dev: SOS, payload: '[1,2,3]' }),
      () => ({ dev: ['a1Unknown', `dev-${msgId}`], payload: alink({ SOSAlarm: 1 }) }),
      () => ({ dev: SOS, payload: alink({ SOSAlarm: { value: 'pressed' } }) }),
      () => ({ dev: SOS, payload: JSON.stringify({ params: { SOSAlarm: 1 }, method: 'thing.event.property.post' }) }),
      () => ({ dev: SOS, payload: JSON.stringify({ id: '5', params: 'SOSAlarm=1' }) }),
      () => ({ dev: WATER, payload: alink({ CumulativeFlow: { value: -3 } }) }),
      () => ({ dev: LIFT, payload: alink({ ElevatorFault: { value: { code: 1 } } }) }),
      () => ({ dev: SMOKE, payload: JSON.stringify({ id: '7', params: {}, method: 'thing.event.other.post' }) }),
    ];
    const bad = Array.from({ length: 1000 }, (_, i) => badMakers[i % badMakers.length]!());
    const pushed = nextCreated(socket, 'mqtt', 1000, 60_000);
    // In bursts of 400: a broker queues at most max_queued_messages (Mosquitto: 1000) for a subscriber and
    // drops the rest, whatever the subscriber acknowledges; the test keeps within that default.
    const mixed = shuffle([...good, ...bad], 3);
    for (let i = 0; i < mixed.length; i += 400) {
      await Promise.all(mixed.slice(i, i + 400).map((m) => publish(m.dev, m.payload)));
      await flush();
    }
    const changes = await pushed;
    expect(new Set(changes.map((c) => c.incident.externalId)).size).toBe(1000);
    // Redeliver the good half again: nothing new.
    await Promise.all(good.slice(0, 400).map((m) => publish(m.dev, m.payload)));
    await flush();
    expect((await incidentsOf(app, 'mqtt')).length - before).toBe(1000);
    const counts = await externalIdCounts(app, 'mqtt');
    for (const c of changes) expect(counts.get(c.incident.externalId!)).toBe(1);
    const dead = await rejectedOf(app, token, 'mqtt');
    expect(dead.filter(notMarker).length - rejectedBefore).toBe(1000);
    expect(dead.every((d) => /^mqtt\/[a-z_]+: /.test(d.reason))).toBe(true);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    const mq = ((await health.json()) as { sources: { id: string; status: string; lastMessageAt: string | null; errors: number }[] }).sources.find((s) => s.id === 'mqtt');
    expect(mq).toMatchObject({ status: 'connected' });
    expect(mq!.errors).toBeGreaterThanOrEqual(1000);
    expect(mq!.lastMessageAt).not.toBeNull();
  });

  it('keeps alarm and water-meter state across a restart', async () => {
    const h = 3_600_000;
    const t0 = Date.now() - 80 * h;
    const before = (await incidentsOf(app, 'mqtt')).length;
    await publish(WATER2, alink({ CumulativeFlow: { value: 50, time: t0 } }));
    const pushed = nextCreated(socket, 'mqtt', 2);
    await publish(WATER2, alink({ CumulativeFlow: { value: 50.001, time: t0 + 24.5 * h } }));
    // Newer than the first test's smoke messages (older ones are past and ignored), hours after its episodes.
    const ts = Date.now() - 2 * h;
    await publish(SMOKE, alink({ SmokeSensorState: { value: 0, time: ts } }));
    await publish(SMOKE, alink({ SmokeSensorState: { value: 1, time: ts + 1000 } }));
    await pushed;
    await stopNode();
    // Published while the node is down: the broker keeps them for the persistent session.
    await publish(SOS2, alink({ SOSAlarm: { value: 1, time: t0 } }));
    await publish(WATER2, alink({ CumulativeFlow: { value: 50.002, time: t0 + 30 * h } }));
    await startNode();
    // Still the same smoke alarm after the restart: nothing new.
    await publish(SMOKE, alink({ SmokeSensorState: { value: 1, time: ts + 60_000 } }));
    await flush();
    const after = await incidentsOf(app, 'mqtt');
    expect(after.length - before).toBe(3);
    expect(after.filter((i) => i.externalId === `${SOS2.join('/')}:sos:${t0}`)).toHaveLength(1);
    // Water use back to normal ends the episode; the next low-use day is a new one.
    const next = nextCreated(socket, 'mqtt', 1);
    await publish(WATER2, alink({ CumulativeFlow: { value: 50.5, time: t0 + 31 * h } }));
    await publish(WATER2, alink({ CumulativeFlow: { value: 50.501, time: t0 + 56 * h } }));
    expect((await next)[0]!.incident.category).toBe('elderly_alone_anomaly');
  });
});
