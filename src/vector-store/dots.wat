;; Dot products of one query with consecutive rows of float32 vectors, for exact vector search (dots.ts), and of
;; int8 rows with an int16 query, for the bounds of the quantised copy (int8-rows.ts).
;; Built into dots-wasm.ts by `npm run build:wasm` (scripts/build-dots-wasm.ts); test/vector-store/dots.test.ts
;; checks that the two agree.
;;
;; out[r] = dot(query, row r) as f64, for r in [0, n). Every product and sum is in f64 and the sums are kept as
;; four running sums (dimensions d % 4 = 0, 1 in $lo, 2, 3 in $hi) added as (s0 + s1) + (s2 + s3), so a score
;; is the same number whatever computes it: f32 × f32 is exact in f64, and the order of the additions is fixed.
;; query, rows and out are byte offsets into the memory the caller gives (env.memory).
(module
  (import "env" "memory" (memory 1))
  (func (export "dots") (param $query i32) (param $rows i32) (param $n i32) (param $dim i32) (param $out i32)
    (local $r i32) (local $d i32) (local $row i32) (local $bytes i32) (local $simdBytes i32)
    (local $lo v128) (local $hi v128) (local $x v128) (local $y v128)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local.set $bytes (i32.shl (local.get $dim) (i32.const 2)))
    ;; Whole groups of four dimensions; the rest is added to the first sum one by one.
    (local.set $simdBytes (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $row (local.get $rows))
    (block $done
      (loop $eachRow
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $lo (v128.const f64x2 0 0))
        (local.set $hi (v128.const f64x2 0 0))
        (local.set $d (i32.const 0))
        (block $groupsDone
          (loop $eachGroup
            (br_if $groupsDone (i32.ge_u (local.get $d) (local.get $simdBytes)))
            (local.set $x (v128.load (i32.add (local.get $query) (local.get $d))))
            (local.set $y (v128.load (i32.add (local.get $row) (local.get $d))))
            (local.set $lo
              (f64x2.add (local.get $lo)
                (f64x2.mul (f64x2.promote_low_f32x4 (local.get $x)) (f64x2.promote_low_f32x4 (local.get $y)))))
            (local.set $hi
              (f64x2.add (local.get $hi)
                (f64x2.mul
                  (f64x2.promote_low_f32x4
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
                  (f64x2.promote_low_f32x4
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $y) (local.get $y))))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $eachGroup)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $lo)))
        (local.set $s1 (f64x2.extract_lane 1 (local.get $lo)))
        (local.set $s2 (f64x2.extract_lane 0 (local.get $hi)))
        (local.set $s3 (f64x2.extract_lane 1 (local.get $hi)))
        (block $tailDone
          (loop $eachTail
            (br_if $tailDone (i32.ge_u (local.get $d) (local.get $bytes)))
            (local.set $s0
              (f64.add (local.get $s0)
                (f64.mul
                  (f64.promote_f32 (f32.load (i32.add (local.get $query) (local.get $d))))
                  (f64.promote_f32 (f32.load (i32.add (local.get $row) (local.get $d)))))))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (br $eachTail)))
        (f64.store
          (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add
            (f64.add (local.get $s0) (local.get $s1))
            (f64.add (local.get $s2) (local.get $s3))))
        (local.set $row (i32.add (local.get $row) (local.get $bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow))))
  ;; out[r] = Σ query[d] × row_r[d] as i32, for rows of int8 codes and a query of int16 (byte offsets into memory;
  ;; the query is 2 × dim bytes). Exact integer arithmetic: the caller keeps 127 × max|query| × dim below 2^31
  ;; (int8-rows.ts), so no sum overflows. Sixteen dimensions at a time (i32x4.dot_i16x8_s), the rest one by one.
  (func (export "dots_i8") (param $query i32) (param $rows i32) (param $n i32) (param $dim i32) (param $out i32)
    (local $r i32) (local $d i32) (local $row i32) (local $simd i32) (local $q i32)
    (local $acc v128) (local $c v128) (local $s i32)
    (local.set $simd (i32.and (local.get $dim) (i32.const -16)))
    (local.set $row (local.get $rows))
    (block $done
      (loop $eachRow
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $d (i32.const 0))
        (block $groupsDone
          (loop $eachGroup
            (br_if $groupsDone (i32.ge_u (local.get $d) (local.get $simd)))
            (local.set $c (v128.load (i32.add (local.get $row) (local.get $d))))
            (local.set $q (i32.add (local.get $query) (i32.shl (local.get $d) (i32.const 1))))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $c)) (v128.load (local.get $q)))))
            (local.set $acc
              (i32x4.add (local.get $acc)
                (i32x4.dot_i16x8_s
                  (i16x8.extend_high_i8x16_s (local.get $c))
                  (v128.load (i32.add (local.get $q) (i32.const 16))))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $eachGroup)))
        (local.set $s
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (block $tailDone
          (loop $eachTail
            (br_if $tailDone (i32.ge_u (local.get $d) (local.get $dim)))
            (local.set $s
              (i32.add (local.get $s)
                (i32.mul
                  (i32.load8_s (i32.add (local.get $row) (local.get $d)))
                  (i32.load16_s (i32.add (local.get $query) (i32.shl (local.get $d) (i32.const 1)))))))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $eachTail)))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (local.get $s))
        (local.set $row (i32.add (local.get $row) (local.get $dim)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow)))))
