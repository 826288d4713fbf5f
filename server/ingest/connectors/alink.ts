/**
 * Alibaba Cloud IoT (Alink JSON) property posts → ingest events. Pure: device registry and per-device state in,
 * events and the next state out.
 *
 * Topic: `{prefix}/sys/{productKey}/{deviceName}/thing/event/property/post`
 * Payload: `{ "id": "123", "version": "1.0", "params": { "<Prop>": { "value": v, "time": 1700000000000 } | v, … },
 *             "method": "thing.event.property.post" }`
 *
 * Properties read (device kind from the registry):
 *   smoke             SmokeSensorState      0 normal, 1 alarm          → `fire` (critical), one per alarm episode
 *   elevator          TrappedPassenger      0/1 (困人)                  → `elevator` (critical), one per episode
 *                     ElevatorFault         0 none, else a fault code  → `elevator_fault`, one per episode
 *   emergency_button  SOSAlarm              1 pressed                  → `emergency_call` (critical, 15 min around the clock), one per press
 *   water_meter       CumulativeFlow        cumulative m³ (litres = m³ × 1000) → `elderly_alone_anomaly` when under
 *                                           WATER_ALERT_LITRES in WATER_ALERT_HOURS (water.ts), one per episode
 * Other properties (battery, signal …) are telemetry: accepted, no incident.
 * An episode lasts while the state stays raised; its external id is device + rule + the time (property `time`,
 * else the Alink message id) of the message that raised it, so a redelivered message never makes a second incident.
 */
import { isUtf8 } from 'node:buffer';
import type { IngestEventInput } from '#common/ingest/schema';
import type { Severity } from '#common/incidents/types';
import { deviceKey, type Device, type DeviceRegistry } from './devices.ts';
import { applyWaterReading, emptyWaterState, type WaterOptions, type WaterState } from './water.ts';
import { MAX_BODY_DEPTH, nestedDeeperThan } from '../dead-letters.ts';

export const PROPERTY_POST_METHOD = 'thing.event.property.post';

export interface DeviceState {
  /** rule → external id of its open episode. */
  active: Record<string, string>;
  /**
   * rule → newest property `time` applied. A message of a level rule not newer than it is past (a QoS 1
   * redelivery, a device flushing its offline cache): it must neither reopen an episode already ended nor
   * leave the rule raised, which would swallow the next real alarm.
   */
  seen?: Record<string, number>;
  water?: WaterState;
}
export const emptyDeviceState = (): DeviceState => ({ active: {} });

export interface AlinkMessage {
  device: Device;
  id: string;
  params: Record<string, unknown>;
}

export type Parsed = { ok: true; message: AlinkMessage } | { ok: false; reason: string };

/** Topic + payload → a message of a registered device, or the reason it is not one. */
/** Largest Alink payload taken (the platform's own message limit). */
export const MAX_ALINK_BYTES = 256 * 1024;

export function parseAlink(topic: string, payload: Buffer, prefix: string, devices: DeviceRegistry): Parsed {
  const rest = topic.startsWith(`${prefix}/sys/`) ? topic.slice(prefix.length + 5).split('/') : null;
  if (!rest || rest.length !== 6 || rest.slice(2).join('/') !== 'thing/event/property/post' || !rest[0] || !rest[1]) {
    return { ok: false, reason: `mqtt/topic: not a property post topic: ${topic.slice(0, 200)}` };
  }
  const [productKey, deviceName] = rest as [string, string];
  // A property post is a few hundred bytes (the IoT platform caps messages at 256 KB): a larger one is refused
  // before JSON.parse would hold the event loop over it.
  if (payload.length > MAX_ALINK_BYTES) return { ok: false, reason: `mqtt/too_large: payload of ${payload.length} bytes (at most ${MAX_ALINK_BYTES})` };
  if (!isUtf8(payload)) return { ok: false, reason: 'mqtt/encoding: payload is not UTF-8 (a GBK device firmware?)' };
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `mqtt/json: payload is not JSON (${(err as Error).message.slice(0, 120)})` };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'mqtt/alink: payload is not a JSON object' };
  // Before anything walks it recursively (JSON.stringify below would overflow the stack on a hostile payload).
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) return { ok: false, reason: `mqtt/too_deep: payload nested deeper than ${MAX_BODY_DEPTH} levels` };
  const b = body as Record<string, unknown>;
  if (b.method !== undefined && b.method !== PROPERTY_POST_METHOD) {
    return { ok: false, reason: `mqtt/alink: method must be ${PROPERTY_POST_METHOD}, got ${JSON.stringify(b.method).slice(0, 60)}` };
  }
  if ((typeof b.id !== 'string' && typeof b.id !== 'number') || String(b.id).length === 0 || String(b.id).length > 64) {
    return { ok: false, reason: 'mqtt/alink: id must be a non-empty string or number' };
  }
  if (!b.params || typeof b.params !== 'object' || Array.isArray(b.params)) return { ok: false, reason: 'mqtt/alink: params must be an object' };
  const device = devices.get(deviceKey(productKey, deviceName));
  if (!device) return { ok: false, reason: `mqtt/unknown_device: ${productKey}/${deviceName} is not in the device registry` };
  return { ok: true, message: { device, id: String(b.id), params: b.params as Record<string, unknown> } };
}

/** A property's value and time (ms) in either Alink form; undefined when absent. */
function prop(params: Record<string, unknown>, name: string): { value: unknown; time: number | null } | undefined {
  if (!(name in params)) return undefined;
  const p = params[name];
  if (p && typeof p === 'object' && !Array.isArray(p) && 'value' in p) {
    const t = (p as { time?: unknown }).time;
    return { value: (p as { value: unknown }).value, time: typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : null };
  }
  return { value: p, time: null };
}

function flag(name: string, v: unknown): 0 | 1 | string {
  if (v === 0 || v === false || v === '0') return 0;
  if (v === 1 || v === true || v === '1') return 1;
  return `mqtt/value: ${name} must be 0 or 1, got ${JSON.stringify(v)?.slice(0, 40)}`;
}

export interface RuleOptions extends WaterOptions {
  /** Receive time, used when a property has no `time`. */
  now: Date;
}

export type RuleResult = { ok: true; events: IngestEventInput[]; state: DeviceState; changed: boolean } | { ok: false; reason: string };

/** How far ahead of the server's clock a property time may be and still order a device's messages. */
const ORDER_SLACK_MS = 10 * 60_000;

const KIND_ZH = { smoke: '烟感', elevator: '电梯', water_meter: '智能水表', emergency_button: '紧急呼叫按钮' } as const;

export function applyRules(msg: AlinkMessage, prev: DeviceState, opt: RuleOptions): RuleResult {
  const { device, params } = msg;
  const dev = deviceKey(device.productKey, device.deviceName);
  const state: DeviceState = { active: { ...prev.active }, seen: { ...prev.seen }, water: prev.water };
  const events: IngestEventInput[] = [];
  let changed = false;
  const where = device.address ?? (device.buildingId ? `楼栋 ${device.buildingId}` : null);
  const event = (rule: string, key: string, at: number, category: string, severity: Severity, title: string, text: string): IngestEventInput => ({
    externalId: `${dev}:${rule}:${key}`.slice(0, 128),
    source: 'iot',
    category,
    severity,
    title: `${title}${device.buildingId ? ` · ${device.buildingId}` : ''}`,
    description: `${KIND_ZH[device.kind]} ${device.deviceName}：${text}`,
    location: device.location,
    crs: 'wgs84',
    address: where,
    // A device clock running ahead never dates a case in the future.
    reportedAt: new Date(Math.min(at, opt.now.getTime() + 60_000)).toISOString(),
  });
  /** A level alarm: an incident when it rises, nothing while it stays up, the episode ends when it falls. */
  const level = (rule: string, p: { raised: boolean; time: number | null } | undefined, make: (key: string, at: number) => IngestEventInput) => {
    if (!p) return;
    // A time far ahead of ours (a device clock glitch) is not trusted for ordering: kept, it would make every
    // later real message look past.
    if (p.time !== null && p.time <= opt.now.getTime() + ORDER_SLACK_MS) {
      const last = state.seen?.[rule];
      if (last !== undefined && p.time <= last) return;
      state.seen = { ...state.seen, [rule]: p.time };
    }
    if (!p.raised) {
      if (state.active[rule]) {
        delete state.active[rule];
        changed = true;
      }
      return;
    }
    if (state.active[rule]) return;
    const e = make(p.time !== null ? String(p.time) : `id${msg.id}`, p.time ?? opt.now.getTime());
    state.active[rule] = e.externalId;
    changed = true;
    events.push(e);
  };
  /** A 0/1 property; throws the reject reason when it is anything else. */
  const flagProp = (name: string): { raised: boolean; time: number | null } | undefined => {
    const p = prop(params, name);
    if (!p) return undefined;
    const f = flag(name, p.value);
    if (typeof f === 'string') throw new Error(f);
    return { raised: f === 1, time: p.time };
  };
  try {
    switch (device.kind) {
      case 'smoke':
        level('smoke', flagProp('SmokeSensorState'), (k, at) =>
          event('smoke', k, at, 'fire', 'critical', '烟感报警', '烟雾报警（SmokeSensorState=1），请立即核实'),
        );
        break;
      case 'elevator': {
        level('trapped', flagProp('TrappedPassenger'), (k, at) =>
          event('trapped', k, at, 'elevator', 'critical', '电梯困人', '电梯困人报警（TrappedPassenger=1）'),
        );
        const f = prop(params, 'ElevatorFault');
        if (f) {
          const code = f.value;
          const valid = (typeof code === 'number' && Number.isInteger(code) && code >= 0) || (typeof code === 'string' && /^[0-9A-Za-z_-]{1,16}$/.test(code));
          if (!valid) throw new Error(`mqtt/value: ElevatorFault must be 0 or a fault code, got ${JSON.stringify(code)?.slice(0, 40)}`);
          level('fault', { raised: code !== 0 && code !== '0', time: f.time }, (k, at) =>
            event('fault', k, at, 'elevator_fault', 'medium', '电梯故障', `电梯故障报警，故障码 ${String(code)}`),
          );
        }
        break;
      }
      case 'emergency_button': {
        const p = flagProp('SOSAlarm');
        // A press is momentary: every message that says pressed is its own case.
        if (p?.raised) {
          const key = p.time !== null ? String(p.time) : `id${msg.id}`;
          events.push(event('sos', key, p.time ?? opt.now.getTime(), 'emergency_call', 'critical', '紧急呼叫', '紧急呼叫按钮被按下，请立即联系住户'));
        }
        break;
      }
      case 'water_meter': {
        const p = prop(params, 'CumulativeFlow');
        if (!p || device.welfareCheck === false) break;
        if (typeof p.value !== 'number' || !Number.isFinite(p.value) || p.value < 0) {
          throw new Error(`mqtt/value: CumulativeFlow must be a non-negative number of m³, got ${JSON.stringify(p.value)?.slice(0, 40)}`);
        }
        const at = p.time ?? opt.now.getTime();
        const r = applyWaterReading(prev.water ?? emptyWaterState(), at, Math.round(p.value * 1_000_000) / 1000, opt);
        if (r.state !== prev.water) {
          state.water = r.state;
          changed = true;
        }
        if (r.outcome.kind === 'anomaly_started') {
          const o = r.outcome;
          const hours = Math.round(((at - o.sinceMs) / 3_600_000) * 10) / 10;
          events.push(
            event('water', String(o.episode), at, 'elderly_alone_anomaly', 'high', '独居老人用水异常',
              `近 ${hours} 小时用水 ${o.usedLitres.toFixed(1)} 升，低于 ${opt.litres} 升/${opt.hours} 小时，请上门或电话探访`),
          );
        }
        break;
      }
    }
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  return { ok: true, events, state, changed };
}
