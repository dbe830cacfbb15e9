// Training kernels for tfjs-backend-wasm, compiled to WebAssembly with SIMD128.
//
// The module imports tfjs-backend-wasm's own linear memory, so the kernels read
// and write tensors in place, by the byte offsets tfjs gives its tensors. For that
// to be safe the module must own no memory of its own: no data segments, no use
// of the stack (only scalar locals), no libc. build.sh checks this.
//
// Layouts are channels-last (NHWC); the SIMD lanes run along the channels, which
// are contiguous. Scratch buffers come from the caller (tfjs's malloc).

#include <wasm_simd128.h>

typedef struct {
  int batch, in_h, in_w, channels, multiplier, out_h, out_w;
  int filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left;
  int out_channels;
} conv_geometry;

#define EXPORT(name) __attribute__((export_name(#name)))

// out[c] = scale * sum over r of x[r * width + c]. Rows are summed in float32 in
// blocks of 64 (scratch `part`, width floats), and the blocks in float64
// (scratch `acc`, width doubles), so long reductions keep their precision.
EXPORT(sum_leading)
void sum_leading(const float* x, int rows, int width, float scale, float* out, float* part, double* acc) {
  for (int c = 0; c < width; c++) acc[c] = 0;
  for (int r0 = 0; r0 < rows; r0 += 64) {
    int r1 = r0 + 64 < rows ? r0 + 64 : rows;
    for (int c = 0; c < width; c++) part[c] = 0;
    for (int r = r0; r < r1; r++) {
      const float* row = x + (long)r * width;
      int c = 0;
      for (; c + 4 <= width; c += 4) {
        wasm_v128_store(part + c, wasm_f32x4_add(wasm_v128_load(part + c), wasm_v128_load(row + c)));
      }
      for (; c < width; c++) part[c] += row[c];
    }
    for (int c = 0; c < width; c++) acc[c] += part[c];
  }
  for (int c = 0; c < width; c++) out[c] = (float)(acc[c] * scale);
}

// Filter gradient of a depthwise convolution: out[kh, kw, c, m]. Per image the
// taps are summed in float32 (scratch `part`), across images in float64 (`acc`).
EXPORT(depthwise_filter_grad)
void depthwise_filter_grad(const conv_geometry* g, const float* x, const float* dy, float* out,
                           float* part, double* acc) {
  const int C = g->channels, M = g->multiplier, CM = C * M;
  const int size = g->filter_h * g->filter_w * CM;
  for (int k = 0; k < size; k++) acc[k] = 0;
  for (int b = 0; b < g->batch; b++) {
    for (int k = 0; k < size; k++) part[k] = 0;
    for (int oy = 0; oy < g->out_h; oy++) {
      for (int i = 0; i < g->filter_h; i++) {
        const int iy = oy * g->stride_h + i * g->dilation_h - g->pad_top;
        if (iy < 0 || iy >= g->in_h) continue;
        for (int ox = 0; ox < g->out_w; ox++) {
          const float* dyp = dy + ((long)(b * g->out_h + oy) * g->out_w + ox) * CM;
          for (int j = 0; j < g->filter_w; j++) {
            const int ix = ox * g->stride_w + j * g->dilation_w - g->pad_left;
            if (ix < 0 || ix >= g->in_w) continue;
            const float* xp = x + ((long)(b * g->in_h + iy) * g->in_w + ix) * C;
            float* pp = part + (i * g->filter_w + j) * CM;
            if (M == 1) {
              int c = 0;
              for (; c + 4 <= C; c += 4) {
                v128_t prod = wasm_f32x4_mul(wasm_v128_load(xp + c), wasm_v128_load(dyp + c));
                wasm_v128_store(pp + c, wasm_f32x4_add(wasm_v128_load(pp + c), prod));
              }
              for (; c < C; c++) pp[c] += xp[c] * dyp[c];
            } else {
              for (int c = 0; c < C; c++) {
                const float xv = xp[c];
                for (int m = 0; m < M; m++) pp[c * M + m] += xv * dyp[c * M + m];
              }
            }
          }
        }
      }
    }
    for (int k = 0; k < size; k++) acc[k] += part[k];
  }
  for (int k = 0; k < size; k++) out[k] = (float)acc[k];
}

// Input gradient of a depthwise convolution: each output gradient scattered back
// through the filter taps into dx, which the caller has zeroed.
EXPORT(depthwise_input_grad)
void depthwise_input_grad(const conv_geometry* g, const float* dy, const float* w, float* dx) {
  const int C = g->channels, M = g->multiplier, CM = C * M;
  for (int b = 0; b < g->batch; b++) {
    for (int oy = 0; oy < g->out_h; oy++) {
      for (int i = 0; i < g->filter_h; i++) {
        const int iy = oy * g->stride_h + i * g->dilation_h - g->pad_top;
        if (iy < 0 || iy >= g->in_h) continue;
        for (int ox = 0; ox < g->out_w; ox++) {
          const float* dyp = dy + ((long)(b * g->out_h + oy) * g->out_w + ox) * CM;
          for (int j = 0; j < g->filter_w; j++) {
            const int ix = ox * g->stride_w + j * g->dilation_w - g->pad_left;
            if (ix < 0 || ix >= g->in_w) continue;
            float* dxp = dx + ((long)(b * g->in_h + iy) * g->in_w + ix) * C;
            const float* wp = w + (i * g->filter_w + j) * CM;
            if (M == 1) {
              int c = 0;
              for (; c + 4 <= C; c += 4) {
                v128_t prod = wasm_f32x4_mul(wasm_v128_load(wp + c), wasm_v128_load(dyp + c));
                wasm_v128_store(dxp + c, wasm_f32x4_add(wasm_v128_load(dxp + c), prod));
              }
              for (; c < C; c++) dxp[c] += wp[c] * dyp[c];
            } else {
              for (int c = 0; c < C; c++) {
                float sum = 0;
                for (int m = 0; m < M; m++) sum += wp[c * M + m] * dyp[c * M + m];
                dxp[c] += sum;
              }
            }
          }
        }
      }
    }
  }
}

// Max-pool gradient: each output gradient goes to the first maximum of its window
// in row-major order (as TensorFlow and the cpu backend route it) in dx, which the
// caller has zeroed. `where` is scratch for C ints.
EXPORT(max_pool_grad)
void max_pool_grad(const conv_geometry* g, const float* x, const float* dy, float* dx, int* where) {
  const int C = g->channels;
  for (int b = 0; b < g->batch; b++) {
    for (int oy = 0; oy < g->out_h; oy++) {
      const int y0 = oy * g->stride_h - g->pad_top;
      const int ya = y0 < 0 ? 0 : y0;
      const int yb = y0 + g->filter_h < g->in_h ? y0 + g->filter_h : g->in_h;
      for (int ox = 0; ox < g->out_w; ox++) {
        const int x0 = ox * g->stride_w - g->pad_left;
        const int xa = x0 < 0 ? 0 : x0;
        const int xb = x0 + g->filter_w < g->in_w ? x0 + g->filter_w : g->in_w;
        const float* dyp = dy + ((long)(b * g->out_h + oy) * g->out_w + ox) * C;
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t at = wasm_i32x4_splat(-1);
          for (int iy = ya; iy < yb; iy++) {
            for (int ix = xa; ix < xb; ix++) {
              const int base = ((b * g->in_h + iy) * g->in_w + ix) * C + c;
              const v128_t v = wasm_v128_load(x + base);
              const v128_t greater = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, greater);
              at = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(base), wasm_i32x4_make(0, 1, 2, 3)), at, greater);
            }
          }
          wasm_v128_store(where + c, at);
        }
        for (; c < C; c++) {
          float best = -__builtin_inff();
          int at = -1;
          for (int iy = ya; iy < yb; iy++) {
            for (int ix = xa; ix < xb; ix++) {
              const int idx = ((b * g->in_h + iy) * g->in_w + ix) * C + c;
              if (x[idx] > best) { best = x[idx]; at = idx; }
            }
          }
          where[c] = at;
        }
        for (int k = 0; k < C; k++) {
          if (where[k] >= 0) dx[where[k]] += dyp[k];
        }
      }
    }
  }
}

// Gradient of clip(x, lo, hi): dy where lo <= x <= hi, else 0 (ReLU6's gradient).
EXPORT(clip_grad)
void clip_grad(const float* x, const float* dy, int n, float lo, float hi, float* dx) {
  const v128_t vlo = wasm_f32x4_splat(lo), vhi = wasm_f32x4_splat(hi);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    const v128_t inside = wasm_v128_and(wasm_f32x4_ge(v, vlo), wasm_f32x4_le(v, vhi));
    wasm_v128_store(dx + i, wasm_v128_and(wasm_v128_load(dy + i), inside));
  }
  for (; i < n; i++) dx[i] = (x[i] >= lo && x[i] <= hi) ? dy[i] : 0.0f;
}

// Batch-norm gradients for x [rows, C] normalised with per-channel mean and
// variance, in one pass: dx = dy * scale / sqrt(var + eps), and the sums
// s1 = sum dy, s2 = sum dy * (x - mean) that the per-channel gradients need.
// `scale` may be 0 (no scale: 1). Scratch: 2*C floats, then 2*C doubles.
EXPORT(batch_norm_grad)
void batch_norm_grad(const float* x, const float* dy, const float* mean, const float* var, const float* scale,
                     float eps, int rows, int C, float* dx, float* dmean, float* dvar, float* dscale,
                     float* doffset, float* part, double* acc) {
  float* k = dmean;  // dmean's memory holds the dx factor until the end
  for (int c = 0; c < C; c++) {
    const float s = scale ? scale[c] : 1.0f;
    k[c] = s / __builtin_sqrtf(var[c] + eps);
    acc[c] = 0;
    acc[C + c] = 0;
  }
  for (int r0 = 0; r0 < rows; r0 += 64) {
    const int r1 = r0 + 64 < rows ? r0 + 64 : rows;
    for (int c = 0; c < 2 * C; c++) part[c] = 0;
    for (int r = r0; r < r1; r++) {
      const float* xr = x + (long)r * C;
      const float* dyr = dy + (long)r * C;
      float* dxr = dx + (long)r * C;
      int c = 0;
      for (; c + 4 <= C; c += 4) {
        const v128_t d = wasm_v128_load(dyr + c);
        const v128_t centred = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
        wasm_v128_store(part + c, wasm_f32x4_add(wasm_v128_load(part + c), d));
        wasm_v128_store(part + C + c, wasm_f32x4_add(wasm_v128_load(part + C + c), wasm_f32x4_mul(d, centred)));
        wasm_v128_store(dxr + c, wasm_f32x4_mul(d, wasm_v128_load(k + c)));
      }
      for (; c < C; c++) {
        part[c] += dyr[c];
        part[C + c] += dyr[c] * (xr[c] - mean[c]);
        dxr[c] = dyr[c] * k[c];
      }
    }
    for (int c = 0; c < 2 * C; c++) acc[c] += part[c];
  }
  for (int c = 0; c < C; c++) {
    const double inv = 1.0 / __builtin_sqrt((double)var[c] + eps);
    const double s = scale ? scale[c] : 1.0;
    doffset[c] = (float)acc[c];
    dscale[c] = (float)(acc[C + c] * inv);
    dvar[c] = (float)(-0.5 * s * inv * inv * inv * acc[C + c]);
    dmean[c] = (float)(-s * inv * acc[c]);
  }
}

// Batch normalisation (inference form) of x [rows, C] with per-channel mean,
// variance, scale and offset (scale, offset may be 0: 1 and 0).
EXPORT(batch_norm)
void batch_norm(const float* x, const float* mean, const float* var, const float* scale, const float* offset,
                float eps, int rows, int C, float* y, float* k, float* b) {
  for (int c = 0; c < C; c++) {
    k[c] = (scale ? scale[c] : 1.0f) / __builtin_sqrtf(var[c] + eps);
    b[c] = (offset ? offset[c] : 0.0f) - mean[c] * k[c];
  }
  for (int r = 0; r < rows; r++) {
    const float* xr = x + (long)r * C;
    float* yr = y + (long)r * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      wasm_v128_store(yr + c, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(xr + c), wasm_v128_load(k + c)),
                                             wasm_v128_load(b + c)));
    }
    for (; c < C; c++) yr[c] = xr[c] * k[c] + b[c];
  }
}

// out [M, P] = A^T B for A [N, M], B [N, P] with N large and M*P small (the weight
// gradient of a dense or 1x1 layer). Each entry is summed over n in float32 in
// blocks of 64 rows, and the blocks in float64 (`acc`, M*P doubles). Within a block
// a 4 x 8 tile of sums stays in registers while the block's rows stream by; edge
// tiles go one sum at a time, in the same order.
static void at_b_tile(const float* a, const float* b, int n0, int n1, int M, int P, int i0, int in, int j0, int jn,
                      double* acc) {
  if (in == 4 && jn == 8) {
    v128_t s00 = wasm_f32x4_splat(0), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
    for (int n = n0; n < n1; n++) {
      const float* an = a + (long)n * M + i0;
      const float* bn = b + (long)n * P + j0;
      const v128_t b0 = wasm_v128_load(bn), b1 = wasm_v128_load(bn + 4);
      v128_t v = wasm_f32x4_splat(an[0]);
      s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(v, b0)); s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(v, b1));
      v = wasm_f32x4_splat(an[1]);
      s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(v, b0)); s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(v, b1));
      v = wasm_f32x4_splat(an[2]);
      s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(v, b0)); s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(v, b1));
      v = wasm_f32x4_splat(an[3]);
      s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(v, b0)); s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(v, b1));
    }
    const v128_t rows[4][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}};
    for (int i = 0; i < 4; i++) {
      double* o = acc + (long)(i0 + i) * P + j0;
      for (int h = 0; h < 2; h++) {
        o[4 * h + 0] += wasm_f32x4_extract_lane(rows[i][h], 0);
        o[4 * h + 1] += wasm_f32x4_extract_lane(rows[i][h], 1);
        o[4 * h + 2] += wasm_f32x4_extract_lane(rows[i][h], 2);
        o[4 * h + 3] += wasm_f32x4_extract_lane(rows[i][h], 3);
      }
    }
    return;
  }
  for (int i = i0; i < i0 + in; i++) {
    for (int j = j0; j < j0 + jn; j++) {
      float sum = 0;
      for (int n = n0; n < n1; n++) sum += a[(long)n * M + i] * b[(long)n * P + j];
      acc[(long)i * P + j] += sum;
    }
  }
}

EXPORT(matmul_at_b)
void matmul_at_b(const float* a, const float* b, int N, int M, int P, float* out, double* acc) {
  const int size = M * P;
  for (int k = 0; k < size; k++) acc[k] = 0;
  for (int n0 = 0; n0 < N; n0 += 64) {
    const int n1 = n0 + 64 < N ? n0 + 64 : N;
    for (int i0 = 0; i0 < M; i0 += 4) {
      const int in = M - i0 < 4 ? M - i0 : 4;
      for (int j0 = 0; j0 < P; j0 += 8) at_b_tile(a, b, n0, n1, M, P, i0, in, j0, P - j0 < 8 ? P - j0 : 8, acc);
    }
  }
  for (int k = 0; k < size; k++) out[k] = (float)acc[k];
}

// Filter gradient of a convolution, out[kh, kw, ci, co] = sum over images and output
// pixels of x[window pixel, ci] * dy[pixel, co]. For one image and one filter tap,
// a 4 (ci) x 8 (co) tile of sums stays in registers while the pixels stream by;
// per image the tiles are added into float64 `acc` (kh*kw*ci*co doubles).
static void tile_sums(const conv_geometry* g, const float* x, const float* dy, int b, int i, int j,
                      int c0, int cn, int k0, int kn, double* acc) {
  const int CI = g->channels, CO = g->out_channels;
  // Output rows and columns whose window puts this tap inside the image.
  int oy0 = 0, oy1 = g->out_h, ox0 = 0, ox1 = g->out_w;
  while (oy0 < oy1 && oy0 * g->stride_h + i * g->dilation_h - g->pad_top < 0) oy0++;
  while (oy1 > oy0 && (oy1 - 1) * g->stride_h + i * g->dilation_h - g->pad_top >= g->in_h) oy1--;
  while (ox0 < ox1 && ox0 * g->stride_w + j * g->dilation_w - g->pad_left < 0) ox0++;
  while (ox1 > ox0 && (ox1 - 1) * g->stride_w + j * g->dilation_w - g->pad_left >= g->in_w) ox1--;
  double* out = acc + ((long)(i * g->filter_w + j) * CI) * CO;
  if (cn == 4 && kn == 8) {
    v128_t s00 = wasm_f32x4_splat(0), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
    for (int oy = oy0; oy < oy1; oy++) {
      const int iy = oy * g->stride_h + i * g->dilation_h - g->pad_top;
      for (int ox = ox0; ox < ox1; ox++) {
        const int ix = ox * g->stride_w + j * g->dilation_w - g->pad_left;
        const float* xp = x + ((long)(b * g->in_h + iy) * g->in_w + ix) * CI + c0;
        const float* dp = dy + ((long)(b * g->out_h + oy) * g->out_w + ox) * CO + k0;
        const v128_t d0 = wasm_v128_load(dp), d1 = wasm_v128_load(dp + 4);
        v128_t v = wasm_f32x4_splat(xp[0]);
        s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(v, d0)); s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(v, d1));
        v = wasm_f32x4_splat(xp[1]);
        s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(v, d0)); s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(v, d1));
        v = wasm_f32x4_splat(xp[2]);
        s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(v, d0)); s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(v, d1));
        v = wasm_f32x4_splat(xp[3]);
        s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(v, d0)); s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(v, d1));
      }
    }
    const v128_t rows[4][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}};
    for (int c = 0; c < 4; c++) {
      double* o = out + (long)(c0 + c) * CO + k0;
      for (int h = 0; h < 2; h++) {
        o[4 * h + 0] += wasm_f32x4_extract_lane(rows[c][h], 0);
        o[4 * h + 1] += wasm_f32x4_extract_lane(rows[c][h], 1);
        o[4 * h + 2] += wasm_f32x4_extract_lane(rows[c][h], 2);
        o[4 * h + 3] += wasm_f32x4_extract_lane(rows[c][h], 3);
      }
    }
    return;
  }
  if (kn == 8) {
    // Fewer than 4 input channels left (a first layer's 1 or 3): a 1 x 8 tile each.
    for (int c = c0; c < c0 + cn; c++) {
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0;
      for (int oy = oy0; oy < oy1; oy++) {
        const int iy = oy * g->stride_h + i * g->dilation_h - g->pad_top;
        for (int ox = ox0; ox < ox1; ox++) {
          const int ix = ox * g->stride_w + j * g->dilation_w - g->pad_left;
          const v128_t v = wasm_f32x4_splat(x[((long)(b * g->in_h + iy) * g->in_w + ix) * CI + c]);
          const float* dp = dy + ((long)(b * g->out_h + oy) * g->out_w + ox) * CO + k0;
          s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(v, wasm_v128_load(dp)));
          s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(v, wasm_v128_load(dp + 4)));
        }
      }
      double* o = out + (long)c * CO + k0;
      o[0] += wasm_f32x4_extract_lane(s0, 0); o[1] += wasm_f32x4_extract_lane(s0, 1);
      o[2] += wasm_f32x4_extract_lane(s0, 2); o[3] += wasm_f32x4_extract_lane(s0, 3);
      o[4] += wasm_f32x4_extract_lane(s1, 0); o[5] += wasm_f32x4_extract_lane(s1, 1);
      o[6] += wasm_f32x4_extract_lane(s1, 2); o[7] += wasm_f32x4_extract_lane(s1, 3);
    }
    return;
  }
  // Fewer than 8 output channels left: one sum at a time.
  for (int c = c0; c < c0 + cn; c++) {
    for (int k = k0; k < k0 + kn; k++) {
      float sum = 0;
      for (int oy = oy0; oy < oy1; oy++) {
        const int iy = oy * g->stride_h + i * g->dilation_h - g->pad_top;
        for (int ox = ox0; ox < ox1; ox++) {
          const int ix = ox * g->stride_w + j * g->dilation_w - g->pad_left;
          sum += x[((long)(b * g->in_h + iy) * g->in_w + ix) * CI + c] *
                 dy[((long)(b * g->out_h + oy) * g->out_w + ox) * CO + k];
        }
      }
      out[(long)c * CO + k] += sum;
    }
  }
}

EXPORT(conv_filter_grad)
void conv_filter_grad(const conv_geometry* g, const float* x, const float* dy, float* out, double* acc) {
  const int CI = g->channels, CO = g->out_channels;
  const int size = g->filter_h * g->filter_w * CI * CO;
  for (int k = 0; k < size; k++) acc[k] = 0;
  for (int b = 0; b < g->batch; b++) {
    for (int i = 0; i < g->filter_h; i++) {
      for (int j = 0; j < g->filter_w; j++) {
        for (int c0 = 0; c0 < CI; c0 += 4) {
          const int cn = CI - c0 < 4 ? CI - c0 : 4;
          for (int k0 = 0; k0 < CO; k0 += 8) {
            tile_sums(g, x, dy, b, i, j, c0, cn, k0, CO - k0 < 8 ? CO - k0 : 8, acc);
          }
        }
      }
    }
  }
  for (int k = 0; k < size; k++) out[k] = (float)acc[k];
}

// UnsortedSegmentSum (the gradient of tf.gather, i.e. of an embedding):
// out[s, :] += x[r, :] for each row r with s = ids[r] in [0, segments); other ids
// are dropped, as TensorFlow does. `out` comes zeroed. Rows are added in order, so
// the sums round as the cpu backend's do.
EXPORT(segment_sum)
void segment_sum(const float* x, const int* ids, int rows, int width, int segments, float* out) {
  for (int r = 0; r < rows; r++) {
    const int s = ids[r];
    if (s < 0 || s >= segments) continue;
    const float* src = x + (long)r * width;
    float* dst = out + (long)s * width;
    int c = 0;
    for (; c + 4 <= width; c += 4) {
      wasm_v128_store(dst + c, wasm_f32x4_add(wasm_v128_load(dst + c), wasm_v128_load(src + c)));
    }
    for (; c < width; c++) dst[c] += src[c];
  }
}

// Batch normalisation in training: x [rows, C] normalised with its own per-channel
// mean and (biased) variance, which are output too. The statistics are summed as
// sum_leading sums (so they equal tfjs' moments on this backend bit for bit: the
// mean, then the mean of the squared float32 deviations), and y is batch_norm's.
// Scratch: C floats, C doubles, then C floats twice (batch_norm's k and b).
EXPORT(batch_norm_train)
void batch_norm_train(const float* x, const float* scale, const float* offset, float eps, int rows, int C,
                      float inv_rows, float* y, float* mean, float* var, float* part, double* acc, float* k, float* b) {
  sum_leading(x, rows, C, inv_rows, mean, part, acc);
  for (int c = 0; c < C; c++) acc[c] = 0;
  for (int r0 = 0; r0 < rows; r0 += 64) {
    const int r1 = r0 + 64 < rows ? r0 + 64 : rows;
    for (int c = 0; c < C; c++) part[c] = 0;
    for (int r = r0; r < r1; r++) {
      const float* xr = x + (long)r * C;
      int c = 0;
      for (; c + 4 <= C; c += 4) {
        const v128_t d = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
        wasm_v128_store(part + c, wasm_f32x4_add(wasm_v128_load(part + c), wasm_f32x4_mul(d, d)));
      }
      for (; c < C; c++) {
        const float d = xr[c] - mean[c];
        part[c] += d * d;
      }
    }
    for (int c = 0; c < C; c++) acc[c] += part[c];
  }
  for (int c = 0; c < C; c++) var[c] = (float)(acc[c] * inv_rows);
  batch_norm(x, mean, var, scale, offset, eps, rows, C, y, k, b);
}

// Gradients of batch_norm_train: given dy and the gradients reaching its mean and
// variance outputs (dmean_out, dvar_out), with S1 = sum dy and S2 = sum dy (x - mean)
// per channel, k = scale / sqrt(var + eps), N = rows:
//   dx = k dy + A + B (x - mean),  A = (dmean_out - k S1) / N,
//   B = (2 dvar_out - k S2 / (var + eps)) / N,
//   dscale = S2 / sqrt(var + eps),  doffset = S1.
// Two passes (the sums, then dx). `scale` may be 0 (1). Scratch: 2*C floats,
// 2*C doubles, then 3*C floats (k, A, B).
EXPORT(batch_norm_train_grad)
void batch_norm_train_grad(const float* x, const float* dy, const float* mean, const float* var, const float* scale,
                           const float* dmean_out, const float* dvar_out, float eps, int rows, int C,
                           float* dx, float* dscale, float* doffset, float* part, double* acc, float* coef) {
  for (int c = 0; c < 2 * C; c++) acc[c] = 0;
  for (int r0 = 0; r0 < rows; r0 += 64) {
    const int r1 = r0 + 64 < rows ? r0 + 64 : rows;
    for (int c = 0; c < 2 * C; c++) part[c] = 0;
    for (int r = r0; r < r1; r++) {
      const float* xr = x + (long)r * C;
      const float* dyr = dy + (long)r * C;
      int c = 0;
      for (; c + 4 <= C; c += 4) {
        const v128_t d = wasm_v128_load(dyr + c);
        const v128_t centred = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
        wasm_v128_store(part + c, wasm_f32x4_add(wasm_v128_load(part + c), d));
        wasm_v128_store(part + C + c, wasm_f32x4_add(wasm_v128_load(part + C + c), wasm_f32x4_mul(d, centred)));
      }
      for (; c < C; c++) {
        part[c] += dyr[c];
        part[C + c] += dyr[c] * (xr[c] - mean[c]);
      }
    }
    for (int c = 0; c < 2 * C; c++) acc[c] += part[c];
  }
  float* k = coef;
  float* a = coef + C;
  float* bb = coef + 2 * C;
  for (int c = 0; c < C; c++) {
    const double inv = 1.0 / __builtin_sqrt((double)var[c] + eps);
    const double kc = (scale ? scale[c] : 1.0) * inv;
    doffset[c] = (float)acc[c];
    dscale[c] = (float)(acc[C + c] * inv);
    k[c] = (float)kc;
    a[c] = (float)((dmean_out[c] - kc * acc[c]) / rows);
    bb[c] = (float)((2.0 * dvar_out[c] - kc * acc[C + c] * inv * inv) / rows);
  }
  for (int r = 0; r < rows; r++) {
    const float* xr = x + (long)r * C;
    const float* dyr = dy + (long)r * C;
    float* dxr = dx + (long)r * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      const v128_t centred = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
      const v128_t v = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(dyr + c), wasm_v128_load(k + c)),
                                      wasm_f32x4_add(wasm_v128_load(a + c), wasm_f32x4_mul(wasm_v128_load(bb + c), centred)));
      wasm_v128_store(dxr + c, v);
    }
    for (; c < C; c++) dxr[c] = dyr[c] * k[c] + (a[c] + bb[c] * (xr[c] - mean[c]));
  }
}

// Gradient of ReLU (lo 0, hi infinity) and ReLU6 (hi 6): dy where lo < x <= hi, else 0.
EXPORT(band_grad)
void band_grad(const float* x, const float* dy, int n, float lo, float hi, float* dx) {
  const v128_t vlo = wasm_f32x4_splat(lo), vhi = wasm_f32x4_splat(hi);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    const v128_t inside = wasm_v128_and(wasm_f32x4_gt(v, vlo), wasm_f32x4_le(v, vhi));
    wasm_v128_store(dx + i, wasm_v128_and(wasm_v128_load(dy + i), inside));
  }
  for (; i < n; i++) dx[i] = (x[i] > lo && x[i] <= hi) ? dy[i] : 0.0f;
}
