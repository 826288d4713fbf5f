/**
 * Silent water meters (issue 13): every node sweeps the meters' last message times; a meter silent longer than
 * METER_SILENCE_HOURS raises one incident per silence period through the ingest pipeline, a device-offline one,
 * or for a lone elderly resident's meter (the welfare-check programme) a welfare check in `elderly_alone_anomaly`.
 * Exactly once across nodes twice over: the event's external id is (meter, period), unique per connector in the
 * incidents table, and the store's claim on (meter, period) stops the next rounds from submitting it again.
 * A registry meter that has never reported is registered in the store (never heard, silent from its
 * registration) before the first round, so it is raised like one that went quiet.
 */
import type { IngestEventInput } from '#common/ingest/schema';
import { decideSilence, registrationMs, silenceExternalId } from '#common/ingest/meter-silence';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import type { Pipeline } from './pipeline.ts';
import { MQTT_CONNECTOR_ID } from './connectors/mqtt.ts';
import type { Device, DeviceRegistry } from './connectors/devices.ts';

export const METER_SILENCE_SWEEP_MS = 5 * 60_000;

export interface MeterSilence {
  /** One round; returns the silence periods this call marked raised (one incident each, across nodes). */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

interface Deps {
  store: Store;
  pipeline: Pipeline;
  devices: DeviceRegistry;
  hours: number;
  now: () => Date;
  log: Logger;
  intervalMs?: number;
}

/** Lone elderly residents' meters are the welfare-check programme (devices.ts: welfareCheck defaults to true). */
const isWelfareMeter = (d: Device) => d.kind === 'water_meter' && d.welfareCheck !== false;

interface Silence {
  periodMs: number;
  silentHours: number;
  neverHeard: boolean;
}

function silenceEvent(device: Device, key: string, s: Silence, limitHours: number, now: Date): IngestEventInput {
  const welfare = isWelfareMeter(device);
  const where = device.address ?? (device.buildingId ? `楼栋 ${device.buildingId}` : null);
  const { periodMs, silentHours } = s;
  const at = new Date(periodMs).toISOString();
  const since = s.neverHeard ? `登记于 ${at}，从未上报` : `最后一次 ${at}`;
  return {
    externalId: silenceExternalId(key, periodMs),
    source: 'iot',
    category: welfare ? 'elderly_alone_anomaly' : 'device_offline',
    severity: welfare ? 'high' : 'low',
    title: `${welfare ? '独居老人水表离线' : '智能水表离线'}${device.buildingId ? ` · ${device.buildingId}` : ''}`,
    description: welfare
      ? `智能水表 ${device.deviceName}：已 ${silentHours} 小时无数据（超过 ${limitHours} 小时，${since}），独居老人家中，请上门或电话探访，并检修水表`
      : `智能水表 ${device.deviceName}：已 ${silentHours} 小时无数据（超过 ${limitHours} 小时，${since}），请检修设备`,
    location: device.location,
    crs: 'wgs84',
    address: where,
    reportedAt: now.toISOString(),
  };
}

export function startMeterSilence(deps: Deps): MeterSilence {
  const { store, pipeline, devices, hours, now, log } = deps;

  // Registry water meters the store does not know yet: silent from their registration until they speak.
  const meters = [...devices].filter(([, d]) => d.kind === 'water_meter');
  let registered: Promise<void> | null = null;
  const register = () =>
    (registered ??= store.meters.register(meters.map(([key, d]) => ({ deviceKey: key, atMs: registrationMs(d.registeredAt, now().getTime()) }))).catch((err: unknown) => {
      registered = null; // tried again before the next round
      throw err;
    }));
  register().catch((err: unknown) => log.error({ err }, 'meter silence: registering the registry meters failed'));

  async function sweep(): Promise<number> {
    await register();
    const at = now();
    const beforeMs = at.getTime() - hours * 3_600_000;
    let raised = 0;
    for (const hb of await store.meters.silentSince(beforeMs)) {
      const d = decideSilence(hb, at.getTime(), hours);
      if (d.kind !== 'raise') continue;
      const device = devices.get(hb.deviceKey);
      if (!device || device.kind !== 'water_meter') continue; // left the registry: nothing to say about it
      const [r] = await pipeline.submit(MQTT_CONNECTOR_ID, [silenceEvent(device, hb.deviceKey, d, hours, at)], at);
      if (!r?.ok) {
        log.error({ device: hb.deviceKey, result: r }, 'meter silence: incident refused');
        continue;
      }
      // Submitted (or a duplicate of another node's): mark the period raised. The claim's winner counts it,
      // whichever node created the incident, so the nodes' counts add up to the periods raised.
      if (await store.meters.claim(hb.deviceKey, d.periodMs)) raised++;
    }
    return raised;
  }

  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sweep()
      .catch((err: unknown) => log.error({ err }, 'meter silence: sweep failed'))
      .finally(() => (running = null));
  }, deps.intervalMs ?? METER_SILENCE_SWEEP_MS);
  timer.unref();
  return {
    sweep,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
