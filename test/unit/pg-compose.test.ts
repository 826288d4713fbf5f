import { describe, expect, it } from 'vitest';
import { compose, lines } from '#server/store/postgres/tx';

describe('compose (PostgreSQL: several writes in one statement)', () => {
  it('makes each part a WITH item and numbers every parameter after the ones before it', () => {
    const st = compose(
      [
        { text: 'INSERT INTO a SELECT * FROM unnest($1::text[], $2::int[])', values: [['x'], [1]] },
        { text: 'INSERT INTO b VALUES ($1, $1)', values: ['y'] },
      ],
      { text: 'UPDATE log_head SET seq = $1', values: [7] },
    );
    expect(st.text).toBe('WITH w0 AS (INSERT INTO a SELECT * FROM unnest($1::text[], $2::int[])),\nw1 AS (INSERT INTO b VALUES ($3, $3))\nUPDATE log_head SET seq = $4');
    expect(st.values).toEqual([['x'], [1], 'y', 7]);
  });

  it('is the main statement alone without parts, and $10 is not read as $1 then 0', () => {
    expect(compose([], { text: 'SELECT $1', values: [1] })).toEqual({ text: 'SELECT $1', values: [1] });
    const values = Array.from({ length: 10 }, (_, i) => i);
    expect(compose([{ text: 'SELECT $1', values: [0] }], { text: 'SELECT $10, $1', values }).text).toBe('WITH w0 AS (SELECT $1)\nSELECT $11, $2');
  });
});

describe('lines (JSON documents as one text parameter)', () => {
  it('splits back into the documents: JSON.stringify escapes every line break inside them', () => {
    const docs = [{ title: 'a\nb', d: '第一行\r\n第二行' }, { x: '\u2028' }].map((d) => JSON.stringify(d));
    expect(lines(docs).split('\n')).toEqual(docs);
  });
});
