/**
 * The pmtiles side of the PMTiles base map, in a chunk of its own (`mapPmtiles-*.js`) that useMapBase imports
 * only when the deployment configured a PMTiles base: registers the `pmtiles://` protocol with MapLibre once and
 * opens an archive whose range requests carry the session's bearer token.
 */
import { addProtocol } from 'maplibre-gl';
import { FetchSource, PMTiles, Protocol, type Header, type Source } from 'pmtiles';

/** The one `pmtiles://` protocol of the page. */
let protocol: Protocol | null = null;

/**
 * Open the archive at `url` (absolute) for the protocol (`pmtiles://<url>/{z}/{x}/{y}`) and read its header.
 * Every range request gets the token of the moment (a session may renew its token); MapLibre's transformRequest
 * never sees these fetches, they are the protocol's own.
 */
export async function openPmtiles(url: string, token: () => string | null): Promise<Header> {
  if (!protocol) {
    protocol = new Protocol();
    addProtocol('pmtiles', protocol.tile);
  }
  const fetchSource = new FetchSource(url);
  const source: Source = {
    getKey: () => fetchSource.getKey(),
    getBytes: (offset, length, signal, etag) => {
      const t = token();
      fetchSource.setHeaders(new Headers(t ? { Authorization: `Bearer ${t}` } : {}));
      return fetchSource.getBytes(offset, length, signal, etag);
    },
  };
  const archive = new PMTiles(source);
  protocol.add(archive);
  return archive.getHeader();
}
