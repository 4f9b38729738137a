import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileDots } from '../../scripts/build-dots-wasm.js';
import { mulberry32 } from '../../src/internal/prng.js';
import { DOTS_BATCH, DotKernel } from '../../src/vector-store/dots.js';
import { DOTS_WASM_BASE64 } from '../../src/vector-store/dots-wasm.js';

test('dots-wasm.ts is what dots.wat compiles to (run `npm run build:wasm` after editing dots.wat)', async () => {
  assert.equal(Buffer.from(await compileDots()).toString('base64'), DOTS_WASM_BASE64);
});

/** The sums dots.wat is specified to make: four running sums in f64, the tail added to the first. */
function reference(query: Float32Array, row: Float32Array): number {
  const sums = [0, 0, 0, 0];
  const whole = row.length - (row.length % 4);
  for (let d = 0; d < whole; d++)
    sums[d % 4] = (sums[d % 4] as number) + (query[d] as number) * (row[d] as number);
  for (let d = whole; d < row.length; d++)
    sums[0] = (sums[0] as number) + (query[d] as number) * (row[d] as number);
  const [a, b, c, e] = sums as [number, number, number, number];
  return a + b + (c + e);
}

test('the kernel scores rows exactly as the four-sum loop, at any dimension', () => {
  const random = mulberry32(7);
  for (const dim of [384, 7, 1, 16]) {
    const rows = 50;
    const kernel = new DotKernel(dim, rows);
    const data = Float32Array.from({ length: rows * dim }, () => random() - 0.5);
    kernel.rowBytes().set(new Uint8Array(data.buffer));
    const query = Float32Array.from({ length: dim }, () => random() - 0.5);
    kernel.setQuery(query);
    const out = Array.from(kernel.score(3, 40));
    const want = Array.from({ length: 40 }, (_, i) =>
      reference(query, data.subarray((3 + i) * dim, (4 + i) * dim)),
    );
    assert.deepEqual(out, want, `dimension ${dim}`);
  }
});

test('the kernel refuses rows outside its memory and batches larger than its output', () => {
  const kernel = new DotKernel(4, DOTS_BATCH + 10);
  assert.throws(() => kernel.score(DOTS_BATCH, 11), RangeError);
  assert.throws(() => kernel.score(0, DOTS_BATCH + 1), RangeError);
  assert.equal(kernel.score(10, DOTS_BATCH).length, DOTS_BATCH);
});
