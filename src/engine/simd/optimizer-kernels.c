// Optimizer steps for tfjs-backend-wasm: one variable's Adam/AdamW or SGD update
// in one pass, for the fused optimizer kernel (kernels/optimizer-step.ts).
//
// Linked into tlx-kernels.wasm with tlx-kernels.c and under its rules: the module
// imports tfjs-backend-wasm's memory and owns none of its own (no data segments,
// no stack use: only scalar and vector locals, no libc).
//
// Each step reads the weight, gradient and slots and writes new ones to separate
// output buffers, never in place: tfjs tensors may share their data. The float32
// operations are those of the tf-ops rules (train/optimizers/adam.ts, sgd.ts) in
// the same order, and the scalar factors come from JS already rounded to float32
// as the ops' scalar operands are, so the results are the op path's bit for bit.
// Elements past the last multiple of 4 go through the same vector code one lane
// at a time (splat in, lane 0 out), so they round exactly as the others do.

#include <wasm_simd128.h>

#pragma STDC FP_CONTRACT OFF

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

// Flags of adam_step and sgd_step.
#define DECOUPLED_DECAY 1 // AdamW: w (1 - lr wd) before the step
#define L2 2              // weight decay as PyTorch's weight_decay: g + w wd
#define AMSGRAD 4         // the denominator uses the running maximum of v
#define MOMENTUM 8        // SGD keeps a velocity
#define NESTEROV 16       // SGD steps along g + momentum v

INLINE v128_t load(const float* p, int i, int whole) {
  return whole ? wasm_v128_load(p + i) : wasm_f32x4_splat(p[i]);
}

INLINE void store(float* p, int i, int whole, v128_t x) {
  if (whole) wasm_v128_store(p + i, x);
  else p[i] = wasm_f32x4_extract_lane(x, 0);
}

INLINE void adam_at(int i, int whole, int flags, const float* w, const float* g, const float* m, const float* v,
                    const float* vmax, float* w_out, float* m_out, float* v_out, float* vmax_out,
                    v128_t decay, v128_t l2, v128_t beta1, v128_t one_minus_beta1, v128_t beta2,
                    v128_t one_minus_beta2, v128_t corrected2, v128_t epsilon, v128_t step_size) {
  const v128_t wv = load(w, i, whole);
  v128_t gv = load(g, i, whole);
  if (flags & L2) gv = wasm_f32x4_add(gv, wasm_f32x4_mul(wv, l2));
  const v128_t decayed = (flags & DECOUPLED_DECAY) ? wasm_f32x4_mul(wv, decay) : wv;
  const v128_t mn = wasm_f32x4_add(wasm_f32x4_mul(load(m, i, whole), beta1), wasm_f32x4_mul(gv, one_minus_beta1));
  const v128_t vn = wasm_f32x4_add(wasm_f32x4_mul(load(v, i, whole), beta2),
                                   wasm_f32x4_mul(wasm_f32x4_mul(gv, gv), one_minus_beta2));
  v128_t second = vn;
  if (flags & AMSGRAD) {
    // f32x4.max propagates NaN and orders -0 below +0, as tfjs' Math.max does.
    second = wasm_f32x4_max(load(vmax, i, whole), vn);
    store(vmax_out, i, whole, second);
  }
  const v128_t denominator = wasm_f32x4_add(wasm_f32x4_div(wasm_f32x4_sqrt(second), corrected2), epsilon);
  store(w_out, i, whole, wasm_f32x4_sub(decayed, wasm_f32x4_mul(wasm_f32x4_div(mn, denominator), step_size)));
  store(m_out, i, whole, mn);
  store(v_out, i, whole, vn);
}

// torch.optim.Adam / AdamW (amsgrad with AMSGRAD: vmax and vmax_out are used only
// then). decay = 1 - lr wd, l2 = wd, corrected2 = sqrt(1 - beta2^t),
// step_size = lr / (1 - beta1^t).
EXPORT(adam_step)
void adam_step(int n, int flags, const float* w, const float* g, const float* m, const float* v, const float* vmax,
               float* w_out, float* m_out, float* v_out, float* vmax_out,
               float decay, float l2, float beta1, float one_minus_beta1, float beta2, float one_minus_beta2,
               float corrected2, float epsilon, float step_size) {
  const v128_t d = wasm_f32x4_splat(decay), l = wasm_f32x4_splat(l2);
  const v128_t b1 = wasm_f32x4_splat(beta1), c1 = wasm_f32x4_splat(one_minus_beta1);
  const v128_t b2 = wasm_f32x4_splat(beta2), c2 = wasm_f32x4_splat(one_minus_beta2);
  const v128_t k2 = wasm_f32x4_splat(corrected2), e = wasm_f32x4_splat(epsilon), s = wasm_f32x4_splat(step_size);
  int i = 0;
  for (; i + 4 <= n; i += 4) adam_at(i, 1, flags, w, g, m, v, vmax, w_out, m_out, v_out, vmax_out, d, l, b1, c1, b2, c2, k2, e, s);
  for (; i < n; i++) adam_at(i, 0, flags, w, g, m, v, vmax, w_out, m_out, v_out, vmax_out, d, l, b1, c1, b2, c2, k2, e, s);
}

INLINE void sgd_at(int i, int whole, int flags, const float* w, const float* g, const float* velocity,
                   float* w_out, float* velocity_out, v128_t l2, v128_t momentum, v128_t learning_rate) {
  const v128_t wv = load(w, i, whole);
  v128_t gv = load(g, i, whole);
  if (flags & L2) gv = wasm_f32x4_add(gv, wasm_f32x4_mul(wv, l2));
  v128_t direction = gv;
  if (flags & MOMENTUM) {
    const v128_t vn = wasm_f32x4_add(wasm_f32x4_mul(load(velocity, i, whole), momentum), gv);
    store(velocity_out, i, whole, vn);
    direction = (flags & NESTEROV) ? wasm_f32x4_add(gv, wasm_f32x4_mul(vn, momentum)) : vn;
  }
  store(w_out, i, whole, wasm_f32x4_sub(wv, wasm_f32x4_mul(direction, learning_rate)));
}

// torch.optim.SGD with dampening 0 (velocity and velocity_out used only with MOMENTUM).
EXPORT(sgd_step)
void sgd_step(int n, int flags, const float* w, const float* g, const float* velocity, float* w_out,
              float* velocity_out, float l2, float momentum, float learning_rate) {
  const v128_t l = wasm_f32x4_splat(l2), mo = wasm_f32x4_splat(momentum), lr = wasm_f32x4_splat(learning_rate);
  int i = 0;
  for (; i + 4 <= n; i += 4) sgd_at(i, 1, flags, w, g, velocity, w_out, velocity_out, l, mo, lr);
  for (; i < n; i++) sgd_at(i, 0, flags, w, g, velocity, w_out, velocity_out, l, mo, lr);
}
