// The explorer's framework tabs: each framework's own code for the curve on screen, written
// from the current controls, or the reason that framework cannot express it (and then the
// same schedule through the library's adapter for that framework, which is exact).
//
// Every snippet ends in a `scheduler` (PyTorch, Transformers, timm: a scheduler of
// `optimizer`) or a `schedule` (optax: a callable of the step; Keras: a
// LearningRateSchedule). tests/site/test_explorer_code.py runs each one in the real framework
// and compares its rates over the steps shown with the explorer's values.
//
// The curve is { family, p, warmup, wshape } (explorer.js): p holds the family's controls,
// warmup the steps of the warmup the explorer adds in front (from 0, linear or cosine).

export const FRAMEWORKS = ["PyTorch", "optax", "Keras", "Transformers", "timm"];

// how close the framework's own code comes, as a fraction of the peak
export const EXACT = 1e-9;
const KERAS_COSINE = 3e-7; // keras.ops.cos computes in float32 whatever the dtype

// ------------------------------------------------------------------------------ Python text
// JavaScript's shortest round-trip decimal is Python's repr of the same double
function n(x) {
  if (typeof x === "boolean") return x ? "True" : "False";
  if (typeof x === "string") return JSON.stringify(x);
  return String(x);
}

// a float that Python must read as a float (torch's T_mult must stay an int, lr need not)
function f(x) {
  const text = String(x);
  return /[.e]/.test(text) || !Number.isFinite(x) ? text : `${text}.0`;
}

// b / a as Python would compute it, written as the division (a > 0)
const ratio = (b, a) => (b === 0 ? "0.0" : `${n(b)} / ${n(a)}`);

const TORCH_HEAD = (lr, extra = "") => `import torch\n${extra}\nparams = [torch.zeros(1, requires_grad=True)]\noptimizer = torch.optim.SGD(params, lr=${n(lr)})\n`;
const TORCH_LOOP = "# each training step: optimizer.step(), then scheduler.step()";

// ------------------------------------------------------------------------------ what a curve is
// the family's own numbers, named the way the reasons below speak about them
function facts(curve, horizon) {
  const p = curve.p;
  const w = curve.warmup;
  return { p, w, shape: curve.wshape, horizon, after: horizon - w };
}

// the step at which the restarts stop (SGDR with a cycle limit), or Infinity
function sgdrEnd(p) {
  if (!(p.limit > 0)) return Infinity;
  let total = 0;
  for (let k = 0; k < p.limit; k++) total += p.T_0 * p.T_mult ** k;
  return total;
}

// how many SGDR cycles start at or before step `steps`
function cyclesUpTo(p, steps) {
  let k = 0;
  let begin = 0;
  while (begin <= steps && k < 100000) {
    begin += p.T_0 * p.T_mult ** k;
    k += 1;
  }
  return k;
}

const no = (reason) => ({ reason });

// ------------------------------------------------------------------------------ PyTorch
// A list of phases [constructor text, length] run one after another by SequentialLR; the base
// rate of the optimizer is `lr`.
function torchPhases(c) {
  const { p, after } = c;
  switch (c.family) {
    case "cosine": {
      if (p.exponent !== 1) return no("PyTorch's CosineAnnealingLR has no exponent: it is the plain cosine (exponent 1).");
      if (!(p.start > 0)) return no("the start value is 0, and PyTorch's schedulers scale the optimizer's rate.");
      const phases = [[`torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=${n(p.steps)}, eta_min=${n(p.end)})`, p.steps]];
      // past T_max the cosine rises again; the curve holds the end value
      if (after > p.steps) phases.push([`torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: ${ratio(p.end, p.start)})`, null]);
      return { lr: p.start, phases, hold: after > p.steps };
    }
    case "linear":
      if (!(p.start > 0) || p.end > p.start) return no("PyTorch's LinearLR scales the optimizer's rate by a factor that falls from start_factor to end_factor, both in (0, 1]: it cannot rise or start from 0.");
      return { lr: p.start, phases: [[`torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0, end_factor=${ratio(p.end, p.start)}, total_iters=${n(p.steps)})`, null]] };
    case "polynomial":
      if (p.end !== 0) return no("PyTorch's PolynomialLR always decays to 0: it has no end value (the curve ends at " + n(p.end) + ").");
      return { lr: p.start, phases: [[`torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=${n(p.steps)}, power=${f(p.power)})`, null]] };
    case "exponential":
      if (p.staircase || p.every === 1) return { lr: p.start, phases: [[`torch.optim.lr_scheduler.StepLR(optimizer, step_size=${n(p.every)}, gamma=${n(p.rate)})`, null]] };
      return { lr: p.start, phases: [[`torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=${n(p.rate)} ** (1 / ${n(p.every)}))`, null]] };
    case "step":
      return { lr: p.start, phases: [[`torch.optim.lr_scheduler.StepLR(optimizer, step_size=${n(p.every)}, gamma=${n(p.factor)})`, null]] };
    case "sgdr":
      if (!Number.isInteger(p.T_mult)) return no(`PyTorch's CosineAnnealingWarmRestarts takes an integer T_mult; the curve has T_mult = ${n(p.T_mult)}.`);
      if (p.peak_decay !== 1) return no("PyTorch's CosineAnnealingWarmRestarts restarts at the same peak every cycle: it has no peak decay.");
      if (sgdrEnd(p) < after) return no("PyTorch's CosineAnnealingWarmRestarts restarts for ever: it has no cycle limit.");
      return { lr: p.eta_max, phases: [[`torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=${n(p.T_0)}, T_mult=${n(p.T_mult)}, eta_min=${n(p.eta_min)})`, null]] };
    case "onecycle":
      return no("PyTorch's OneCycleLR reaches the peak one step earlier (at pct_start·total_steps − 1) and the minimum at total_steps − 1, and raises an error past total_steps.");
    case "wsd":
      return no("PyTorch has no warmup–stable–decay scheduler (Transformers' get_wsd_schedule is one, as a LambdaLR: see that tab).");
    case "inverse_sqrt":
      return { lr: p.start, imports: ["math"], phases: [[`torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: math.sqrt(${n(p.timescale)} / (${n(p.timescale)} + t)))`, null]], lambda: true };
    case "cyclic": {
      if (c.w > 0) return no("PyTorch's CyclicLR sets the optimizer's rate itself from the first step, so it cannot follow a warmup in SequentialLR.");
      const high = Math.max(p.high, p.low);
      return { lr: p.low, phases: [[`torch.optim.lr_scheduler.CyclicLR(\n    optimizer, base_lr=${n(p.low)}, max_lr=${n(high)}, step_size_up=${n(p.up)}, step_size_down=${n(p.down)},\n    mode=${n(p.mode)}, gamma=${n(p.gamma)}, cycle_momentum=False,\n)`, null]] };
    }
    default:
      return no(`PyTorch has no scheduler for this family.`);
  }
}

function warmupLambda(c, lang) {
  const w = n(c.w);
  const math = lang === "jax" ? "jnp" : "math";
  return c.shape === "linear" ? `t / ${w}` : `${math}.sin(t * (${math}.pi / 2 / ${w})) ** 2`;
}

function pytorch(c) {
  const got = torchPhases(c);
  if (got.reason) return got;
  const imports = new Set(got.imports || []);
  let phases = got.phases;
  let note = "";
  if (c.w > 0) {
    if (c.shape === "cosine") imports.add("math");
    phases = [[`torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: ${warmupLambda(c, "torch")})`, c.w], ...phases];
    note = " The warmup is a LambdaLR (PyTorch's LinearLR cannot start from 0), and SequentialLR starts each next scheduler at its milestone.";
  }
  if (got.hold) note += " Past T_max PyTorch's cosine rises again, so a constant factor holds the end value after it.";
  let body;
  if (phases.length === 1) {
    body = `scheduler = ${phases[0][0]}\n`;
  } else {
    const names = phases.map((_, i) => `phase${i + 1}`);
    const milestones = [];
    let at = 0;
    phases.slice(0, -1).forEach(([, length]) => {
      at += length;
      milestones.push(n(at));
    });
    body = phases.map(([text], i) => `${names[i]} = ${text}\n`).join("")
      + `scheduler = torch.optim.lr_scheduler.SequentialLR(\n    optimizer, [${names.join(", ")}], milestones=[${milestones.join(", ")}]\n)\n`;
  }
  const head = [...imports].sort().map((m) => `import ${m}\n`).join("");
  const torchHead = TORCH_HEAD(got.lr);
  const name = phases.length === 1 ? phases[0][0].match(/lr_scheduler\.(\w+)/)[1] : "SequentialLR";
  return { code: `${head}${torchHead}${body}${TORCH_LOOP}\n`, name, note: note.trim() };
}

// ------------------------------------------------------------------------------ optax
// [text, length] pieces joined by optax.join_schedules (each piece counts from its own start)
function optaxPieces(c) {
  const { p, after } = c;
  switch (c.family) {
    case "cosine":
      if (!(p.start > 0)) return no("optax's cosine_decay_schedule takes the floor as a fraction alpha of init_value, and init_value is 0 here.");
      if (c.w > 0 && c.shape === "linear") {
        return { single: `optax.warmup_cosine_decay_schedule(\n    init_value=0.0, peak_value=${n(p.start)}, warmup_steps=${n(c.w)}, decay_steps=${n(c.w + p.steps)},\n    end_value=${n(p.end)}, exponent=${f(p.exponent)},\n)`, name: "warmup_cosine_decay_schedule", note: "decay_steps counts the warmup: the cosine lasts decay_steps − warmup_steps." };
      }
      return { pieces: [[`optax.cosine_decay_schedule(init_value=${n(p.start)}, decay_steps=${n(p.steps)}, alpha=${ratio(p.end, p.start)}, exponent=${f(p.exponent)})`]] };
    case "linear":
      return { pieces: [[`optax.linear_schedule(init_value=${n(p.start)}, end_value=${n(p.end)}, transition_steps=${n(p.steps)})`]] };
    case "polynomial":
      return { pieces: [[`optax.polynomial_schedule(init_value=${n(p.start)}, end_value=${n(p.end)}, power=${f(p.power)}, transition_steps=${n(p.steps)})`]] };
    case "exponential":
      if (p.staircase && p.every > 1) return optaxStairs(p.start, p.every, p.rate, after);
      return { pieces: [[`optax.exponential_decay(init_value=${n(p.start)}, transition_steps=${n(p.every)}, decay_rate=${n(p.rate)})`]] };
    case "step":
      return optaxStairs(p.start, p.every, p.factor, after);
    case "sgdr": {
      const count = p.limit > 0 ? p.limit : cyclesUpTo(p, after);
      const peak = p.peak_decay === 1 ? n(p.eta_max) : `${n(p.eta_max)} * ${n(p.peak_decay)} ** k`;
      const length = p.T_mult === 1 ? n(p.T_0) : `${n(p.T_0)} * ${n(p.T_mult)} ** k`;
      const text = `optax.sgdr_schedule([\n    dict(init_value=${peak}, peak_value=${peak}, decay_steps=${length}, warmup_steps=0, end_value=${n(p.eta_min)})\n    for k in range(${n(count)})\n])`;
      const note = p.limit > 0 ? "" : `optax takes one dict per cycle: these ${count} cycles cover the ${c.horizon} steps shown (use more for a longer run).`;
      return { pieces: [[text]], note, name: "sgdr_schedule" };
    }
    case "onecycle": {
      const rise = p.three_phase ? Math.min(p.pct_start, 0.49) * p.steps : p.pct_start * p.steps;
      const initial = p.peak / p.div;
      const low = initial / p.final_div;
      if (p.shape === "linear") {
        const pieces = [[`optax.linear_schedule(init_value=${n(p.peak)} / ${n(p.div)}, end_value=${n(p.peak)}, transition_steps=${n(rise)})`, rise]];
        if (p.three_phase) {
          pieces.push([`optax.linear_schedule(init_value=${n(p.peak)}, end_value=${n(p.peak)} / ${n(p.div)}, transition_steps=${n(rise)})`, rise]);
          pieces.push([`optax.linear_schedule(init_value=${n(p.peak)} / ${n(p.div)}, end_value=${n(initial)} / ${n(p.final_div)}, transition_steps=${n(p.steps - 2 * rise)})`]);
        } else {
          pieces.push([`optax.linear_schedule(init_value=${n(p.peak)}, end_value=${n(initial)} / ${n(p.final_div)}, transition_steps=${n(p.steps - rise)})`]);
        }
        return { pieces, note: "optax's linear_onecycle_schedule has other phases; three linear pieces joined give this curve." };
      }
      if (p.three_phase) return no("optax's cosine_onecycle_schedule has two phases: it cannot come back down to the start before the final decay.");
      if (!Number.isInteger(rise)) return no(`optax's cosine_onecycle_schedule puts the peak at int(pct_start·transition_steps) = ${Math.floor(rise)}; the curve has it at ${n(rise)}.`);
      void low;
      return { pieces: [[`optax.cosine_onecycle_schedule(\n    transition_steps=${n(p.steps)}, peak_value=${n(p.peak)}, pct_start=${n(p.pct_start)},\n    div_factor=${f(p.div)}, final_div_factor=${f(p.final_div)},\n)`]] };
    }
    case "wsd": {
      const pieces = [];
      if (p.warmup > 0) pieces.push([`optax.linear_schedule(init_value=0.0, end_value=${n(p.peak)}, transition_steps=${n(p.warmup)})`, p.warmup]);
      if (p.stable > 0) pieces.push([`optax.constant_schedule(${n(p.peak)})`, p.stable]);
      let decay;
      if (p.decay_shape === "linear") decay = `optax.linear_schedule(init_value=${n(p.peak)}, end_value=${n(p.end)}, transition_steps=${n(p.decay)})`;
      else if (p.decay_shape === "cosine") {
        if (!(p.peak > 0)) return no("the peak is 0.");
        decay = `optax.cosine_decay_schedule(init_value=${n(p.peak)}, decay_steps=${n(p.decay)}, alpha=${ratio(p.end, p.peak)})`;
      } else decay = `lambda t: ${n(p.end)} + (${n(p.peak)} - ${n(p.end)}) * (1 - jnp.sqrt(jnp.minimum(t, ${n(p.decay)}) / ${n(p.decay)}))`;
      pieces.push([decay]);
      return { pieces, jnp: p.decay_shape === "1-sqrt", note: "optax has no warmup–stable–decay schedule of its own: its pieces, joined." };
    }
    case "inverse_sqrt":
      return { pieces: [[`lambda t: ${n(p.start)} * jnp.sqrt(${n(p.timescale)} / (${n(p.timescale)} + t))`]], jnp: true, note: "optax has no inverse-square-root schedule; any function of the step is an optax schedule." };
    case "cyclic":
      return no("optax has no cyclic (triangular) schedule.");
    default:
      return no("optax has no schedule for this family.");
  }
}

// a staircase as optax's piecewise constant: exponential_decay(staircase=True) floors
// count / transition_steps, which under jax.jit (a multiplication by the reciprocal) can
// fall one step late at a boundary
function optaxStairs(start, every, factor, after) {
  const count = Math.floor(after / every);
  return {
    pieces: [[`optax.piecewise_constant_schedule(\n    init_value=${n(start)}, boundaries_and_scales={${n(every)} * i: ${n(factor)} for i in range(1, ${n(count + 1)})}\n)`]],
    name: "piecewise_constant_schedule",
    note: `One scale per boundary: these ${count} cover the steps shown (use more for a longer run). optax's exponential_decay(staircase=True) divides the step by transition_steps, which under jax.jit can put a boundary one step late.`,
  };
}

function optax(c, target) {
  const got = optaxPieces(c);
  if (got.reason) return got;
  let jnp = !!got.jnp;
  let note = got.note || "";
  let text;
  if (got.single) {
    text = got.single;
  } else {
    let pieces = got.pieces;
    if (c.w > 0) {
      const warm = c.shape === "linear"
        ? `optax.linear_schedule(init_value=0.0, end_value=${n(target)}, transition_steps=${n(c.w)})`
        : `lambda t: ${n(target)} * ${warmupLambda(c, "jax")}`;
      if (c.shape !== "linear") jnp = true;
      pieces = [[warm, c.w], ...pieces];
    }
    if (pieces.length === 1) text = pieces[0][0];
    else {
      const bounds = [];
      let at = 0;
      pieces.slice(0, -1).forEach(([, length]) => {
        at += length;
        bounds.push(n(at));
      });
      text = `optax.join_schedules(\n    [\n${pieces.map(([piece]) => `        ${piece.replace(/\n/g, "\n        ")},\n`).join("")}    ],\n    boundaries=[${bounds.join(", ")}],\n)`;
      if (!note) note = "join_schedules runs each piece from its own step 0 after its boundary.";
    }
  }
  const name = got.name || (text.match(/^optax\.(\w+)/) || [null, "a function of the step"])[1];
  const head = `${jnp ? "import jax.numpy as jnp\n" : ""}import optax\n\n`;
  return { code: `${head}schedule = ${text}\noptimizer = optax.adamw(learning_rate=schedule)\n`, name, note };
}

// ------------------------------------------------------------------------------ Keras
function keras(c) {
  const { p, after } = c;
  const K = "keras.optimizers.schedules";
  let text;
  let tolerance = EXACT;
  let note = "";
  const none = {
    onecycle: "Keras has no one-cycle schedule.",
    wsd: "Keras has no warmup–stable–decay schedule.",
    inverse_sqrt: "Keras's InverseTimeDecay is 1/(1 + rate·t), not an inverse square root.",
    cyclic: "Keras has no cyclic (triangular) schedule.",
  };
  if (none[c.family]) return no(none[c.family]);
  if (c.w > 0 && !(c.family === "cosine" && c.shape === "linear")) {
    return no(c.family === "cosine"
      ? "Keras's CosineDecay warms up linearly only (warmup_target, warmup_steps); the curve's warmup is a cosine."
      : "Keras adds a warmup only to CosineDecay (warmup_target, warmup_steps); its other schedules have none.");
  }
  switch (c.family) {
    case "cosine":
      if (p.exponent !== 1) return no("Keras's CosineDecay has no exponent: it is the plain cosine (exponent 1).");
      if (!(p.start > 0)) return no("Keras's CosineDecay takes the floor as a fraction alpha of the peak, and the start value is 0.");
      text = c.w > 0
        ? `${K}.CosineDecay(\n    initial_learning_rate=0.0, decay_steps=${n(p.steps)}, alpha=${ratio(p.end, p.start)},\n    warmup_target=${n(p.start)}, warmup_steps=${n(c.w)},\n)`
        : `${K}.CosineDecay(initial_learning_rate=${n(p.start)}, decay_steps=${n(p.steps)}, alpha=${ratio(p.end, p.start)})`;
      tolerance = KERAS_COSINE;
      note = "Keras computes the cosine in float32 (keras.ops.cos), whatever the dtype: its rates differ from the curve by up to about 3·10⁻⁷ of the peak.";
      break;
    case "linear":
      text = `${K}.PolynomialDecay(initial_learning_rate=${n(p.start)}, decay_steps=${n(p.steps)}, end_learning_rate=${n(p.end)}, power=1.0)`;
      note = "A linear decay is PolynomialDecay with power=1.";
      break;
    case "polynomial":
      text = `${K}.PolynomialDecay(initial_learning_rate=${n(p.start)}, decay_steps=${n(p.steps)}, end_learning_rate=${n(p.end)}, power=${f(p.power)})`;
      break;
    case "exponential":
      text = `${K}.ExponentialDecay(initial_learning_rate=${n(p.start)}, decay_steps=${n(p.every)}, decay_rate=${n(p.rate)}, staircase=${n(p.staircase)})`;
      break;
    case "step":
      text = `${K}.ExponentialDecay(initial_learning_rate=${n(p.start)}, decay_steps=${n(p.every)}, decay_rate=${n(p.factor)}, staircase=True)`;
      note = "A step decay is ExponentialDecay with staircase=True.";
      break;
    case "sgdr":
      if (p.T_mult !== 1) return no("Keras's CosineDecayRestarts finds the cycle of a step with floor(log(…)/log(t_mul)), which can land one cycle short at an exact restart (the floor instead of the peak) when t_mul ≠ 1.");
      if (sgdrEnd(p) < after) return no("Keras's CosineDecayRestarts restarts for ever: it has no cycle limit.");
      if (p.peak_decay !== 1 && p.eta_min !== 0) return no("Keras's m_mul scales each cycle's height above the floor; the curve scales the peak (they agree only when the floor is 0).");
      if (!(p.eta_max > 0)) return no("the peak is 0.");
      text = `${K}.CosineDecayRestarts(\n    initial_learning_rate=${n(p.eta_max)}, first_decay_steps=${n(p.T_0)}, t_mul=1.0, m_mul=${f(p.peak_decay)},\n    alpha=${ratio(p.eta_min, p.eta_max)},\n)`;
      tolerance = KERAS_COSINE;
      note = "Keras computes the cosine in float32 (keras.ops.cos), whatever the dtype: its rates differ from the curve by up to about 3·10⁻⁷ of the peak.";
      break;
    default:
      return no("Keras has no schedule for this family.");
  }
  const name = text.match(/schedules\.(\w+)/)[1];
  return { code: `import keras\n\nschedule = ${text}\noptimizer = keras.optimizers.AdamW(learning_rate=schedule)\n`, name, note, tolerance };
}

// ------------------------------------------------------------------------------ Transformers
function transformers(c) {
  const { p, after } = c;
  const w = c.w;
  if (w > 0 && c.shape !== "linear") return no("Transformers' schedules warm up linearly only; the curve's warmup is a cosine.");
  let lr;
  let text;
  let note = "";
  switch (c.family) {
    case "cosine":
      if (p.exponent !== 1) return no("Transformers' cosine schedules have no exponent.");
      if (!(p.start > 0)) return no("Transformers' schedules scale the optimizer's rate, and the start value is 0.");
      if (after > p.steps) return no(`past num_training_steps Transformers' cosine rises again; the curve holds its end value from step ${w + p.steps}, inside the ${c.horizon} steps shown. Set the decay to the whole run, or use the adapter.`);
      lr = p.start;
      text = p.end === 0
        ? `transformers.get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=${n(w)}, num_training_steps=${n(w + p.steps)})`
        : `transformers.get_cosine_with_min_lr_schedule_with_warmup(\n    optimizer, num_warmup_steps=${n(w)}, num_training_steps=${n(w + p.steps)}, min_lr_rate=${ratio(p.end, p.start)}\n)`;
      break;
    case "linear":
    case "polynomial": {
      if (!(p.start > 0) || !(p.end < p.start)) return no("Transformers' decays fall from the optimizer's rate to a lower end (lr_end < lr): they cannot rise or stay flat.");
      lr = p.start;
      const power = c.family === "linear" ? 1 : p.power;
      text = c.family === "linear" && p.end === 0
        ? `transformers.get_linear_schedule_with_warmup(optimizer, num_warmup_steps=${n(w)}, num_training_steps=${n(w + p.steps)})`
        : `transformers.get_polynomial_decay_schedule_with_warmup(\n    optimizer, num_warmup_steps=${n(w)}, num_training_steps=${n(w + p.steps)}, lr_end=${n(p.end)}, power=${f(power)}\n)`;
      break;
    }
    case "inverse_sqrt":
      lr = p.start;
      text = `transformers.get_inverse_sqrt_schedule(optimizer, num_warmup_steps=${n(w)}, timescale=${n(p.timescale)})`;
      break;
    case "wsd":
      if (w > 0) return no("Transformers' get_wsd_schedule has its own warmup; the one added in front of it here (from 0 to the WSD's start, 0) has no place in it.");
      if (p.warmup > 0 && p.end !== 0) return no("Transformers' get_wsd_schedule starts its warmup at min_lr_ratio·lr, not at 0, when the end value is above 0.");
      if (!(p.peak > 0)) return no("the peak is 0.");
      lr = p.peak;
      text = `transformers.get_wsd_schedule(\n    optimizer, num_warmup_steps=${n(p.warmup)}, num_decay_steps=${n(p.decay)}, num_stable_steps=${n(p.stable)},\n    min_lr_ratio=${ratio(p.end, p.peak)}, decay_type=${n(p.decay_shape)},\n)`;
      break;
    case "exponential":
    case "step":
      return no("Transformers has no exponential or step decay schedule.");
    case "sgdr":
      return no("Transformers' get_cosine_with_hard_restarts_schedule_with_warmup repeats equal cycles down to 0, with a floating-point modulo for the cycle; the curve's cycles have a floor, a growth or a peak decay it cannot give exactly.");
    case "onecycle":
      return no("Transformers has no one-cycle schedule.");
    case "cyclic":
      return no("Transformers has no cyclic (triangular) schedule.");
    default:
      return no("Transformers has no schedule for this family.");
  }
  const name = text.match(/transformers\.(\w+)/)[1];
  note = `${note} A LambdaLR: a factor of the optimizer's rate.`.trim();
  return { code: `${TORCH_HEAD(lr, "import transformers\n")}scheduler = ${text}\n${TORCH_LOOP}\n`, name, note };
}

// ------------------------------------------------------------------------------ timm
function timm(c) {
  const { p, after } = c;
  const w = c.w;
  if (w > 0 && c.shape !== "linear") return no("timm's schedulers warm up linearly only; the curve's warmup is a cosine.");
  const warm = w > 0 ? `, warmup_t=${n(w)}, warmup_lr_init=0.0, warmup_prefix=True` : "";
  let module;
  let cls;
  let args;
  let lr;
  switch (c.family) {
    case "cosine":
      if (p.exponent !== 1) return no("timm's CosineLRScheduler has no exponent (its k_decay bends the time, not the value).");
      [module, cls, lr, args] = ["cosine_lr", "CosineLRScheduler", p.start, `t_initial=${n(p.steps)}, lr_min=${n(p.end)}`];
      break;
    case "linear":
    case "polynomial":
      [module, cls, lr, args] = ["poly_lr", "PolyLRScheduler", p.start, `t_initial=${n(p.steps)}, power=${f(c.family === "linear" ? 1 : p.power)}, lr_min=${n(p.end)}`];
      break;
    case "step":
      [module, cls, lr, args] = ["step_lr", "StepLRScheduler", p.start, `decay_t=${n(p.every)}, decay_rate=${n(p.factor)}`];
      break;
    case "exponential":
      if (!(p.staircase || p.every === 1)) return no("timm's StepLRScheduler decays in steps (staircase); it has no smooth exponential decay between them.");
      [module, cls, lr, args] = ["step_lr", "StepLRScheduler", p.start, `decay_t=${n(p.every)}, decay_rate=${n(p.rate)}`];
      break;
    case "sgdr": {
      if (p.T_mult !== 1) return no("timm's CosineLRScheduler finds the cycle of a step with a floating-point logarithm (math.log(…, cycle_mul)) when cycle_mul ≠ 1, which can put a restart one step off.");
      const limit = p.limit > 0 ? n(p.limit) : "10**9";
      [module, cls, lr, args] = ["cosine_lr", "CosineLRScheduler", p.eta_max, `t_initial=${n(p.T_0)}, lr_min=${n(p.eta_min)}, cycle_decay=${f(p.peak_decay)}, cycle_limit=${limit}`];
      void after;
      break;
    }
    case "onecycle":
      return no("timm has no one-cycle scheduler.");
    case "wsd":
      return no("timm has no warmup–stable–decay scheduler.");
    case "inverse_sqrt":
      return no("timm has no inverse-square-root scheduler.");
    case "cyclic":
      return no("timm has no cyclic (triangular) scheduler.");
    default:
      return no("timm has no scheduler for this family.");
  }
  const code = `${TORCH_HEAD(lr, `from timm.scheduler.${module} import ${cls}\n`)}scheduler = ${cls}(\n    optimizer, ${args}${warm}, t_in_epochs=False\n)\n# after each optimizer step: scheduler.step_update(num_updates)\n`;
  return { code, name: cls, note: "t_in_epochs=False counts optimizer updates: timm is told the step with step_update(num_updates)." };
}

// ------------------------------------------------------------------------------ the adapters
function adapter(framework, expr) {
  const torchAdapter = `import torch\n\nimport annealing as an\nfrom annealing.torch import Scheduler\n\nparams = [torch.zeros(1, requires_grad=True)]\noptimizer = torch.optim.SGD(params, lr=1.0)\nlr = ${expr}\nscheduler = Scheduler(optimizer, lr)\n${TORCH_LOOP}\n`;
  switch (framework) {
    case "optax":
      return { code: `import optax\n\nimport annealing as an\n\nschedule = ${expr}  # any annealing schedule is an optax schedule\noptimizer = optax.adamw(learning_rate=schedule)\n`, name: "the annealing schedule itself" };
    case "Keras":
      return { code: `import keras\n\nimport annealing as an\nfrom annealing.keras import Schedule\n\nschedule = Schedule(${expr})\noptimizer = keras.optimizers.AdamW(learning_rate=schedule)\n`, name: "annealing.keras.Schedule" };
    case "Transformers":
      return { code: `${torchAdapter}# with the Trainer: Trainer(..., optimizers=(optimizer, scheduler))\n`, name: "annealing.torch.Scheduler" };
    default:
      return { code: torchAdapter, name: "annealing.torch.Scheduler" };
  }
}

const GENERATORS = { PyTorch: pytorch, optax, Keras: keras, Transformers: transformers, timm };

/**
 * The framework tabs of a curve: [{ framework, code, name, note, native, tolerance }].
 * `expr` is the curve's annealing expression, `target` the value the added warmup rises to.
 */
export function frameworkTabs(curve, horizon, expr, target) {
  const c = { family: curve.family, ...facts(curve, horizon) };
  return FRAMEWORKS.map((framework) => {
    let got;
    try {
      got = GENERATORS[framework](c, target);
    } catch (error) {
      got = no(`this curve could not be written for ${framework} (${error.message}).`);
    }
    if (got.reason) {
      const fallback = adapter(framework, expr);
      return { framework, native: false, tolerance: EXACT, reason: got.reason, ...fallback, note: "" };
    }
    return { framework, native: true, tolerance: got.tolerance ?? EXACT, ...got };
  });
}
