import pg from 'pg';

const INT8_OID = 20;

/** bigint columns (timestamps in ms, seqs, counts) come back as numbers, like SQLite's; all stay below 2^53. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(url: string, onError: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  // An idle client losing its connection (database restart) is reported here instead of crashing the process.
  pool.on('error', onError);
  return pool;
}

/**
 * Run `fn` in a READ COMMITTED transaction on one pooled client; roll back when it throws. `open` may add
 * statements to the BEGIN (no parameters: one round trip in the simple protocol); `fn` is called as soon as
 * they are sent, to work meanwhile, and gets their results as a promise.
 */
export async function withTx<T>(pool: pg.Pool, fn: (client: pg.PoolClient, opened: Promise<pg.QueryResult[]>) => Promise<T>, open = ''): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    const opened = client
      .query(`BEGIN${open ? `; ${open}` : ''}`)
      .then((r: pg.QueryResult | pg.QueryResult[]) => (Array.isArray(r) ? r.slice(1) : []));
    if (open) opened.catch(() => undefined); // fn awaits it; if fn throws first, the ROLLBACK below follows
    else await opened;
    const result = await fn(client, opened);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A client whose ROLLBACK fails is not put back in the pool.
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Inclusive-exclusive bounds of the region-code prefix range `[p, p + ':')` (':' sorts right after '9' in "C"). */
export function prefixRange(regionId: string): [string, string] {
  return [regionId, `${regionId}:`];
}

/** A statement with its parameters numbered from $1. */
export interface Stmt {
  text: string;
  values: unknown[];
}

/**
 * Several data-modifying statements as one: each a WITH item of `main` (named `as`, or w0, w1…: a later one
 * may read an earlier SELECT by its name), parameters renumbered. They all run (PostgreSQL runs every
 * data-modifying WITH item to completion), on one snapshot, so none may read or write a row another writes;
 * one round trip and one plan instead of one each.
 */
export function compose(parts: readonly (Stmt & { as?: string })[], main: Stmt): Stmt {
  const values: unknown[] = [];
  const shift = (st: Stmt) => {
    const at = values.length;
    values.push(...st.values);
    return st.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + at}`);
  };
  const withs = parts.map((p, i) => `${p.as ?? `w${i}`} AS (${shift(p)})`);
  const text = shift(main);
  return { text: withs.length ? `WITH ${withs.join(',\n')}\n${text}` : text, values };
}

/**
 * Text values sent as one parameter, one per line, instead of a text[] or JSON (whose encoders escape every
 * quote of every JSON document, on both sides): for JSON documents, which JSON.stringify never writes with a
 * raw line break. `LINES('$n')` is the SQL that splits them back into a text[].
 */
export const lines = (texts: readonly string[]): string => texts.join('\n');
export const LINES = (param: string): string => `string_to_array(${param}::text, E'\\n')`;
