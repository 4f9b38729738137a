import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mulberry32 } from '../../src/internal/prng.js';
import { Int8Rows } from '../../src/vector-store/int8-rows.js';
import { VectorRows } from '../../src/vector-store/vector-rows.js';

function unit(values: number[]): Float32Array {
  const v = Float32Array.from(values);
  const norm = Math.hypot(...v);
  return norm > 0 ? v.map((x) => x / norm) : v;
}

test('every row’s true dot product lies within its bound, at any dimension (zero rows too)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'policybot-int8-'));
  try {
    const random = mulberry32(5);
    for (const dim of [384, 7, 1024, 16]) {
      // Spiky rows (one large component) quantise worst; a zero row must estimate 0.
      const rows = Array.from({ length: 300 }, (_, i) =>
        i === 17
          ? new Float32Array(dim)
          : unit(Array.from({ length: dim }, (_, d) => (random() - 0.5) * (d === i % dim ? 40 : 1))),
      );
      const file = join(dir, `${dim}.f32`);
      const bytes = new Uint8Array(rows.length * dim * 4);
      for (const [i, r] of rows.entries()) bytes.set(new Uint8Array(r.buffer), i * dim * 4);
      await writeFile(file, bytes);
      const stored = VectorRows.open(file, dim, 0);
      const copy = (await Int8Rows.build(stored, () => false)) as Int8Rows;
      for (let q = 0; q < 5; q++) {
        const query = unit(Array.from({ length: dim }, () => random() - 0.5));
        const slots = Int32Array.from([0, 1, 2, 17, 40, 41, 299]);
        for (const [which, picked] of [
          ['all', null],
          ['some', slots],
        ] as const) {
          const { estimate, radius } = copy.bounds(query, picked);
          const n = picked ? picked.length : rows.length;
          assert.equal(estimate.length, n);
          for (let i = 0; i < n; i++) {
            const row = rows[picked ? (picked[i] as number) : i] as Float32Array;
            let dot = 0;
            for (let d = 0; d < dim; d++) dot += (query[d] as number) * (row[d] as number);
            const e = estimate[i] as number;
            const r = radius[i] as number;
            assert.ok(Math.abs(dot - e) <= r, `dim ${dim} ${which} row ${i}: |${dot} − ${e}| > ${r}`);
            assert.ok(r < 0.1, `dim ${dim}: a bound of ${r} is too loose to prune`);
          }
        }
      }
      stored.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('building stops when told to', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'policybot-int8-'));
  try {
    const file = join(dir, 'v.f32');
    await writeFile(file, new Uint8Array(10 * 8 * 4));
    const stored = VectorRows.open(file, 8, 0);
    assert.equal(await Int8Rows.build(stored, () => true), null);
    stored.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
