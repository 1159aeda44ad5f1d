// What a schedule does to the loss, in the browser: the Tissue et al. law and the convex
// bound of Schaipp et al., line-by-line ports of annealing.laws (law.py, _features.py,
// bound.py) on the rates at steps 0..T. tests/site/test_explorer_laws.py compares them with
// Law.predict and bound to 1e-12 (relative).

// A Kahan–Babuška (Neumaier) sum: within an ulp or two of the exact sum, as numpy's pairwise
// np.sum and math.fsum are, so the two agree far below 1e-12.
function sum(values) {
  let s = 0;
  let c = 0;
  for (const x of values) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/**
 * The Tissue law's predicted loss at steps 0..T for the rates `eta` (index = step):
 * L(t) = L0 + A S(t)^-alpha - C (S2(t) - eta_W / (1 - lambda)), with S(t) = sum of eta_1..eta_t,
 * S2 = sum of m_i, m_i = lambda m_{i-1} + Delta_i, Delta_i = eta_{i-1} - eta_i after the first
 * step at the peak (0 up to it). NaN where S(t) = 0 (step 0, or no rate yet): no prediction.
 */
export function tissue(law, eta, out) {
  const { L0, A, alpha, C } = law.parameters;
  const decay = law.decay;
  const n = eta.length;
  const y = out && out.length === n ? out : new Float64Array(n);
  let peakStep = 0;
  for (let i = 1; i < n; i++) if (eta[i] > eta[peakStep]) peakStep = i;
  const offset = eta[peakStep] / (1.0 - decay);
  let S = 0.0;
  let m = 0.0;
  let S2 = 0.0;
  y[0] = NaN;
  for (let t = 1; t < n; t++) {
    S += eta[t];
    const delta = t > peakStep ? eta[t - 1] - eta[t] : 0.0;
    m = delta + decay * m;
    S2 += m;
    y[t] = S > 0 ? L0 + A * S ** -alpha - C * (S2 - offset) : NaN;
  }
  return y;
}

/**
 * The rates `eta` scaled so that their largest is `peak`: eta[t] * (peak / max(eta)), as
 * numpy computes `eta * (peak / eta.max())`, into `out` (reused when its length fits). The
 * shape of a schedule at another peak rate. Null when no rate is above 0 (no shape to scale).
 */
export function atPeak(eta, peak, out) {
  const n = eta.length;
  let top = 0;
  for (let i = 0; i < n; i++) if (eta[i] > top) top = eta[i];
  if (!(top > 0) || !Number.isFinite(top)) return null;
  const y = out && out.length === n ? out : new Float64Array(n);
  const k = peak / top;
  for (let i = 0; i < n; i++) y[i] = eta[i] * k;
  return y;
}

// a Float64Array of `n` from `scratch[key]`, kept there for the next call
function buffer(scratch, key, n) {
  if (!scratch) return new Float64Array(n);
  if (!scratch[key] || scratch[key].length !== n) scratch[key] = new Float64Array(n);
  return scratch[key];
}

/**
 * The bound Omega_T of Schaipp et al. 2025, Thm. 1, for the rates eta_1..eta_T = eta[0..T-1]
 * (annealing.laws.bound(eta, T, D, G) with one G): null when a rate is not > 0, as the theorem
 * (and the Python) refuses. `scratch` (an object) keeps its arrays for the next call.
 */
export function bound(eta, T, D = 1.0, G = 1.0, scratch = null) {
  if (!(T >= 1) || eta.length < T) return null;
  for (let i = 0; i < T; i++) if (!(eta[i] > 0) || !Number.isFinite(eta[i])) return null;
  const beta = buffer(scratch, "beta", T); // suffix sums of eta, from the end
  const gamma = buffer(scratch, "gamma", T); // of eta^2 G^2
  let b = 0;
  let g = 0;
  for (let i = T - 1; i >= 0; i--) {
    b += eta[i];
    g += eta[i] * eta[i] * (G * G);
    beta[i] = b;
    gamma[i] = g;
  }
  const total = beta[0];
  const distance = (D * D) / (2.0 * total);
  const noise = gamma[0] / (2.0 * total);
  const terms = buffer(scratch, "terms", Math.max(T - 1, 0));
  for (let k = 0; k < T - 1; k++) terms[k] = (eta[k] / beta[k + 1]) * (gamma[k] / beta[k]);
  const last = 0.5 * sum(terms);
  return sum([distance, noise, last]);
}
