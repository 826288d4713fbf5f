/** A photo attached to an incident (issue 9): re-encoded by the server, so it carries no EXIF and no GPS. */
export interface MediaRef {
  id: string;
  incidentId: string;
  kind: 'image';
  /** User id of the uploader. */
  uploadedBy: string;
  /** ISO-8601 (UTC). */
  at: string;
  width: number;
  height: number;
  /** Size of the stored (re-encoded) image. */
  bytes: number;
  url: string;
  thumbUrl: string;
}

/** What `POST /api/incidents/{id}/media` answers (201). */
export interface MediaUploadReply {
  id: string;
  url: string;
  thumbUrl: string;
}

/** The multipart field that carries the file. */
export const MEDIA_FIELD = 'file';

export const mediaUrl = (incidentId: string, mediaId: string): string =>
  `/api/incidents/${encodeURIComponent(incidentId)}/media/${encodeURIComponent(mediaId)}`;
export const mediaThumbUrl = (incidentId: string, mediaId: string): string => `${mediaUrl(incidentId, mediaId)}/thumb`;

/** Refusals of an upload, by code; each has its HTTP status. */
export const MEDIA_ERRORS = {
  'media/too_large': 413,
  'media/unsupported_type': 415,
  'media/no_file': 400,
  'media/bad_request': 400,
  'media/forbidden': 403,
  'incident/not_found': 404,
  'media/not_found': 404,
} as const;
export type MediaErrorCode = keyof typeof MEDIA_ERRORS;
