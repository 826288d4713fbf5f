/**
 * The upstream connectors, wired by createApp: HTTP ones (Open311, 12345 hotline) as routes before the auth wall,
 * the dead-letter list behind it, MQTT as a long-lived client when MQTT_URL is set.
 */
import { hostname } from 'node:os';
import { Router } from 'express';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { Pipeline } from '../pipeline.ts';
import type { ConnectorDeps } from './common.ts';
import { loadDevices } from './devices.ts';
import { hotlineRoutes } from './hotline.ts';
import { startMqttConnector, type MqttConnector } from './mqtt.ts';
import { open311Routes, type Open311Deps } from './open311.ts';
import { startMeterSilence, type MeterSilence } from '../meter-silence.ts';

export { hotlineParseErrors, requireUtf8Ingest } from './hotline.ts';
export { rejectedRoutes } from './rejected-routes.ts';

type Deps = Open311Deps;

/** `/open311/v2/*` and `POST /api/ingest/hotline`; mount at the app root, before requireAuth. */
export function connectorRoutes(deps: Deps): Router {
  const r = Router();
  r.use('/open311/v2', open311Routes(deps));
  r.use('/api', hotlineRoutes(deps));
  return r;
}

/** The MQTT connector and the silent-meter sweep (meter-silence.ts) when MQTT_URL is set, else null. */
export function startMqtt(
  deps: ConnectorDeps & { pipeline: Pipeline; log: Logger; now: () => Date },
  config: Config,
): { connector: MqttConnector; silence: MeterSilence } | null {
  if (!config.MQTT_URL) return null;
  const { devices, file, skipped } = loadDevices(config.DATA_DIR);
  deps.log.info({ devices: devices.size, skipped, file }, 'mqtt device registry loaded');
  const silence = startMeterSilence({ store: deps.store, pipeline: deps.pipeline, devices, hours: config.METER_SILENCE_HOURS, now: deps.now, log: deps.log });
  const connector = startMqttConnector(deps, {
    url: config.MQTT_URL,
    clientId: config.MQTT_CLIENT_ID || `gridops-${hostname()}`.slice(0, 64),
    username: config.MQTT_USERNAME || undefined,
    password: config.MQTT_PASSWORD || undefined,
    topicPrefix: config.MQTT_TOPIC_PREFIX,
    sharedGroup: config.MQTT_SHARED_GROUP,
    waterLitres: config.WATER_ALERT_LITRES,
    waterHours: config.WATER_ALERT_HOURS,
    devices,
    now: deps.now,
  });
  return { connector, silence };
}
