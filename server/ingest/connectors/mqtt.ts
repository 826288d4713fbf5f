/**
 * MQTT connector (enabled by MQTT_URL): Alibaba Alink property posts from the IoT platform's broker → incidents.
 *
 * Ack after commit: mqtt.js sends the PUBACK of a QoS 1 message only when `client.handleMessage(packet, cb)` calls
 * `cb` (its documented backpressure hook, one message at a time, any protocol version; `customHandleAcks` is MQTT 5
 * only and its error reason codes tell the broker "processed, failed", which it does not redeliver). We call `cb`
 * after the pipeline has committed (and the device state is saved). When the store fails we do not acknowledge:
 * we drop the connection, and the broker redelivers every unacknowledged message on the resumed session
 * (`clean: false`, fixed client id); the deterministic external ids make the redelivery a no-op where it was
 * already committed. A message that cannot become an event is kept in the dead-letter store and acknowledged.
 *
 * Reconnects with exponential backoff (1 s doubling to 30 s); health under id `mqtt` in /healthz.
 */
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../../log.ts';
import type { Pipeline } from '../pipeline.ts';
import { applyRules, emptyDeviceState, parseAlink, type DeviceState } from './alink.ts';
import { rejectRaw, type ConnectorDeps } from './common.ts';
import { deviceKey, type DeviceRegistry } from './devices.ts';

export const MQTT_CONNECTOR_ID = 'mqtt';
const STATE_KEY = 'connector:mqtt:device:';

export interface MqttOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Prepended to the Alink topic (`{prefix}/sys/…`); '' for the platform's own topics. */
  topicPrefix: string;
  /** When set, subscribe as `$share/{group}/…` so several GridOps nodes split the messages. */
  sharedGroup: string;
  waterLitres: number;
  waterHours: number;
  devices: DeviceRegistry;
  /** First reconnect delay; doubles up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** The app's clock (tests move it); the wall clock by default. */
  now?: () => Date;
}

export interface MqttConnector {
  readonly client: MqttClient;
  /** The filter subscribed to. */
  readonly topic: string;
  /** Resolves once subscribed (first connection). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startMqttConnector(deps: ConnectorDeps & { pipeline: Pipeline; log: Logger }, opt: MqttOptions): MqttConnector {
  const { pipeline, store, sources, log } = deps;
  const id = MQTT_CONNECTOR_ID;
  const base = `${opt.topicPrefix}/sys/+/+/thing/event/property/post`;
  const topic = opt.sharedGroup ? `$share/${opt.sharedGroup}/${base}` : base;
  const firstDelay = opt.reconnectMs ?? 1000;
  const maxDelay = opt.maxReconnectMs ?? 30_000;
  sources.register(id, 'mqtt', 'connecting');

  const client = mqtt.connect(opt.url, {
    clientId: opt.clientId,
    clean: false,
    username: opt.username || undefined,
    password: opt.password || undefined,
    keepalive: 30,
    connectTimeout: 10_000,
    // Reconnects are ours (backoff below); mqtt.js's own period is fixed.
    reconnectPeriod: 0,
    resubscribe: false,
  });

  let stopped = false;
  let delay = firstDelay;
  let timer: NodeJS.Timeout | null = null;
  let failed = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  client.on('connect', () => {
    delay = firstDelay;
    failed = false;
    client.subscribe(topic, { qos: 1 }, (err, granted) => {
      if (err || granted?.some((g) => g.qos > 2)) {
        log.error({ err, topic }, 'mqtt subscribe refused');
        sources.setStatus(id, 'error');
        return;
      }
      sources.setStatus(id, 'connected');
      log.info({ topic }, 'mqtt connector subscribed');
      markReady();
    });
  });
  client.on('error', (err) => {
    failed = true;
    sources.setStatus(id, 'error');
    log.warn({ err: err.message }, 'mqtt connection error');
  });
  client.on('close', () => {
    if (stopped) return;
    sources.setStatus(id, failed ? 'error' : 'disconnected');
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      sources.setStatus(id, 'connecting');
      client.reconnect();
    }, delay);
    delay = Math.min(delay * 2, maxDelay);
  });

  const states = new Map<string, DeviceState>();
  async function stateOf(dev: string): Promise<DeviceState> {
    let s = states.get(dev);
    if (!s) {
      const saved = await store.settings.get(STATE_KEY + dev);
      try {
        s = saved ? (JSON.parse(saved) as DeviceState) : emptyDeviceState();
      } catch {
        s = emptyDeviceState();
      }
      states.set(dev, s);
    }
    return s;
  }

  /** One message, to commit. Throws only when the store fails (then nothing is acknowledged). */
  async function handle(packet: IPublishPacket): Promise<void> {
    const now = opt.now?.() ?? new Date();
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const parsed = parseAlink(packet.topic, payload, opt.topicPrefix, opt.devices);
    if (!parsed.ok) return rejectRaw(deps, id, parsed.reason, { topic: packet.topic, payload: payload.subarray(0, 16_384).toString('utf8') }, now);
    const { device } = parsed.message;
    const dev = deviceKey(device.productKey, device.deviceName);
    // Any well-formed message of a water meter is a sign of life (meter-silence.ts), even one with a bad value.
    if (device.kind === 'water_meter') await store.meters.touch(dev, now.getTime());
    const prev = await stateOf(dev);
    const r = applyRules(parsed.message, prev, { litres: opt.waterLitres, hours: opt.waterHours, now });
    if (!r.ok) return rejectRaw(deps, id, r.reason, { topic: packet.topic, payload: payload.subarray(0, 16_384).toString('utf8') }, now);
    if (r.events.length > 0) await pipeline.submit(id, r.events, now);
    else sources.record(id, 0, 0, now);
    // The newest times seen are kept in memory from every message, written with the next change of episode.
    if (r.changed) await store.settings.set(STATE_KEY + dev, JSON.stringify(r.state));
    states.set(dev, r.state);
  }

  client.handleMessage = (packet, callback) => {
    const stream = client.stream;
    handle(packet).then(
      () => {
        // Acknowledge only on the connection the message came in on: after a reconnect its packet id may
        // belong to another message; the broker redelivers this one and the dedupe makes that a no-op.
        if (client.stream === stream && !stopped) callback();
      },
      (err: unknown) => {
        log.error({ err, topic: packet.topic }, 'mqtt message not committed; dropping the connection for redelivery');
        if (client.stream === stream && !stopped) stream.destroy();
      },
    );
  };

  return {
    client,
    topic,
    ready,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      sources.setStatus(id, 'disconnected');
      await Promise.race([client.endAsync(), new Promise((r) => setTimeout(r, 2000).unref())]).catch(() => undefined);
      if (!client.disconnected) client.end(true);
    },
  };
}
