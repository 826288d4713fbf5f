import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BUNDLED_GEO_DIR } from '../../geo/dataset.ts';

export const DEVICE_KINDS = ['smoke', 'elevator', 'water_meter', 'emergency_button'] as const;

const deviceSchema = z.object({
  productKey: z.string().min(1),
  deviceName: z.string().min(1),
  kind: z.enum(DEVICE_KINDS),
  gridId: z.string().nullable().optional(),
  buildingId: z.string().nullable().optional(),
  /** WGS-84, like every layer of the geo dataset. */
  location: z.object({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }),
  /** Optional display address. */
  address: z.string().nullable().optional(),
  /**
   * Water meters only: whether the household is in the welfare-check programme (an elderly person living
   * alone). Default true: the registry lists only the meters fitted for that programme.
   */
  welfareCheck: z.boolean().optional(),
  /**
   * When the device was fitted (ISO time). A water meter that never reports is silent from then; without it,
   * from the first time this deployment loaded it (common/ingest/meter-silence.ts registrationMs).
   */
  registeredAt: z.iso.datetime({ offset: true }).optional(),
});
export type Device = z.infer<typeof deviceSchema>;

/** Devices by `productKey/deviceName`. */
export type DeviceRegistry = Map<string, Device>;

export const deviceKey = (productKey: string, deviceName: string) => `${productKey}/${deviceName}`;

/**
 * The IoT device registry: DATA_DIR/geo/devices.json when a deployment put its own there, else the bundled
 * synthetic one (geo/data/devices.json). Invalid entries are skipped and counted, never fatal.
 */
export function loadDevices(dataDir: string): { devices: DeviceRegistry; file: string; skipped: number } {
  const own = join(dataDir, 'geo', 'devices.json');
  const file = existsSync(own) ? own : join(BUNDLED_GEO_DIR, 'devices.json');
  const devices: DeviceRegistry = new Map();
  let skipped = 0;
  if (!existsSync(file)) return { devices, file, skipped };
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { devices?: unknown[] };
  for (const d of raw.devices ?? []) {
    const parsed = deviceSchema.safeParse(d);
    if (parsed.success) devices.set(deviceKey(parsed.data.productKey, parsed.data.deviceName), parsed.data);
    else skipped++;
  }
  return { devices, file, skipped };
}
