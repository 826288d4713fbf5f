import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import S3rver from 's3rver';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaRef, MediaUploadReply } from '#common/media/types';
import { ADMIN_PASSWORD, event, ingest, login, startApp, type Running } from './helpers';

const MAX = 256 * 1024;
let app: Running;
let admin: string;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A camera-sized JPEG whose EXIF names the camera and carries a GPS position (the street address of a reporter). */
async function gpsPhoto(width = 2400, height = 1800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3a6' } })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'GPS-1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 40/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 5/1 0/1' },
    })
    .jpeg({ quality: 90 })
    .toBuffer();
}

function upload(url: string, id: string, token: string, body: Buffer, name = 'photo.jpg', type = 'image/jpeg'): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(body)], { type }), name);
  return fetch(`${url}/api/incidents/${id}/media`, { method: 'POST', headers: auth(token), body: form });
}

async function user(a: Running, adminToken: string, username: string, role: string, regionId = a.regions.root.id): Promise<{ id: string; token: string }> {
  const res = await fetch(`${a.url}/api/users`, {
    method: 'POST',
    headers: { ...auth(adminToken), 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, displayName: username, password: ADMIN_PASSWORD, role, regionId }),
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as { id: string };
  return { id: created.id, token: (await login(a.url, username, ADMIN_PASSWORD)).token };
}

async function newIncident(a: Running, n: number): Promise<string> {
  const res = (await (await ingest(a.url, event(n))).json()) as { results: { id: string }[] };
  return res.results[0]!.id;
}

async function act(id: string, body: Record<string, unknown>, token = admin): Promise<number> {
  const got = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth(token) })).json()) as { incident: { version: number } };
  const res = await fetch(`${app.url}/api/incidents/${id}/actions`, {
    method: 'POST',
    headers: { ...auth(token), 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...body, version: got.incident.version }),
  });
  return res.status;
}

/** Every file under DATA_DIR/media (the file-system MediaStore). */
const storedFiles = (a: Running): string[] => {
  const root = join(a.dataDir, 'media');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
};
const mediaCount = async (a: Running, id: string, token: string) =>
  ((await (await fetch(`${a.url}/api/incidents/${id}`, { headers: auth(token) })).json()) as { media: MediaRef[] }).media.length;

beforeAll(async () => {
  app = await startApp({ MEDIA_MAX_BYTES: String(MAX) });
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
});

describe('incident media on the file system', () => {
  it('re-encodes an upload: downscaled JPEG without EXIF or GPS, a thumbnail, listed on the incident', async () => {
    const id = await newIncident(app, 7001);
    const photo = await gpsPhoto();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const res = await upload(app.url, id, admin, photo, 'IMG_0001.JPG');
    expect(res.status).toBe(201);
    const reply = (await res.json()) as MediaUploadReply;
    expect(Object.keys(reply).sort()).toEqual(['id', 'thumbUrl', 'url']);

    const full = await fetch(`${app.url}${reply.url}`, { headers: auth(admin) });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/jpeg');
    expect(full.headers.get('cache-control')).toMatch(/^private/);
    const bytes = Buffer.from(await full.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1600, height: 1200 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(bytes.includes(Buffer.from('TestCam'))).toBe(false);

    const thumb = Buffer.from(await (await fetch(`${app.url}${reply.thumbUrl}`, { headers: auth(admin) })).arrayBuffer());
    const tmeta = await sharp(thumb).metadata();
    expect(tmeta).toMatchObject({ format: 'jpeg', width: 320, height: 320 });
    expect(tmeta.exif).toBeUndefined();

    const detail = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth(admin) })).json()) as { media: MediaRef[] };
    expect(detail.media).toHaveLength(1);
    expect(detail.media[0]).toMatchObject({ id: reply.id, kind: 'image', url: reply.url, thumbUrl: reply.thumbUrl, width: 1600, height: 1200 });
    expect(new Date(detail.media[0]!.at).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses what is not an image by its content (whatever its name or type says) and stores nothing', async () => {
    const id = await newIncident(app, 7002);
    const before = storedFiles(app).length;
    const cases: [Buffer, string, string][] = [
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'photo.jpg', 'image/jpeg'],
      [Buffer.from('%PDF-1.7\n%…'), 'scan.png', 'image/png'],
      // A JPEG's magic bytes glued onto garbage: the decoder must agree.
      [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]), 'x.jpg', 'image/jpeg'],
    ];
    for (const [body, name, type] of cases) {
      const res = await upload(app.url, id, admin, body, name, type);
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('media/unsupported_type');
    }
    // A PNG named .txt is an image.
    const png = await sharp({ create: { width: 40, height: 30, channels: 4, background: '#f00a' } }).png().toBuffer();
    expect((await upload(app.url, id, admin, png, 'notes.txt', 'text/plain')).status).toBe(201);
    expect(storedFiles(app).length).toBe(before + 2);
    expect(await mediaCount(app, id, admin)).toBe(1);
  });

  it('refuses an upload over MEDIA_MAX_BYTES with 413 media/too_large and stores nothing', async () => {
    const id = await newIncident(app, 7003);
    const before = storedFiles(app).length;
    // Noise does not compress: a real JPEG well over the limit.
    const noise = Buffer.alloc(900 * 700 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const big = await sharp(noise, { raw: { width: 900, height: 700, channels: 3 } }).jpeg({ quality: 100 }).toBuffer();
    expect(big.length).toBeGreaterThan(MAX);
    const res = await upload(app.url, id, admin, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('media/too_large');
    expect(storedFiles(app).length).toBe(before);
    expect(await mediaCount(app, id, admin)).toBe(0);
    // Not multipart at all, or no `file` field: a clear 400.
    const none = await fetch(`${app.url}/api/incidents/${id}/media`, { method: 'POST', headers: auth(admin), body: new FormData() });
    expect(none.status).toBe(400);
  });

  it('lets the assigned worker upload, not another worker; never serves a wall; hides an incident out of scope', async () => {
    const id = await newIncident(app, 7004);
    const mine = await user(app, admin, 'media-worker-a', 'worker');
    const other = await user(app, admin, 'media-worker-b', 'worker');
    for (const action of ['verify', 'file']) expect(await act(id, { action })).toBe(200);
    expect(await act(id, { action: 'dispatch', assigneeId: mine.id })).toBe(200);

    const photo = await gpsPhoto(800, 600);
    const ok = await upload(app.url, id, mine.token, photo);
    expect(ok.status).toBe(201);
    const { url, thumbUrl } = (await ok.json()) as MediaUploadReply;
    const refused = await upload(app.url, id, other.token, photo);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('media/forbidden');

    // The wall: refused upload and refused bytes, and no media in its projection of the incident.
    const wall = (await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string };
    expect((await upload(app.url, id, wall.token, photo)).status).toBe(403);
    for (const u of [url, thumbUrl, `/api/incidents/${id}/media`]) expect((await fetch(`${app.url}${u}`, { headers: auth(wall.token) })).status).toBe(403);
    expect(await mediaCount(app, id, wall.token)).toBe(0);

    // A dispatcher of another street: neither the photo nor the upload (reads as not found).
    const outside = await user(app, admin, 'media-disp-far', 'dispatcher', '510108006');
    expect((await fetch(`${app.url}${url}`, { headers: auth(outside.token) })).status).toBe(404);
    expect((await upload(app.url, id, outside.token, photo)).status).toBe(404);
    // A leader of the district sees it.
    const leader = await user(app, admin, 'media-leader', 'leader');
    expect((await fetch(`${app.url}${url}`, { headers: auth(leader.token) })).status).toBe(200);
    expect(storedFiles(app).filter((f) => f.includes(url.split('/').at(-1)!))).toHaveLength(2);
  });
});

describe('incident media on an S3-compatible store (s3rver)', () => {
  let s3: S3rver;
  let s3Dir: string;
  let s3App: Running;
  beforeAll(async () => {
    s3Dir = mkdtempSync(join(tmpdir(), 'gridops-s3-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'gridops-media', configs: [] }] });
    const addr = (await s3.run()) as AddressInfo;
    s3App = await startApp({
      MEDIA_S3_URL: `http://127.0.0.1:${addr.port}/gridops-media`,
      MEDIA_S3_ACCESS_KEY_ID: 'S3RVER',
      MEDIA_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
  });
  afterAll(async () => {
    await s3App?.stop();
    await s3?.close();
    rmSync(s3Dir, { recursive: true, force: true });
  });

  it('stores the re-encoded photo and thumbnail as objects and serves them back; nothing on the local disk', async () => {
    const token = (await login(s3App.url)).token;
    const id = await newIncident(s3App, 7101);
    const res = await upload(s3App.url, id, token, await gpsPhoto(1000, 800));
    expect(res.status).toBe(201);
    const reply = (await res.json()) as MediaUploadReply;
    const objects = readdirSync(join(s3Dir, 'gridops-media'), { recursive: true }).map(String);
    expect(objects.some((o) => o.includes(`${reply.id}.jpg`))).toBe(true);
    expect(objects.some((o) => o.includes(`${reply.id}.thumb.jpg`))).toBe(true);
    expect(storedFiles(s3App)).toEqual([]);
    const full = Buffer.from(await (await fetch(`${s3App.url}${reply.url}`, { headers: auth(token) })).arrayBuffer());
    const meta = await sharp(full).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1000, height: 800 });
    expect(meta.exif).toBeUndefined();
    expect((await fetch(`${s3App.url}${reply.thumbUrl}`, { headers: auth(token) })).status).toBe(200);
    // Not an image: refused before anything is written to the bucket.
    const n = readdirSync(join(s3Dir, 'gridops-media'), { recursive: true }).length;
    expect((await upload(s3App.url, id, token, Buffer.from('hello'), 'a.jpg')).status).toBe(415);
    expect(readdirSync(join(s3Dir, 'gridops-media'), { recursive: true }).length).toBe(n);
  });
});
