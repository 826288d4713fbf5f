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

/** Run `fn` in a READ COMMITTED transaction on one pooled client; roll back when it throws. */
export async function withTx<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
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
