import type { Audit } from '../audit/index.ts';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Router, type Request, type Response } from 'express';
import { isWithinScope } from '#common/geo/types';
import { isAssignedTo } from '#common/dispatch/identity';
import type { Incident } from '#common/incidents/types';
import { MEDIA_ERRORS, mediaThumbUrl, mediaUrl, type MediaErrorCode, type MediaRef, type MediaUploadReply } from '#common/media/types';
import { userOf } from '../auth/middleware.ts';
import type { TokenClaims } from '../auth/tokens.ts';
import { mediaS3Settings, type Config } from '../config.ts';
import { linkedWorkerId } from '../dispatch/identity.ts';
import { reportedBy } from '../mobile/routes.ts';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import type { MediaRecord, Store } from '../store/types.ts';
import { NotAnImage, reencode } from './image.ts';
import { s3MediaStore } from './s3.ts';
import { fsMediaStore, type MediaStore } from './store.ts';
import { readUpload } from './upload.ts';

const STAFF = new Set(['admin', 'leader', 'dispatcher']);
const fullKey = (m: Pick<MediaRecord, 'incidentId' | 'id'>) => `${m.incidentId}/${m.id}.jpg`;
const thumbKey = (m: Pick<MediaRecord, 'incidentId' | 'id'>) => `${m.incidentId}/${m.id}.thumb.jpg`;

export function toMediaRef(m: MediaRecord): MediaRef {
  return { ...m, at: m.at.toISOString(), url: mediaUrl(m.incidentId, m.id), thumbUrl: mediaThumbUrl(m.incidentId, m.id) };
}

/** The media store the configuration names: S3-compatible when MEDIA_S3_URL is set, else DATA_DIR/media. */
export function mediaStoreFor(config: Config): MediaStore {
  const s3 = mediaS3Settings(config);
  return s3 ? s3MediaStore(s3) : fsMediaStore(join(config.DATA_DIR, 'media'));
}

const refuse = (res: Response, code: MediaErrorCode, message: string) => res.status(MEDIA_ERRORS[code]).json({ error: { code, message } });

/**
 * Photos of incidents (issue 9): `POST /incidents/{id}/media` (multipart, field `file`) and the re-encoded image
 * and thumbnail, served only to users whose scope holds the incident (or the worker it is assigned to), never
 * to a wall.
 */
export function mediaRoutes(deps: { store: Store; regions: Regions; media: MediaStore; maxBytes: number; now: () => Date; log: Logger; audit?: Audit }): Router {
  const { store, regions, media } = deps;
  const r = Router();

  /** What the user may do with the incident's media: write (upload) implies read. */
  async function access(user: TokenClaims, incident: Incident): Promise<'write' | 'read' | null> {
    if (user.role === 'wall') return null;
    const inScope = isWithinScope(incident.gridId ?? regions.root.id, user.regionId);
    if (STAFF.has(user.role)) return inScope ? 'write' : null;
    // A worker uploads to the cases sent to them (wherever they lie); reads those and cases in their scope.
    const workerId = await linkedWorkerId(store, { id: user.sub, role: user.role });
    if (isAssignedTo(incident.assigneeId, { id: user.sub, workerId })) return 'write';
    // …and to the case their own street report (巡查上报, server/mobile) became or joined: its photos follow it.
    if (await reportedBy(store, incident.id, user.sub)) return 'write';
    return inScope ? 'read' : null;
  }

  /** The incident if the user may `need` its media; otherwise answers and returns null. */
  async function guard(req: Request, res: Response, need: 'write' | 'read'): Promise<Incident | null> {
    const user = userOf(req);
    if (user.role === 'wall') return void refuse(res, 'media/forbidden', 'Wall displays do not get media.'), null;
    const incident = await store.incidents.get(String(req.params.id));
    const got = incident ? await access(user, incident) : null;
    // Out of scope reads as not found, as for the incident itself.
    if (!incident || !got) return void refuse(res, 'incident/not_found', 'No such incident in your scope.'), null;
    if (need === 'write' && got !== 'write') return void refuse(res, 'media/forbidden', 'Only staff and the worker the case is assigned to may add photos.'), null;
    return incident;
  }

  r.post('/incidents/:id/media', async (req, res) => {
    const incident = await guard(req, res, 'write');
    if (!incident) return void req.resume();
    const read = await readUpload(req, deps.maxBytes);
    if (!read.ok) {
      if (read.code === 'media/too_large') res.setHeader('Connection', 'close');
      return void refuse(res, read.code, read.message);
    }
    let encoded;
    try {
      encoded = await reencode(read.data);
    } catch (err) {
      if (err instanceof NotAnImage) return void refuse(res, 'media/unsupported_type', `Not an accepted image (JPEG, PNG, WebP, GIF): ${err.message}.`);
      throw err;
    }
    const rec: MediaRecord = {
      id: `m-${randomBytes(9).toString('base64url')}`,
      incidentId: incident.id,
      kind: 'image',
      uploadedBy: userOf(req).sub,
      at: deps.now(),
      width: encoded.width,
      height: encoded.height,
      bytes: encoded.full.length,
    };
    // Bytes first, record last: a record never points at missing bytes; a failed write removes what it wrote.
    try {
      await media.put(fullKey(rec), encoded.full, 'image/jpeg');
      await media.put(thumbKey(rec), encoded.thumb, 'image/jpeg');
      await store.media.add(rec);
    } catch (err) {
      await Promise.allSettled([media.delete(fullKey(rec)), media.delete(thumbKey(rec))]);
      throw err;
    }
    const reply: MediaUploadReply = { id: rec.id, url: mediaUrl(rec.incidentId, rec.id), thumbUrl: mediaThumbUrl(rec.incidentId, rec.id) };
    res.status(201).json(reply);
  });

  r.get('/incidents/:id/media', async (req, res) => {
    const incident = await guard(req, res, 'read');
    if (!incident) return;
    res.json({ items: (await store.media.list(incident.id)).map(toMediaRef) });
  });

  const serve = (thumb: boolean) => async (req: Request, res: Response) => {
    const incident = await guard(req, res, 'read');
    if (!incident) return;
    const rec = await store.media.get(String(req.params.mediaId));
    if (!rec || rec.incidentId !== incident.id) return void refuse(res, 'media/not_found', 'No such photo.');
    const body = await media.get(thumb ? thumbKey(rec) : fullKey(rec));
    if (!body) return void refuse(res, 'media/not_found', 'No such photo.');
    // Opening a photo full size is a read of personal data (faces, plates, homes); thumbnails in lists are not
    // recorded one by one.
    if (!thumb) await deps.audit?.record({ action: 'media.read', target: `incident:${incident.id}`, detail: { mediaId: rec.id }, regionId: incident.gridId ?? regions.root.id }, req);
    // Personal data behind a token: never in a shared cache; the bytes never change, so the browser may keep them.
    res.setHeader('Cache-Control', 'private, max-age=86400');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('image/jpeg').send(body);
  };
  r.get('/incidents/:id/media/:mediaId', serve(false));
  r.get('/incidents/:id/media/:mediaId/thumb', serve(true));

  return r;
}
