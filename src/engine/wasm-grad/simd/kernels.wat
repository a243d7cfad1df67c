;; Training kernels the TF.js wasm backend lacks or runs slowly, in WebAssembly SIMD (128-bit).
;; Compiled by scripts/wasm/build-kernels.mjs into kernels.wasm.ts; the module has its own
;; memory, into which the caller copies the inputs (simd-kernels.ts).
(module
  (memory (export "memory") 1)

  ;; DepthwiseConv2dNativeBackpropFilter, channel multiplier 1, NHWC:
  ;;   acc64[(i * kw + j) * c + k] += sum over images, output pixels of x[tap pixel, k] * dy[pixel, k]
  ;; Each image is summed in float32 (acc, zeroed here), then added into float64 (acc64, which
  ;; the caller zeroes). For each tap and group of 4 channels, a register sums along an output row.
  (func (export "depthwiseFilter")
    (param $x i32) (param $dy i32) (param $acc i32) (param $acc64 i32)
    (param $nb i32) (param $h i32) (param $w i32) (param $c i32)
    (param $oh i32) (param $ow i32) (param $kh i32) (param $kw i32)
    (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $b i32) (local $oy i32) (local $i i32) (local $j i32) (local $k i32) (local $t i32)
    (local $y i32) (local $off i32) (local $ox0 i32) (local $ox1 i32) (local $cnt i32)
    (local $xrow i32) (local $grow i32) (local $arow i32) (local $xp i32) (local $gp i32)
    (local $xstep i32) (local $gstep i32) (local $taps i32) (local $v v128) (local $s f32)
    (local.set $taps (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $c)))
    (local.set $xstep (i32.shl (i32.mul (local.get $sw) (local.get $c)) (i32.const 2)))
    (local.set $gstep (i32.shl (local.get $c) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $images_done
      (loop $images
        (br_if $images_done (i32.ge_s (local.get $b) (local.get $nb)))
        ;; acc = 0
        (local.set $t (i32.const 0))
        (block $z_done
          (loop $z
            (br_if $z_done (i32.ge_s (local.get $t) (local.get $taps)))
            (f32.store (i32.add (local.get $acc) (i32.shl (local.get $t) (i32.const 2))) (f32.const 0))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $z)))
        (local.set $oy (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_s (local.get $oy) (local.get $oh)))
            (local.set $grow (i32.add (local.get $dy)
              (i32.shl (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oh)) (local.get $oy)) (local.get $ow)) (local.get $c)) (i32.const 2))))
            (local.set $i (i32.const 0))
            (block $ti_done
              (loop $ti
                (br_if $ti_done (i32.ge_s (local.get $i) (local.get $kh)))
                (local.set $y (i32.sub (i32.add (i32.mul (local.get $oy) (local.get $sh)) (i32.mul (local.get $i) (local.get $dh))) (local.get $top)))
                (if (i32.and (i32.ge_s (local.get $y) (i32.const 0)) (i32.lt_s (local.get $y) (local.get $h)))
                  (then
                    (local.set $xrow (i32.add (local.get $x)
                      (i32.shl (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $y)) (local.get $w)) (local.get $c)) (i32.const 2))))
                    (local.set $j (i32.const 0))
                    (block $tj_done
                      (loop $tj
                        (br_if $tj_done (i32.ge_s (local.get $j) (local.get $kw)))
                        ;; output columns whose tap column ox * sw + off lies in [0, w)
                        (local.set $off (i32.sub (i32.mul (local.get $j) (local.get $dw)) (local.get $left)))
                        (local.set $ox0 (i32.const 0))
                        (if (i32.lt_s (local.get $off) (i32.const 0))
                          (then (local.set $ox0 (i32.div_s (i32.sub (i32.add (i32.sub (i32.const 0) (local.get $off)) (local.get $sw)) (i32.const 1)) (local.get $sw)))))
                        (local.set $ox1 (i32.const 0))
                        (if (i32.ge_s (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $off)) (i32.const 0))
                          (then (local.set $ox1 (i32.add (i32.div_s (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $off)) (local.get $sw)) (i32.const 1)))))
                        (if (i32.gt_s (local.get $ox1) (local.get $ow)) (then (local.set $ox1 (local.get $ow))))
                        (local.set $cnt (i32.sub (local.get $ox1) (local.get $ox0)))
                        (if (i32.gt_s (local.get $cnt) (i32.const 0))
                          (then
                            (local.set $arow (i32.add (local.get $acc) (i32.shl (i32.mul (i32.add (i32.mul (local.get $i) (local.get $kw)) (local.get $j)) (local.get $c)) (i32.const 2))))
                            (local.set $k (i32.const 0))
                            ;; four channels at a time
                            (block $k4_done
                              (loop $k4
                                (br_if $k4_done (i32.gt_s (i32.add (local.get $k) (i32.const 4)) (local.get $c)))
                                (local.set $xp (i32.add (local.get $xrow)
                                  (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $ox0) (local.get $sw)) (local.get $off)) (local.get $c)) (local.get $k)) (i32.const 2))))
                                (local.set $gp (i32.add (local.get $grow)
                                  (i32.shl (i32.add (i32.mul (local.get $ox0) (local.get $c)) (local.get $k)) (i32.const 2))))
                                (local.set $v (v128.load (i32.add (local.get $arow) (i32.shl (local.get $k) (i32.const 2)))))
                                (local.set $t (local.get $cnt))
                                (loop $px
                                  (local.set $v (f32x4.add (local.get $v) (f32x4.mul (v128.load (local.get $xp)) (v128.load (local.get $gp)))))
                                  (local.set $xp (i32.add (local.get $xp) (local.get $xstep)))
                                  (local.set $gp (i32.add (local.get $gp) (local.get $gstep)))
                                  (local.set $t (i32.sub (local.get $t) (i32.const 1)))
                                  (br_if $px (i32.gt_s (local.get $t) (i32.const 0))))
                                (v128.store (i32.add (local.get $arow) (i32.shl (local.get $k) (i32.const 2))) (local.get $v))
                                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                                (br $k4)))
                            ;; the channels left over, one at a time
                            (block $k1_done
                              (loop $k1
                                (br_if $k1_done (i32.ge_s (local.get $k) (local.get $c)))
                                (local.set $xp (i32.add (local.get $xrow)
                                  (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $ox0) (local.get $sw)) (local.get $off)) (local.get $c)) (local.get $k)) (i32.const 2))))
                                (local.set $gp (i32.add (local.get $grow)
                                  (i32.shl (i32.add (i32.mul (local.get $ox0) (local.get $c)) (local.get $k)) (i32.const 2))))
                                (local.set $s (f32.load (i32.add (local.get $arow) (i32.shl (local.get $k) (i32.const 2)))))
                                (local.set $t (local.get $cnt))
                                (loop $px1
                                  (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $xp)) (f32.load (local.get $gp)))))
                                  (local.set $xp (i32.add (local.get $xp) (local.get $xstep)))
                                  (local.set $gp (i32.add (local.get $gp) (local.get $gstep)))
                                  (local.set $t (i32.sub (local.get $t) (i32.const 1)))
                                  (br_if $px1 (i32.gt_s (local.get $t) (i32.const 0))))
                                (f32.store (i32.add (local.get $arow) (i32.shl (local.get $k) (i32.const 2))) (local.get $s))
                                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                                (br $k1)))))
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (br $tj)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $ti)))
            (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
            (br $rows)))
        ;; acc64 += acc
        (local.set $t (i32.const 0))
        (block $f_done
          (loop $f
            (br_if $f_done (i32.ge_s (local.get $t) (local.get $taps)))
            (f64.store (i32.add (local.get $acc64) (i32.shl (local.get $t) (i32.const 3)))
              (f64.add (f64.load (i32.add (local.get $acc64) (i32.shl (local.get $t) (i32.const 3))))
                (f64.promote_f32 (f32.load (i32.add (local.get $acc) (i32.shl (local.get $t) (i32.const 2)))))))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $f)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $images))))

  ;; ---- The filter gradient of a 1x1, stride-1, unpadded conv (a pointwise conv), NHWC flattened:
  ;;   acc64[a * co + b] += sum over rows r of x[r, a] * dy[r, b]     (x: [rows, ci], dy: [rows, co])
  ;; ci % 4 == 0, co % 8 == 0. Rows go in blocks of $block; within a block each 4 x 8 tile of the
  ;; output sums in eight registers (float32), stored into acc (ci * co floats of scratch), which
  ;; is then added into acc64 (float64, zeroed by the caller). No transposes, no packed copies.
  (func (export "pointwiseFilter")
    (param $x i32) (param $dy i32) (param $rows i32) (param $ci i32) (param $co i32) (param $block i32)
    (param $acc i32) (param $acc64 i32)
    (local $r0 i32) (local $n i32) (local $a i32) (local $b i32) (local $r i32)
    (local $px i32) (local $pd i32) (local $xstep i32) (local $dstep i32) (local $o i32)
    (local $d0 v128) (local $d1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $xstep (i32.shl (local.get $ci) (i32.const 2)))
    (local.set $dstep (i32.shl (local.get $co) (i32.const 2)))
    (block $blocks_done (loop $blocks
      (br_if $blocks_done (i32.ge_s (local.get $r0) (local.get $rows)))
      (local.set $n (i32.sub (local.get $rows) (local.get $r0)))
      (if (i32.gt_s (local.get $n) (local.get $block)) (then (local.set $n (local.get $block))))
      (local.set $a (i32.const 0))
      (block $a_done (loop $as
        (br_if $a_done (i32.ge_s (local.get $a) (local.get $ci)))
        (local.set $b (i32.const 0))
        (block $b_done (loop $bs
          (br_if $b_done (i32.ge_s (local.get $b) (local.get $co)))
          (local.set $c00 (v128.const f32x4 0 0 0 0)) (local.set $c01 (v128.const f32x4 0 0 0 0))
          (local.set $c10 (v128.const f32x4 0 0 0 0)) (local.set $c11 (v128.const f32x4 0 0 0 0))
          (local.set $c20 (v128.const f32x4 0 0 0 0)) (local.set $c21 (v128.const f32x4 0 0 0 0))
          (local.set $c30 (v128.const f32x4 0 0 0 0)) (local.set $c31 (v128.const f32x4 0 0 0 0))
          (local.set $px (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $ci)) (local.get $a)) (i32.const 2))))
          (local.set $pd (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (local.get $r0) (local.get $co)) (local.get $b)) (i32.const 2))))
          (local.set $r (i32.const 0))
          (block $r_done (loop $rs
            (br_if $r_done (i32.ge_s (local.get $r) (local.get $n)))
            (local.set $d0 (v128.load (local.get $pd)))
            (local.set $d1 (v128.load offset=16 (local.get $pd)))
            (local.set $s (f32x4.splat (f32.load (local.get $px))))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $d0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $d1))))
            (local.set $s (f32x4.splat (f32.load offset=4 (local.get $px))))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $d0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $d1))))
            (local.set $s (f32x4.splat (f32.load offset=8 (local.get $px))))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $d0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $d1))))
            (local.set $s (f32x4.splat (f32.load offset=12 (local.get $px))))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $d0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $d1))))
            (local.set $px (i32.add (local.get $px) (local.get $xstep)))
            (local.set $pd (i32.add (local.get $pd) (local.get $dstep)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rs)))
          ;; acc[(a + q) * co + b ..] = the tile's row q
          (local.set $o (i32.add (local.get $acc) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $co)) (local.get $b)) (i32.const 2))))
          (v128.store (local.get $o) (local.get $c00))
          (v128.store offset=16 (local.get $o) (local.get $c01))
          (local.set $o (i32.add (local.get $o) (local.get $dstep)))
          (v128.store (local.get $o) (local.get $c10))
          (v128.store offset=16 (local.get $o) (local.get $c11))
          (local.set $o (i32.add (local.get $o) (local.get $dstep)))
          (v128.store (local.get $o) (local.get $c20))
          (v128.store offset=16 (local.get $o) (local.get $c21))
          (local.set $o (i32.add (local.get $o) (local.get $dstep)))
          (v128.store (local.get $o) (local.get $c30))
          (v128.store offset=16 (local.get $o) (local.get $c31))
          (local.set $b (i32.add (local.get $b) (i32.const 8)))
          (br $bs)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $as)))
      (call $flush (local.get $acc) (local.get $acc64) (i32.mul (local.get $ci) (local.get $co)))
      (local.set $r0 (i32.add (local.get $r0) (local.get $block)))
      (br $blocks)))
  )

  ;; ---- The filter gradient of a general 2-D conv (NHWC, any kernel size, stride, dilation, padding):
  ;;   acc64[((i * kw + j) * ci + a) * co + b] += sum over images, output pixels of x[tap pixel, a] * dy[pixel, b]
  ;; co % 8 == 0. Per image, tap and output row, the output columns whose tap lies inside the input are one run of
  ;; rows: a 4 x 8 tile of the tap's ci x co block (ci % 4 == 0; else 1 x 8) sums over the run in registers and is
  ;; added into acc (float32, per image), which is added into acc64 (float64, zeroed by the caller) after each image.

  ;; o[q * ostep + (0..7)] += sum over t < cnt of x[t * xstep + q] * dy[t * gstep + (0..7)] for q < 4 (byte pointers
  ;; and steps); cnt > 0.
  (func $tile4x8 (param $xp i32) (param $gp i32) (param $cnt i32) (param $xstep i32) (param $gstep i32) (param $o i32) (param $ostep i32)
    (local $d0 v128) (local $d1 v128) (local $s v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $c00 (v128.const f32x4 0 0 0 0))
    (local.set $c01 (v128.const f32x4 0 0 0 0))
    (local.set $c10 (v128.const f32x4 0 0 0 0))
    (local.set $c11 (v128.const f32x4 0 0 0 0))
    (local.set $c20 (v128.const f32x4 0 0 0 0))
    (local.set $c21 (v128.const f32x4 0 0 0 0))
    (local.set $c30 (v128.const f32x4 0 0 0 0))
    (local.set $c31 (v128.const f32x4 0 0 0 0))
    (loop $rows
      (local.set $d0 (v128.load (local.get $gp)))
      (local.set $d1 (v128.load offset=16 (local.get $gp)))
      (local.set $s (f32x4.splat (f32.load (local.get $xp))))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $d0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $d1))))
      (local.set $s (f32x4.splat (f32.load offset=4 (local.get $xp))))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $d0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $d1))))
      (local.set $s (f32x4.splat (f32.load offset=8 (local.get $xp))))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $d0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $d1))))
      (local.set $s (f32x4.splat (f32.load offset=12 (local.get $xp))))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $d0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $d1))))
      (local.set $xp (i32.add (local.get $xp) (local.get $xstep)))
      (local.set $gp (i32.add (local.get $gp) (local.get $gstep)))
      (local.set $cnt (i32.sub (local.get $cnt) (i32.const 1)))
      (br_if $rows (i32.gt_s (local.get $cnt) (i32.const 0))))
    (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (local.get $c00)))
    (v128.store offset=16 (local.get $o) (f32x4.add (v128.load offset=16 (local.get $o)) (local.get $c01)))
    (local.set $o (i32.add (local.get $o) (local.get $ostep)))
    (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (local.get $c10)))
    (v128.store offset=16 (local.get $o) (f32x4.add (v128.load offset=16 (local.get $o)) (local.get $c11)))
    (local.set $o (i32.add (local.get $o) (local.get $ostep)))
    (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (local.get $c20)))
    (v128.store offset=16 (local.get $o) (f32x4.add (v128.load offset=16 (local.get $o)) (local.get $c21)))
    (local.set $o (i32.add (local.get $o) (local.get $ostep)))
    (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (local.get $c30)))
    (v128.store offset=16 (local.get $o) (f32x4.add (v128.load offset=16 (local.get $o)) (local.get $c31))))

  ;; The same for one input channel: o[0..7] += sum over t < cnt of x[t * xstep] * dy[t * gstep + (0..7)].
  (func $tile1x8 (param $xp i32) (param $gp i32) (param $cnt i32) (param $xstep i32) (param $gstep i32) (param $o i32)
    (local $d0 v128) (local $d1 v128) (local $s v128) (local $c0 v128) (local $c1 v128)
    (loop $rows
      (local.set $s (f32x4.splat (f32.load (local.get $xp))))
      (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load (local.get $gp)))))
      (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $gp)))))
      (local.set $xp (i32.add (local.get $xp) (local.get $xstep)))
      (local.set $gp (i32.add (local.get $gp) (local.get $gstep)))
      (local.set $cnt (i32.sub (local.get $cnt) (i32.const 1)))
      (br_if $rows (i32.gt_s (local.get $cnt) (i32.const 0))))
    (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (local.get $c0)))
    (v128.store offset=16 (local.get $o) (f32x4.add (v128.load offset=16 (local.get $o)) (local.get $c1))))

  (func (export "convFilter")
    (param $x i32) (param $dy i32) (param $acc i32) (param $acc64 i32)
    (param $nb i32) (param $h i32) (param $w i32) (param $ci i32) (param $co i32)
    (param $oh i32) (param $ow i32) (param $kh i32) (param $kw i32)
    (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $n i32) (local $oy i32) (local $i i32) (local $j i32) (local $y i32) (local $off i32)
    (local $ox0 i32) (local $ox1 i32) (local $cnt i32) (local $xrow i32) (local $grow i32)
    (local $xp0 i32) (local $gp0 i32) (local $tap i32) (local $a i32) (local $b i32)
    (local $total i32) (local $xstep i32) (local $gstep i32)
    (local.set $total (i32.mul (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $ci)) (local.get $co)))
    (local.set $xstep (i32.shl (i32.mul (local.get $sw) (local.get $ci)) (i32.const 2)))
    (local.set $gstep (i32.shl (local.get $co) (i32.const 2)))
    (block $images_done (loop $images
      (br_if $images_done (i32.ge_s (local.get $n) (local.get $nb)))
      (call $zero32 (local.get $acc) (local.get $total))
      (local.set $oy (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $oy) (local.get $oh)))
        (local.set $grow (i32.add (local.get $dy)
          (i32.shl (i32.mul (i32.mul (i32.add (i32.mul (local.get $n) (local.get $oh)) (local.get $oy)) (local.get $ow)) (local.get $co)) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $ti_done (loop $ti
          (br_if $ti_done (i32.ge_s (local.get $i) (local.get $kh)))
          (local.set $y (i32.sub (i32.add (i32.mul (local.get $oy) (local.get $sh)) (i32.mul (local.get $i) (local.get $dh))) (local.get $top)))
          (if (i32.and (i32.ge_s (local.get $y) (i32.const 0)) (i32.lt_s (local.get $y) (local.get $h)))
            (then
              (local.set $xrow (i32.add (local.get $x)
                (i32.shl (i32.mul (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $y)) (local.get $w)) (local.get $ci)) (i32.const 2))))
              (local.set $j (i32.const 0))
              (block $tj_done (loop $tj
                (br_if $tj_done (i32.ge_s (local.get $j) (local.get $kw)))
                ;; output columns whose tap column ox * sw + off lies in [0, w)
                (local.set $off (i32.sub (i32.mul (local.get $j) (local.get $dw)) (local.get $left)))
                (local.set $ox0 (i32.const 0))
                (if (i32.lt_s (local.get $off) (i32.const 0))
                  (then (local.set $ox0 (i32.div_s (i32.sub (i32.add (i32.sub (i32.const 0) (local.get $off)) (local.get $sw)) (i32.const 1)) (local.get $sw)))))
                (local.set $ox1 (i32.const 0))
                (if (i32.ge_s (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $off)) (i32.const 0))
                  (then (local.set $ox1 (i32.add (i32.div_s (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $off)) (local.get $sw)) (i32.const 1)))))
                (if (i32.gt_s (local.get $ox1) (local.get $ow)) (then (local.set $ox1 (local.get $ow))))
                (local.set $cnt (i32.sub (local.get $ox1) (local.get $ox0)))
                (if (i32.gt_s (local.get $cnt) (i32.const 0))
                  (then
                    (local.set $xp0 (i32.add (local.get $xrow)
                      (i32.shl (i32.mul (i32.add (i32.mul (local.get $ox0) (local.get $sw)) (local.get $off)) (local.get $ci)) (i32.const 2))))
                    (local.set $gp0 (i32.add (local.get $grow) (i32.shl (i32.mul (local.get $ox0) (local.get $co)) (i32.const 2))))
                    (local.set $tap (i32.add (local.get $acc)
                      (i32.shl (i32.mul (i32.mul (i32.add (i32.mul (local.get $i) (local.get $kw)) (local.get $j)) (local.get $ci)) (local.get $co)) (i32.const 2))))
                    (local.set $a (i32.const 0))
                    (block $a_done (loop $as
                      (br_if $a_done (i32.ge_s (local.get $a) (local.get $ci)))
                      (local.set $b (i32.const 0))
                      (block $b_done (loop $bs
                        (br_if $b_done (i32.ge_s (local.get $b) (local.get $co)))
                        (if (i32.eqz (i32.and (local.get $ci) (i32.const 3)))
                          (then
                            (call $tile4x8
                              (i32.add (local.get $xp0) (i32.shl (local.get $a) (i32.const 2)))
                              (i32.add (local.get $gp0) (i32.shl (local.get $b) (i32.const 2)))
                              (local.get $cnt) (local.get $xstep) (local.get $gstep)
                              (i32.add (local.get $tap) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $co)) (local.get $b)) (i32.const 2)))
                              (local.get $gstep)))
                          (else
                            (call $tile1x8
                              (i32.add (local.get $xp0) (i32.shl (local.get $a) (i32.const 2)))
                              (i32.add (local.get $gp0) (i32.shl (local.get $b) (i32.const 2)))
                              (local.get $cnt) (local.get $xstep) (local.get $gstep)
                              (i32.add (local.get $tap) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $co)) (local.get $b)) (i32.const 2))))))
                        (local.set $b (i32.add (local.get $b) (i32.const 8)))
                        (br $bs)))
                      (if (i32.eqz (i32.and (local.get $ci) (i32.const 3)))
                        (then (local.set $a (i32.add (local.get $a) (i32.const 4))))
                        (else (local.set $a (i32.add (local.get $a) (i32.const 1)))))
                      (br $as)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tj)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $ti)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $rows)))
      (call $flush (local.get $acc) (local.get $acc64) (local.get $total))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $images)))
  )

  ;; ---- Per-channel kernels for BatchNormalization over [rows, c] (NHWC flattened), c % 4 == 0.
  ;; Sums run in float32 over blocks of 256 rows (acc, c floats of scratch), added into float64.

  ;; Zeroes c float32s at $p (c % 4 == 0).
  (func $zero32 (param $p i32) (param $c i32)
    (local $k i32)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $k) (local.get $c)))
      (v128.store (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 2))) (v128.const f32x4 0 0 0 0))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br $l))))

  ;; Zeroes c float64s at $p.
  (func $zero64 (param $p i32) (param $c i32)
    (local $k i32)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $k) (local.get $c)))
      (f64.store (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 3))) (f64.const 0))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l))))

  ;; out64[k] += acc32[k] for k < c.
  (func $flush (param $acc i32) (param $out i32) (param $c i32)
    (local $k i32) (local $o i32)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $k) (local.get $c)))
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3))))
      (f64.store (local.get $o) (f64.add (f64.load (local.get $o))
        (f64.promote_f32 (f32.load (i32.add (local.get $acc) (i32.shl (local.get $k) (i32.const 2)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $l))))

  ;; One pass: out1[k] = sum over rows of x[r, k] - shift[k], out2[k] = sum of its squares. With
  ;; the shift a sample of each channel (its first row) the variance follows without cancellation
  ;; worth the name: out2 / n - (out1 / n)^2 (the shifted-data algorithm).
  (func (export "channelMoments")
    (param $x i32) (param $rows i32) (param $c i32) (param $shift i32) (param $acc1 i32) (param $acc2 i32) (param $out1 i32) (param $out2 i32)
    (local $r0 i32) (local $r i32) (local $rend i32) (local $k i32) (local $p i32) (local $a i32) (local $d v128)
    (call $zero64 (local.get $out1) (local.get $c))
    (call $zero64 (local.get $out2) (local.get $c))
    (block $blocks_done (loop $blocks
      (br_if $blocks_done (i32.ge_s (local.get $r0) (local.get $rows)))
      (local.set $rend (i32.add (local.get $r0) (i32.const 256)))
      (if (i32.gt_s (local.get $rend) (local.get $rows)) (then (local.set $rend (local.get $rows))))
      (call $zero32 (local.get $acc1) (local.get $c))
      (call $zero32 (local.get $acc2) (local.get $c))
      (local.set $r (local.get $r0))
      (block $rows_done (loop $rowl
        (br_if $rows_done (i32.ge_s (local.get $r) (local.get $rend)))
        (local.set $p (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $c)) (i32.const 2))))
        (local.set $k (i32.const 0))
        (block $k_done (loop $kl
          (br_if $k_done (i32.ge_s (local.get $k) (local.get $c)))
          (local.set $d (f32x4.sub (v128.load (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 2))))
            (v128.load (i32.add (local.get $shift) (i32.shl (local.get $k) (i32.const 2))))))
          (local.set $a (i32.add (local.get $acc1) (i32.shl (local.get $k) (i32.const 2))))
          (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (local.get $d)))
          (local.set $a (i32.add (local.get $acc2) (i32.shl (local.get $k) (i32.const 2))))
          (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (f32x4.mul (local.get $d) (local.get $d))))
          (local.set $k (i32.add (local.get $k) (i32.const 4)))
          (br $kl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowl)))
      (call $flush (local.get $acc1) (local.get $out1) (local.get $c))
      (call $flush (local.get $acc2) (local.get $out2) (local.get $c))
      (local.set $r0 (local.get $rend))
      (br $blocks))))

  ;; out1[k] = sum over rows of g[r, k]; out2[k] = sum of g[r, k] * (x[r, k] - mean[k]), where g is
  ;; dy, or with $y (not 0) dy masked by the ReLU after the BN: dy where 0 < y < cap (y its output).
  (func (export "channelDySums")
    (param $dy i32) (param $x i32) (param $rows i32) (param $c i32) (param $mean i32)
    (param $acc1 i32) (param $acc2 i32) (param $out1 i32) (param $out2 i32) (param $y i32) (param $cap f32)
    (local $r0 i32) (local $r i32) (local $rend i32) (local $k i32) (local $o i32) (local $a i32) (local $g v128) (local $m v128) (local $capv v128)
    (local.set $capv (f32x4.splat (local.get $cap)))
    (call $zero64 (local.get $out1) (local.get $c))
    (call $zero64 (local.get $out2) (local.get $c))
    (block $blocks_done (loop $blocks
      (br_if $blocks_done (i32.ge_s (local.get $r0) (local.get $rows)))
      (local.set $rend (i32.add (local.get $r0) (i32.const 256)))
      (if (i32.gt_s (local.get $rend) (local.get $rows)) (then (local.set $rend (local.get $rows))))
      (call $zero32 (local.get $acc1) (local.get $c))
      (call $zero32 (local.get $acc2) (local.get $c))
      (local.set $r (local.get $r0))
      (block $rows_done (loop $rowl
        (br_if $rows_done (i32.ge_s (local.get $r) (local.get $rend)))
        (local.set $o (i32.shl (i32.mul (local.get $r) (local.get $c)) (i32.const 2)))
        (local.set $k (i32.const 0))
        (block $k_done (loop $kl
          (br_if $k_done (i32.ge_s (local.get $k) (local.get $c)))
          (local.set $g (v128.load (i32.add (i32.add (local.get $dy) (local.get $o)) (i32.shl (local.get $k) (i32.const 2)))))
          (if (local.get $y) (then
            ;; The lanes where 0 < y < cap (the ReLU's gradient), else 0.
            (local.set $m (v128.load (i32.add (i32.add (local.get $y) (local.get $o)) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $g (v128.and (local.get $g)
              (v128.and (f32x4.gt (local.get $m) (v128.const f32x4 0 0 0 0)) (f32x4.lt (local.get $m) (local.get $capv)))))))
          (local.set $a (i32.add (local.get $acc1) (i32.shl (local.get $k) (i32.const 2))))
          (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (local.get $g)))
          (local.set $a (i32.add (local.get $acc2) (i32.shl (local.get $k) (i32.const 2))))
          (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a))
            (f32x4.mul (local.get $g) (f32x4.sub (v128.load (i32.add (i32.add (local.get $x) (local.get $o)) (i32.shl (local.get $k) (i32.const 2))))
              (v128.load (i32.add (local.get $mean) (i32.shl (local.get $k) (i32.const 2))))))))
          (local.set $k (i32.add (local.get $k) (i32.const 4)))
          (br $kl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowl)))
      (call $flush (local.get $acc1) (local.get $out1) (local.get $c))
      (call $flush (local.get $acc2) (local.get $out2) (local.get $c))
      (local.set $r0 (local.get $rend))
      (br $blocks))))

  ;; out[r, k] = a[k] * u[r, k] + b[k] * v[r, k] + d[k]; with $v = 0 (no second input) the b term is
  ;; left out. $mode 1: u masked first by the ReLU whose output is $y (u where 0 < y < cap, the
  ;; gradient through it); $mode 2: out clamped to [0, cap] (a ReLU or ReLU6 after it); 0: neither.
  (func (export "channelAffine")
    (param $u i32) (param $v i32) (param $rows i32) (param $c i32) (param $a i32) (param $b i32) (param $d i32) (param $out i32)
    (param $mode i32) (param $y i32) (param $cap f32)
    (local $r i32) (local $k i32) (local $o i32) (local $ko i32) (local $y4 v128) (local $u4 v128) (local $m v128) (local $capv v128)
    (local.set $capv (f32x4.splat (local.get $cap)))
    (block $rows_done (loop $rowl
      (br_if $rows_done (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $o (i32.shl (i32.mul (local.get $r) (local.get $c)) (i32.const 2)))
      (local.set $k (i32.const 0))
      (block $k_done (loop $kl
        (br_if $k_done (i32.ge_s (local.get $k) (local.get $c)))
        (local.set $ko (i32.shl (local.get $k) (i32.const 2)))
        (local.set $u4 (v128.load (i32.add (i32.add (local.get $u) (local.get $o)) (local.get $ko))))
        (if (i32.eq (local.get $mode) (i32.const 1)) (then
          (local.set $m (v128.load (i32.add (i32.add (local.get $y) (local.get $o)) (local.get $ko))))
          (local.set $u4 (v128.and (local.get $u4)
            (v128.and (f32x4.gt (local.get $m) (v128.const f32x4 0 0 0 0)) (f32x4.lt (local.get $m) (local.get $capv)))))))
        (local.set $y4 (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $ko))) (local.get $u4))
          (v128.load (i32.add (local.get $d) (local.get $ko)))))
        (if (local.get $v) (then
          (local.set $y4 (f32x4.add (local.get $y4)
            (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $ko))) (v128.load (i32.add (i32.add (local.get $v) (local.get $o)) (local.get $ko))))))))
        (if (i32.eq (local.get $mode) (i32.const 2)) (then
          (local.set $y4 (f32x4.min (f32x4.max (local.get $y4) (v128.const f32x4 0 0 0 0)) (local.get $capv)))))
        (v128.store (i32.add (i32.add (local.get $out) (local.get $o)) (local.get $ko)) (local.get $y4))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $kl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowl))))

  ;; The gradient of ReLU (cap +inf) or ReLU6 (cap 6) from the output y: out = dy where
  ;; 0 < y < cap, else 0 (TensorFlow's Relu6Grad convention: zero at both ends).
  (func (export "reluGrad") (param $dy i32) (param $y i32) (param $n i32) (param $cap f32) (param $out i32)
    (local $i i32) (local $o i32) (local $yv v128) (local $capv v128) (local $ys f32)
    (local.set $capv (f32x4.splat (local.get $cap)))
    (block $v_done (loop $vl
      (br_if $v_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (local.set $yv (v128.load (i32.add (local.get $y) (local.get $o))))
      (v128.store (i32.add (local.get $out) (local.get $o))
        (v128.and (v128.load (i32.add (local.get $dy) (local.get $o)))
          (v128.and (f32x4.gt (local.get $yv) (v128.const f32x4 0 0 0 0)) (f32x4.lt (local.get $yv) (local.get $capv)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vl)))
    (block $s_done (loop $sl
      (br_if $s_done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $o (i32.shl (local.get $i) (i32.const 2)))
      (local.set $ys (f32.load (i32.add (local.get $y) (local.get $o))))
      (f32.store (i32.add (local.get $out) (local.get $o))
        (select (f32.load (i32.add (local.get $dy) (local.get $o))) (f32.const 0)
          (i32.and (f32.gt (local.get $ys) (f32.const 0)) (f32.lt (local.get $ys) (local.get $cap)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sl)))))
