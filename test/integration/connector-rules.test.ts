/** The connectors' pure rules (no broker needed), and a broker that cannot be reached. */
import { describe, expect, it } from 'vitest';
import { applyRules, emptyDeviceState, parseAlink } from '#server/ingest/connectors/alink';
import { maskContact } from '#server/ingest/connectors/common';
import { loadDevices } from '#server/ingest/connectors/devices';
import { mapHotlineCategory } from '#server/ingest/connectors/hotline-categories';
import { applyWaterReading, emptyWaterState, type WaterState } from '#server/ingest/connectors/water';
import { startConnectorApp, until } from '../fixtures/connectors/helpers';

const H = 3_600_000;
const opt = { litres: 10, hours: 24 };

function feed(readings: [number, number][], state: WaterState = emptyWaterState()) {
  const outcomes: string[] = [];
  for (const [h, l] of readings) {
    const r = applyWaterReading(state, h * H, l, opt);
    outcomes.push(r.outcome.kind);
    state = r.state;
  }
  return { outcomes, state };
}

describe('water-meter welfare check', () => {
  it('warms up, detects under 10 litres in 24 hours once per episode, and ends the episode on normal use', () => {
    const { outcomes } = feed([[0, 1000], [12, 1002], [24, 1004], [30, 1005], [31, 1100], [60, 1101]]);
    expect(outcomes).toEqual(['warming_up', 'warming_up', 'anomaly_started', 'anomaly_continues', 'normal', 'anomaly_started']);
  });

  it('ignores readings not newer than the last (redelivery) and restarts history after a meter reset', () => {
    const a = feed([[0, 1000], [25, 1003]]);
    expect(applyWaterReading(a.state, 25 * H, 1003, opt).outcome.kind).toBe('stale');
    expect(feed([[26, 5]], a.state).outcomes).toEqual(['warming_up']);
  });

  it('keeps the history bounded under frequent readings', () => {
    let s = emptyWaterState();
    for (let m = 0; m < 3 * 24 * 60; m++) s = applyWaterReading(s, m * 60_000, 1000 + m, opt).state;
    expect(s.readings.length).toBeLessThanOrEqual(110);
  });
});

describe('Alink parsing and rules', () => {
  const { devices } = loadDevices('/nonexistent');
  const topic = '/sys/a1GridSmoke/SMK-510108001001002-01/thing/event/property/post';
  const msg = (params: unknown) => Buffer.from(JSON.stringify({ id: '1', version: '1.0', params, method: 'thing.event.property.post' }));

  it('reads the registry and refuses other topics and unknown devices', () => {
    expect(devices.size).toBeGreaterThan(500);
    expect(parseAlink('/sys/a1GridSmoke/SMK-510108001001002-01/thing/event/other/post', msg({}), '', devices)).toMatchObject({ ok: false });
    expect(parseAlink('/sys/x/y/thing/event/property/post', msg({}), '', devices)).toMatchObject({ ok: false, reason: expect.stringMatching(/^mqtt\/unknown_device/) });
    expect(parseAlink(topic, msg({}), '', devices)).toMatchObject({ ok: true });
    // A hostile payload nested 100,000 deep is refused with a reason, never walked recursively.
    const deepMethod = Buffer.from(`{"id":"1","method":${'['.repeat(100_000)}${']'.repeat(100_000)},"params":{}}`);
    expect(parseAlink(topic, deepMethod, '', devices)).toMatchObject({ ok: false, reason: expect.stringMatching(/^mqtt\/too_deep/) });
  });

  it('refuses an oversized or non-UTF-8 payload with its own reason, before parsing it', () => {
    const big = msg({ SmokeSensorState: 0, junk: 'x'.repeat(300 * 1024) });
    expect(parseAlink(topic, big, '', devices)).toMatchObject({ ok: false, reason: expect.stringMatching(/^mqtt\/too_large: payload of \d+ bytes/) });
    // {"id":"1","params":{"你好":1}} with the key in GBK
    const gbk = Buffer.concat([Buffer.from('{"id":"1","params":{"'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('":1}}')]);
    expect(parseAlink(topic, gbk, '', devices)).toMatchObject({ ok: false, reason: expect.stringMatching(/^mqtt\/encoding/) });
  });

  it('raises on the rising edge only, and without a property time keys the episode by the message id', () => {
    const parsed = parseAlink(topic, msg({ SmokeSensorState: 1 }), '', devices);
    if (!parsed.ok) throw new Error(parsed.reason);
    const now = new Date();
    const first = applyRules(parsed.message, emptyDeviceState(), { ...opt, now });
    if (!first.ok) throw new Error(first.reason);
    expect(first.events.map((e) => e.externalId)).toEqual(['a1GridSmoke/SMK-510108001001002-01:smoke:id1']);
    const again = applyRules(parsed.message, first.state, { ...opt, now });
    expect(again).toMatchObject({ ok: true, events: [], changed: false });
  });

  it('orders a level alarm by its property time: a redelivered or late older message neither reopens an episode nor swallows the next alarm', () => {
    const now = new Date();
    const step = (state: ReturnType<typeof emptyDeviceState>, id: string, value: number, time: number) => {
      const parsed = parseAlink(topic, Buffer.from(JSON.stringify({ id, version: '1.0', params: { SmokeSensorState: { value, time } }, method: 'thing.event.property.post' })), '', devices);
      if (!parsed.ok) throw new Error(parsed.reason);
      const r = applyRules(parsed.message, state, { ...opt, now });
      if (!r.ok) throw new Error(r.reason);
      return r;
    };
    const t = now.getTime() - 3_600_000;
    const alarm = step(emptyDeviceState(), '1', 1, t);
    expect(alarm.events).toHaveLength(1);
    const cleared = step(alarm.state, '2', 0, t + 60_000);
    // The alarm again (QoS 1 redelivery after a lost PUBACK, or a device flushing its offline cache): already past.
    const redelivered = step(cleared.state, '1', 1, t);
    expect(redelivered.events).toEqual([]);
    // A new fire ten minutes later must raise a case.
    const fire = step(redelivered.state, '3', 1, t + 600_000);
    expect(fire.events.map((e) => e.externalId)).toEqual([`a1GridSmoke/SMK-510108001001002-01:smoke:${t + 600_000}`]);
    // A clock glitch a year ahead does not make the messages after it look past.
    const glitch = step(step(fire.state, '4', 0, t + 365 * 86_400_000).state, '5', 0, t + 700_000);
    expect(step(glitch.state, '6', 1, t + 800_000).events).toHaveLength(1);
  });
});

describe('hotline mapping and masking', () => {
  it('maps classification paths, names and codes; unknown text maps to nothing', () => {
    expect(mapHotlineCategory('城乡建设/市容环卫/垃圾清运不及时')).toBe('garbage_accumulated');
    expect(mapHotlineCategory('安全生产>电梯困人')).toBe('elevator');
    expect(mapHotlineCategory('路灯不亮')).toBe('streetlight_out');
    expect(mapHotlineCategory('noise')).toBe('noise');
    expect(mapHotlineCategory('外星人入侵')).toBeNull();
  });

  it('masks names, phones, e-mails and numbers in free text of a dead letter', () => {
    expect(maskContact({ callerName: '王小明', callerPhone: '13812345678', email: 'wang@example.com', content: '回电 13812345678', n: 1 })).toEqual({
      callerName: '王*明',
      callerPhone: '138****5678',
      email: 'w***@example.com',
      content: '回电 138****5678',
      n: 1,
    });
  });
});

describe('MQTT broker out of reach', () => {
  it('reports the connector as not connected and keeps serving', async () => {
    const app = await startConnectorApp({ MQTT_URL: 'mqtt://127.0.0.1:9', MQTT_CLIENT_ID: `unreachable-${process.pid}` });
    try {
      await until(() => app.sources.list().some((s) => s.id === 'mqtt' && (s.status === 'error' || s.status === 'disconnected')), 10_000, 'mqtt down');
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(200);
      const mq = ((await health.json()) as { sources: { id: string; status: string }[] }).sources.find((s) => s.id === 'mqtt');
      expect(['error', 'disconnected', 'connecting']).toContain(mq?.status);
    } finally {
      await app.stop();
    }
  });
});
