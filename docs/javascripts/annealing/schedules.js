// The annealing schedules in JavaScript: a line-by-line port of the Python formulas in
// src/annealing/ (the scalar code paths), reading the same configuration format as
// `Schedule.to_dict()`. tests/site/test_explorer.py compares the two at sampled steps.
//
//   import { evaluate } from "./schedules.js";
//   evaluate({ format: 1, type: "Cosine", start: 0.1, end: 0, steps: 100, exponent: 1 }, [0, 50]);
//
// Keep it in step with the Python: every branch, comparison and order of operations below
// mirrors the module named in the comment above it.

const HALF_PI = Math.PI / 2;

// ---------------------------------------------------------------- _shapes.transition (scalar)
// The lower of the two values plus a non-negative weight times the gap, the weight measured
// from the lower end: a decay from steps - t, a rise from t (no cancellation near either end).
export function transition(start, end, t, steps, shape, power = 1) {
  if (t >= steps) return end;
  if (shape === "cosine" && power === 1) {
    if (start >= end) {
      const s = Math.sin((steps - t) * (HALF_PI / steps));
      return end + (start - end) * (s * s);
    }
    const s = Math.sin(t * (HALF_PI / steps));
    return start + (end - start) * (s * s);
  }
  if (shape === "linear") {
    if (start >= end) return end + (start - end) * ((steps - t) / steps);
    return start + (end - start) * (t / steps);
  }
  const rest = steps - t;
  if (start < end && (shape === "cosine" || shape === "polynomial" || shape === "1-sqrt")) {
    return rise(start, end, t, rest, steps, shape, power);
  }
  if (shape === "cosine") {
    const s = Math.sin(rest * (HALF_PI / steps));
    return end + (start - end) * (s * s) ** power;
  }
  if (shape === "polynomial") return end + (start - end) * (rest / steps) ** power;
  if (shape === "exponential") return start * (end / start) ** (t / steps);
  if (shape === "1-sqrt") return end + (start - end) * (rest / steps / (1.0 + Math.sqrt(t / steps)));
  throw new Error(`transition: shape must be one of linear, cosine, polynomial, exponential, 1-sqrt, got ${shape}`);
}

const TINY = 1e-300; // keeps log() finite where a branch is computed but not used

// _shapes._rise: a rise measured from `start`; 1 - f**p = -expm1(p log f), log f from log1p early on
function rise(start, end, t, rest, steps, shape, power) {
  const gap = end - start;
  if (shape === "1-sqrt") return start + gap * Math.sqrt(t / steps);
  let logF;
  if (shape === "cosine") {
    const a = Math.sin(t * (HALF_PI / steps));
    logF = 2 * t <= steps ? Math.log1p(-Math.min(a * a, 0.5)) : 2.0 * Math.log(Math.max(Math.sin(rest * (HALF_PI / steps)), TINY));
  } else {
    logF = 2 * t <= steps ? Math.log1p(-Math.min(t / steps, 0.5)) : Math.log(Math.max(rest / steps, TINY));
  }
  return start + gap * -Math.expm1(power * logF);
}

// bisect.bisect_right: the number of entries <= t in a sorted array
function bisectRight(table, t) {
  let lo = 0;
  let hi = table.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t < table[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------- exact rationals (restarts.py)
function gcd(a, b) {
  while (b) [a, b] = [b, a % b];
  return a;
}

function frac(n, d = 1n) {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n < 0n ? -n : n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

const add = (a, b) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
const mul = (a, b) => frac(a.n * b.n, a.d * b.d);

// restarts._exact: the shortest decimal that reads back as x (Python's repr, JS's String)
export function exact(x) {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(x));
  if (!m) throw new Error(`not a finite number: ${x}`);
  const digits = BigInt(m[2] + (m[3] || ""));
  const exponent = (m[4] ? Number(m[4]) : 0) - (m[3] || "").length;
  let value = exponent >= 0 ? frac(digits * 10n ** BigInt(exponent)) : frac(digits, 10n ** BigInt(-exponent));
  if (m[1]) value = frac(-value.n, value.d);
  return value;
}

const bitLength = (n) => (n === 0n ? 0 : n.toString(2).length);

// float(Fraction): n / d correctly rounded to the nearest double (ties to even), n >= 0
export function toDouble(f) {
  let { n, d } = f;
  if (n === 0n) return 0;
  const negative = n < 0n;
  if (negative) n = -n;
  const shift = 55 - (bitLength(n) - bitLength(d));
  const num = shift >= 0 ? n << BigInt(shift) : n;
  const den = shift >= 0 ? d : d << BigInt(-shift);
  let q = num / den;
  const sticky = num % den !== 0n;
  const extra = bitLength(q) - 53;
  let mantissa = q >> BigInt(extra);
  const rest = q & ((1n << BigInt(extra)) - 1n);
  const half = 1n << BigInt(extra - 1);
  if (rest > half || (rest === half && (sticky || (mantissa & 1n) === 1n))) mantissa += 1n;
  const value = Number(mantissa) * 2 ** (extra - shift);
  return negative ? -value : value;
}

// 60-digit decimal arithmetic (Python's decimal module, prec=60, ROUND_HALF_EVEN): Restarts
// computes its cycle starts and stretches this way from the decimals the user wrote.
const PRECISION = 60;
const TEN = 10n;

function decimal(x) {
  const f = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(x));
  if (!f) throw new Error(`not a finite number: ${x}`);
  const c = BigInt(f[2] + (f[3] || ""));
  return round({ c: f[1] ? -c : c, e: (f[4] ? Number(f[4]) : 0) - (f[3] || "").length });
}

function round(d) {
  let { c, e } = d;
  const negative = c < 0n;
  if (negative) c = -c;
  const digits = c.toString().length;
  if (digits > PRECISION) {
    const drop = digits - PRECISION;
    const unit = TEN ** BigInt(drop);
    let q = c / unit;
    const r = c % unit;
    const half = 5n * TEN ** BigInt(drop - 1);
    if (r > half || (r === half && (q & 1n) === 1n)) q += 1n;
    e += drop;
    if (q.toString().length > PRECISION) {
      q /= TEN;
      e += 1;
    }
    c = q;
  }
  return { c: negative ? -c : c, e };
}

function decAdd(a, b) {
  const e = Math.min(a.e, b.e);
  return round({ c: a.c * TEN ** BigInt(a.e - e) + b.c * TEN ** BigInt(b.e - e), e });
}

const decMul = (a, b) => round({ c: a.c * b.c, e: a.e + b.e });
const decFloat = (d) => Number(`${d.c}e${d.e}`);
const decAbove = (d, n) => (d.e >= 0 ? d.c * TEN ** BigInt(d.e) > n : d.c > n * TEN ** BigInt(-d.e));
const MAX_CYCLES = 100000;

const EXACT_LIMIT = 2 ** 53;

// ---------------------------------------------------------------- the families
// Each builder returns { f: (t) => value, steps: number | null }.

function num(config, name, fallback) {
  const value = config[name];
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`${config.type}: ${name} is required`);
    return fallback;
  }
  return value;
}

const builders = {
  Constant(c) {
    const value = num(c, "value");
    return { f: () => value, steps: num(c, "steps", null) };
  },

  Cosine(c) {
    const start = num(c, "start");
    const end = num(c, "end");
    const steps = num(c, "steps");
    const exponent = num(c, "exponent", 1.0);
    // cosine.Cosine._scalar (the transition, inlined there for speed)
    const f = (t) => transition(start, end, t, steps, "cosine", exponent);
    return { f, steps };
  },

  Linear(c) {
    const start = num(c, "start");
    const end = num(c, "end");
    const steps = num(c, "steps");
    return { f: (t) => transition(start, end, t, steps, "linear"), steps };
  },

  Polynomial(c) {
    const start = num(c, "start");
    const end = num(c, "end");
    const steps = num(c, "steps");
    const power = num(c, "power", 1.0);
    return { f: (t) => transition(start, end, t, steps, "polynomial", power), steps };
  },

  // exponential.Exponential._value
  Exponential(c) {
    const start = num(c, "start");
    const end = num(c, "end", null);
    const steps = num(c, "steps", null);
    const rate = num(c, "rate", null);
    const every = num(c, "every", 1);
    const staircase = num(c, "staircase", false);
    if (rate === null) {
      if (end === null || steps === null) {
        throw new Error("Exponential: give either rate (and optionally end as a bound) or end and steps");
      }
      const base = end / start;
      const f = (t) => {
        let x = Math.min(t, steps);
        if (staircase) x = Math.floor(x / every) * every;
        return start * base ** (x / steps);
      };
      return { f, steps };
    }
    const f = (t) => {
      let n = t / every;
      if (staircase) n = Math.floor(n);
      let value = start * rate ** n;
      if (end !== null) value = rate < 1 ? Math.max(value, end) : Math.min(value, end);
      return value;
    };
    return { f, steps: null };
  },

  InverseSqrt(c) {
    const start = num(c, "start");
    const timescale = num(c, "timescale");
    return { f: (t) => start * Math.sqrt(timescale / (timescale + t)), steps: null };
  },

  Step(c) {
    const start = num(c, "start");
    const every = num(c, "every");
    const factor = num(c, "factor", 0.1);
    return { f: (t) => start * factor ** Math.floor(t / every), steps: null };
  },

  MultiStep(c) {
    const start = num(c, "start");
    const milestones = num(c, "milestones").map(Number);
    const factor = num(c, "factor", 0.1);
    return {
      f: (t) => start * factor ** bisectRight(milestones, t),
      steps: milestones.length ? Math.max(...milestones) : null,
    };
  },

  // piecewise.Piecewise._value, scalar branch
  Piecewise(c) {
    const points = num(c, "points");
    if (!points.length) throw new Error("Piecewise: points must hold at least one (step, value)");
    const interpolation = num(c, "interpolation", "constant");
    const side = num(c, "side", "left");
    return piecewise(points, interpolation, side);
  },

  // onecycle.OneCycle.__post_init__ builds a Piecewise path
  OneCycle(c) {
    const peak = num(c, "peak");
    const steps = num(c, "steps");
    const pctStart = num(c, "pct_start", 0.3);
    const div = num(c, "div", 25.0);
    const finalDiv = num(c, "final_div", 1e4);
    const shape = num(c, "shape", "cosine");
    const initial = peak / div;
    const low = initial / finalDiv;
    const rise = pctStart * steps;
    const points = num(c, "three_phase", false)
      ? [[0, initial], [rise, peak], [2 * rise, initial], [steps, low]]
      : [[0, initial], [rise, peak], [steps, low]];
    return { f: piecewise(points, shape, "left").f, steps };
  },

  // cyclic.Cyclic._value
  Cyclic(c) {
    const low = num(c, "low");
    const high = num(c, "high");
    const up = num(c, "up");
    const down = num(c, "down", null) ?? up;
    const mode = num(c, "mode", "triangular");
    const gamma = num(c, "gamma", 1.0);
    const period = up + down;
    const f = (t) => {
      let cycle = Math.floor(t / period);
      if ((cycle + 1) * period <= t) cycle += 1;
      if (cycle * period > t) cycle -= 1;
      const p = t - cycle * period;
      const x = p <= up ? p / up : (period - p) / down;
      let scale = 1.0;
      if (mode === "triangular2") scale = 0.5 ** cycle;
      else if (mode === "exp_range") scale = gamma ** t;
      return low + (high - low) * x * scale;
    };
    return { f, steps: null };
  },

  // wsd.WSD._value
  WSD(c) {
    const peak = num(c, "peak");
    const warmup = num(c, "warmup");
    const stable = num(c, "stable");
    const decay = num(c, "decay");
    const start = num(c, "start", 0.0);
    const end = num(c, "end", 0.0);
    const decayShape = num(c, "decay_shape", "linear");
    const warmupShape = num(c, "warmup_shape", "linear");
    const held = warmup + stable;
    const f = (t) => {
      const down = t < held ? peak : transition(peak, end, t - held, decay, decayShape);
      if (warmup === 0) return down;
      if (t >= warmup) return down;
      // linear and cosine run forwards from t; 1-sqrt is the decay run backwards in time
      if (warmupShape !== "1-sqrt") return transition(start, peak, t, warmup, warmupShape);
      return transition(peak, start, Math.max(warmup - t, 0.0), warmup, warmupShape);
    };
    return { f, steps: warmup + stable + decay };
  },

  InverseTime(c) {
    const start = num(c, "start");
    const rate = num(c, "rate");
    const every = num(c, "every", 1);
    const staircase = num(c, "staircase", false);
    const f = (t) => {
      let p = t / every;
      if (staircase) p = Math.floor(p);
      return start / (1.0 + rate * p);
    };
    return { f, steps: null };
  },

  PolynomialCycles(c) {
    const start = num(c, "start");
    const end = num(c, "end");
    const every = num(c, "every");
    const power = num(c, "power", 1.0);
    const f = (t) => {
      const cycles = Math.max(-Math.floor(-t / every), 1.0);
      const horizon = every * cycles;
      return end + (start - end) * ((horizon - t) / horizon) ** power;
    };
    return { f, steps: null };
  },

  // tanh.Tanh: its levels, not its end values, are what restarts decay (the anchors)
  Tanh(c) {
    const start = num(c, "start");
    const end = num(c, "end");
    const steps = num(c, "steps");
    const lower = num(c, "lower", -7.0);
    const upper = num(c, "upper", 3.0);
    const f = (t) => {
      const x = Math.min(t, steps) / steps;
      const g = 1.0 - Math.tanh(lower * (1.0 - x) + upper * x);
      return end + 0.5 * (start - end) * g;
    };
    return { f, steps, anchors: [start, end] };
  },

  // warp.Warp
  Warp(c) {
    const inner = build(num(c, "schedule"));
    const power = num(c, "power", 1.0);
    const steps = inner.steps;
    if (steps === null) throw new Error("Warp: schedule must have a finite length");
    const f = power === 1.0 ? inner.f : (t) => inner.f(steps * (Math.min(t, steps) / steps) ** power);
    return { f, steps, anchors: inner.anchors || [inner.f(0.0), inner.f(steps)] };
  },

  // warp.Offset
  Offset(c) {
    const inner = build(num(c, "schedule"));
    const offset = num(c, "offset");
    return { f: (t) => inner.f(t + offset), steps: inner.steps === null ? null : Math.max(inner.steps - offset, 0) };
  },

  // warmup.Warmup._scalar
  Warmup(c) {
    const inner = build(num(c, "schedule"));
    const warmup = num(c, "warmup");
    const start = num(c, "start", 0.0);
    const shape = num(c, "shape", "linear");
    const target = inner.f(0.0);
    const f = (t) => (t < warmup ? transition(start, target, t, warmup, shape) : inner.f(t - warmup));
    return { f, steps: inner.steps === null ? null : warmup + inner.steps };
  },

  // sequence.Sequence._scalar
  Sequence(c) {
    const parts = num(c, "schedules").map(build);
    if (!parts.length) throw new Error("Sequence: schedules must hold at least one schedule");
    const boundaries = num(c, "boundaries", null);
    let starts;
    if (boundaries === null) {
      starts = [0.0];
      parts.slice(0, -1).forEach((part, i) => {
        if (part.steps === null) throw new Error(`Sequence: schedules[${i}] is endless; give boundaries`);
        starts.push(starts[starts.length - 1] + part.steps);
      });
    } else {
      starts = [0.0, ...boundaries.map(Number)];
    }
    const f = (t) => {
      const i = bisectRight(starts, t) - 1;
      return parts[i].f(t - starts[i]);
    };
    const last = parts[parts.length - 1].steps;
    return { f, steps: last === null ? null : starts[starts.length - 1] + last };
  },

  // scale.Scale._scalar
  Scale(c) {
    const inner = build(num(c, "schedule"));
    const factor = num(c, "factor");
    if (typeof factor === "object" && factor !== null) {
      const other = build(factor);
      const steps = inner.steps === null || other.steps === null ? null : Math.max(inner.steps, other.steps);
      return { f: (t) => inner.f(t) * other.f(t), steps };
    }
    return { f: (t) => inner.f(t) * factor, steps: inner.steps };
  },

  // restarts.Restarts: exact (rational) cycle boundaries, then _value on Python numbers
  Restarts(c) {
    const cycle = build(num(c, "cycle"));
    if (cycle.steps === null) throw new Error("Restarts: cycle must have a finite length (steps)");
    const multiplier = num(c, "mult", 1);
    const peakDecay = num(c, "peak_decay", 1.0);
    const floorDecay = num(c, "floor_decay", 1.0);
    const decayMode = num(c, "decay_mode", "peak");
    const limit = num(c, "limit", null);
    const warmup = num(c, "warmup", 0);
    const table = [];
    const stretch = []; // mult**k of each cycle
    if (multiplier !== 1 || limit !== null) {
      const length = decimal(cycle.steps);
      const m = decimal(multiplier);
      const w = decimal(warmup);
      let start = { c: 0n, e: 0 };
      let grow = { c: 1n, e: 0 };
      const last = limit !== null ? limit : Infinity;
      for (;;) {
        table.push(decFloat(start));
        stretch.push(decFloat(grow));
        if (table.length > last || decAbove(start, BigInt(EXACT_LIMIT))) break;
        if (table.length > MAX_CYCLES) throw new Error(`Restarts: more than ${MAX_CYCLES} cycles before step 2**53`);
        start = decAdd(start, decAdd(w, decMul(length, grow)));
        grow = decMul(grow, m);
      }
    }
    // .steps is cycle_start(limit), exactly: k W + T_0 (m**k - 1) / (m - 1), or k (W + T_0)
    let total = null;
    if (limit !== null) {
      const [L, m, w] = [exact(cycle.steps), exact(multiplier), exact(warmup)];
      const k = frac(BigInt(limit));
      if (multiplier === 1) {
        total = toDouble(mul(k, add(w, L)));
      } else {
        let power = frac(1n);
        for (let i = 0; i < limit; i++) power = mul(power, m);
        const ratio = mul(add(power, frac(-1n)), { n: m.d, d: m.n - m.d });
        total = toDouble(add(mul(k, w), mul(L, frac(ratio.n, ratio.d))));
      }
    }
    // the levels the decays scale: a cycle may name them (Tanh's), else its ends
    const [first, lastValue] = cycle.anchors || [cycle.f(0.0), cycle.f(cycle.steps)];
    const map = (value, k) => {
      if (peakDecay === 1 && floorDecay === 1) return value;
      const floor = lastValue * floorDecay ** k;
      let mapped;
      if (decayMode === "amplitude" || first === lastValue) {
        mapped = floor + (value - lastValue) * peakDecay ** k;
      } else {
        const ratio = (first * peakDecay ** k - floor) / (first - lastValue);
        mapped = floor + (value - lastValue) * ratio;
      }
      return Math.max(mapped, 0.0);
    };
    const length = cycle.steps;
    const period = length + warmup;
    const finalValue = limit !== null ? map(lastValue, limit - 1) : 0;
    const tableEnd = table.length ? table[table.length - 1] : Infinity;
    const f = (t) => {
      let k;
      let begin;
      let grow = 1.0;
      if (table.length) {
        k = bisectRight(table, t) - 1;
        if (limit !== null) k = Math.min(k, limit - 1);
        begin = table[k];
        grow = stretch[k];
      } else {
        k = Math.floor(t / period);
        if ((k + 1) * period <= t) k += 1;
        if (k * period > t) k -= 1;
        begin = k * period;
      }
      const u = t - begin;
      let value = map(cycle.f(Math.max(u - warmup, 0.0) / grow), k);
      if (warmup > 0 && u < warmup) {
        const low = map(lastValue, k);
        const high = map(first, k);
        value = low + (high - low) * (Math.min(u, warmup) / warmup);
      }
      if (limit !== null && t >= tableEnd) value = finalValue;
      return value;
    };
    return { f, steps: total, table, first, last: lastValue };
  },
};

function piecewise(points, interpolation, side) {
  const steps = points.map((p) => Number(p[0]));
  const values = points.map((p) => Number(p[1]));
  const n = steps.length;
  let f;
  if (interpolation === "constant") {
    if (side === "left") {
      f = (t) => values[Math.max(bisectRight(steps, t) - 1, 0)];
    } else {
      // the last point strictly before t
      f = (t) => {
        let below = 0;
        while (below < n && steps[below] < t) below += 1;
        return values[Math.max(below - 1, 0)];
      };
    }
  } else {
    f = (t) => {
      const i = bisectRight(steps, t);
      if (i === 0) return values[0];
      if (i === n) return values[n - 1];
      return transition(values[i - 1], values[i], t - steps[i - 1], steps[i] - steps[i - 1], interpolation);
    };
  }
  return { f, steps: steps[n - 1] };
}

function build(config) {
  if (config === null || typeof config !== "object") {
    throw new TypeError(`a schedule must be a to_dict() object, got ${JSON.stringify(config)}`);
  }
  const builder = Object.hasOwn(builders, config.type) ? builders[config.type] : undefined;
  if (!builder) {
    throw new Error(`type must be one of ${Object.keys(builders).sort().join(", ")}, got ${JSON.stringify(config.type)}`);
  }
  return builder(config);
}

export const FAMILIES = Object.freeze(Object.keys(builders));

/** Compile a to_dict() configuration once: { f(step) -> value, steps }. */
export function compile(config) {
  if (config && config.format !== undefined && config.format !== 1) {
    throw new Error(`format must be 1, got ${JSON.stringify(config.format)}`);
  }
  return build(config);
}

/** The values of the schedule `config` (a to_dict() object) at each of `steps`. */
export function evaluate(config, steps) {
  const { f } = compile(config);
  const list = typeof steps === "number" ? [steps] : Array.from(steps);
  return list.map((t) => {
    if (typeof t !== "number" || !(t >= 0) || t === Infinity) {
      throw new RangeError(`${config.type}: step must be a finite number >= 0, got ${t}`);
    }
    return f(t);
  });
}

/** The length (`.steps`) of the schedule `config`, or null when it never ends. */
export function lengthOf(config) {
  return compile(config).steps;
}
