import { z } from 'zod';
import type { Reporter, SourceKind } from '../incidents/types.ts';

/** How a report without coordinates got its place (recorded in the incident's history as `locate`). */
export interface LocateInfo {
  /** `exact`/`fuzzy`: the gazetteer; `map`: a dispatcher clicked the map. */
  method: 'exact' | 'fuzzy' | 'map';
  /** Gazetteer score (1 exact, below 1 fuzzy); null for `map`. */
  score: number | null;
  /** The gazetteer's place (双林安置小区3栋); null for `map`. */
  matched: string | null;
  /** The parked report it came from (`map`), else absent. */
  parkedId?: string;
}

/**
 * A report with an address the gazetteer could not place: kept until a dispatcher places it on the map.
 * It has no grid yet, so it belongs to `regionId`: the region of the ingest key that sent it (a key issued by
 * an admin below the root), else the deployment's root (the street office). Users whose scope covers that
 * region see it; a grid worker or a community-scoped user does not until it is placed.
 */
export interface ParkedReport {
  /** `PRK-<n>`. */
  id: string;
  connectorId: string;
  externalId: string;
  source: SourceKind;
  category: string;
  title: string;
  /** Citizen text: untrusted, never rendered as HTML, masked by audience. */
  description: string;
  address: string;
  reporter: Reporter | null;
  reportedAt: string;
  receivedAt: string;
  regionId: string;
  /** Set once placed: the incident it became (or merged into), who placed it and when. */
  incidentId: string | null;
  placedBy: string | null;
  placedAt: string | null;
}

/** `GET /api/parked`: the open (unplaced) parked reports in the caller's scope, oldest first, and how many. */
export interface ParkedList {
  items: ParkedReport[];
  total: number;
}

/** `POST /api/parked/{id}/place`: the point the dispatcher clicked (WGS-84). */
export const placeBodySchema = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
});
export type PlaceBody = z.infer<typeof placeBodySchema>;

/** The answer of a placement: the incident the report became or was merged into. */
export interface PlaceResult {
  parkedId: string;
  incidentId: string;
  merged: boolean;
}

export const PARKED_ID_PREFIX = 'PRK-';
