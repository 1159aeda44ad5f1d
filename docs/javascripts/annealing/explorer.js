// The schedule explorer: every element with class "annealing-explorer" becomes a widget.
// Plain ES module, no dependencies. The values come from schedules.js, the exact port of the
// Python formulas, which this module also exposes as window.annealing.evaluate(config, steps).

import { compile, evaluate, lengthOf } from "./schedules.js";
import { frameworkTabs } from "./frameworks.js";
import { atPeak, bound, tissue } from "./laws.js";

const MAX_CURVES = 4;
const MAX_POINTS = 20001;
const LOSS_MAX_STEPS = 200000; // the loss law needs the rate of every step up to the horizon
const SETTLE_MS = 150; // the address and the code follow a dragged slider once it rests this long
const COLUMN = 2; // CSS pixels: the width of a curve's line, and of a column of the drawn path
const DASHES = [[], [8, 5], [2, 4], [10, 4, 2, 4]];
const DASH_NAMES = ["solid", "dashed", "dotted", "dash-dot"];
// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies
const LIGHT = ["#0072b2", "#d55e00", "#009e73", "#cc79a7"];
const DARK = ["#56b4e9", "#e69f00", "#3fd0a0", "#e7a1cc"];

// ------------------------------------------------------------------------------ families
// kind: "value" (a learning rate), "length" (steps; the slider is scaled to the view),
// "real" (a plain number), "int", "choice", "flag".
const v = (key, label, def, extra = {}) => ({ key, label, def, kind: "value", min: 0, max: 1, step: 0.0001, ...extra });
const len = (key, label, frac, extra = {}) => ({ key, label, frac, kind: "length", min: 1, ...extra });
const real = (key, label, def, min, max, step) => ({ key, label, def, kind: "real", min, max, step });
const choice = (key, label, def, options) => ({ key, label, def, kind: "choice", options });
const flag = (key, label, def = false) => ({ key, label, def, kind: "flag" });

export const FAMILIES = {
  cosine: {
    name: "Cosine",
    params: [v("start", "Start value", 0.1), v("end", "End value", 0), len("steps", "Decay steps (T)", 1), real("exponent", "Exponent", 1, 0.1, 4, 0.1)],
    config: (p) => ({ type: "Cosine", start: p.start, end: p.end, steps: p.steps, exponent: p.exponent }),
  },
  linear: {
    name: "Linear",
    params: [v("start", "Start value", 0.1), v("end", "End value", 0), len("steps", "Decay steps", 1)],
    config: (p) => ({ type: "Linear", start: p.start, end: p.end, steps: p.steps }),
  },
  polynomial: {
    name: "Polynomial",
    params: [v("start", "Start value", 0.1), v("end", "End value", 0), len("steps", "Decay steps", 1), real("power", "Power", 2, 0.1, 5, 0.1)],
    config: (p) => ({ type: "Polynomial", start: p.start, end: p.end, steps: p.steps, power: p.power }),
  },
  exponential: {
    name: "Exponential",
    params: [v("start", "Start value", 0.1, { min: 0.0001 }), real("rate", "Rate per period", 0.99, 0.5, 1, 0.0005), len("every", "Steps per period", 0.001), flag("staircase", "Staircase")],
    config: (p) => ({ type: "Exponential", start: p.start, end: null, steps: null, rate: p.rate, every: p.every, staircase: p.staircase }),
  },
  step: {
    name: "Step",
    params: [v("start", "Start value", 0.1), len("every", "Steps between decays", 0.25), real("factor", "Factor", 0.5, 0, 1, 0.01)],
    config: (p) => ({ type: "Step", start: p.start, every: p.every, factor: p.factor }),
  },
  sgdr: {
    name: "SGDR (warm restarts)",
    params: [
      v("eta_max", "Peak (η_max)", 0.1),
      v("eta_min", "Floor (η_min)", 0),
      len("T_0", "First cycle (T_0)", 0.125),
      real("T_mult", "Cycle growth (T_mult)", 2, 1, 4, 0.1),
      real("peak_decay", "Peak decay per cycle", 1, 0.05, 1, 0.05),
      { key: "limit", label: "Cycles (0 = no limit)", def: 0, kind: "int", min: 0, max: 20, step: 1 },
    ],
    config: (p) => ({
      type: "Restarts",
      cycle: { type: "Cosine", start: p.eta_max, end: p.eta_min, steps: p.T_0, exponent: 1.0 },
      mult: p.T_mult,
      peak_decay: p.peak_decay,
      floor_decay: 1.0,
      decay_mode: "peak",
      limit: p.limit > 0 ? p.limit : null,
      warmup: 0,
    }),
  },
  onecycle: {
    name: "One-cycle",
    params: [
      v("peak", "Peak", 0.1),
      len("steps", "Steps", 1),
      real("pct_start", "Fraction rising", 0.3, 0.01, 0.99, 0.01),
      real("div", "Start = peak / div", 25, 1, 100, 1),
      real("final_div", "End = start / final_div", 1e4, 1, 1e5, 1),
      choice("shape", "Shape", "cosine", ["cosine", "linear"]),
      flag("three_phase", "Three phases"),
    ],
    config: (p) => ({
      type: "OneCycle",
      peak: p.peak,
      steps: p.steps,
      pct_start: p.three_phase ? Math.min(p.pct_start, 0.49) : p.pct_start,
      div: p.div,
      final_div: p.final_div,
      shape: p.shape,
      three_phase: p.three_phase,
    }),
  },
  wsd: {
    name: "Warmup–stable–decay",
    params: [
      v("peak", "Peak", 0.1),
      len("warmup", "Warmup steps", 0.1, { min: 0 }),
      len("stable", "Stable steps", 0.7, { min: 0 }),
      len("decay", "Decay steps", 0.2),
      v("end", "End value", 0),
      choice("decay_shape", "Decay shape", "1-sqrt", ["linear", "cosine", "1-sqrt"]),
    ],
    config: (p) => ({
      type: "WSD",
      peak: p.peak,
      warmup: p.warmup,
      stable: p.stable,
      decay: p.decay,
      start: 0.0,
      end: p.end,
      decay_shape: p.decay_shape,
      warmup_shape: "linear",
    }),
  },
  inverse_sqrt: {
    name: "Inverse square root",
    params: [v("start", "Start value", 0.1), len("timescale", "Timescale (τ)", 0.1)],
    config: (p) => ({ type: "InverseSqrt", start: p.start, timescale: p.timescale }),
  },
  cyclic: {
    name: "Cyclic",
    params: [
      v("low", "Low", 0.001),
      v("high", "High", 0.1),
      len("up", "Steps up", 0.1),
      len("down", "Steps down", 0.1),
      choice("mode", "Mode", "triangular", ["triangular", "triangular2", "exp_range"]),
      real("gamma", "Gamma (exp_range)", 0.999, 0.99, 1, 0.0001),
    ],
    config: (p) => ({ type: "Cyclic", low: p.low, high: Math.max(p.high, p.low), up: p.up, down: p.down, mode: p.mode, gamma: p.gamma }),
  },
};

const WARMUP_SHAPES = ["linear", "cosine"];

function defaults(family, horizon) {
  const out = {};
  for (const spec of FAMILIES[family].params) {
    out[spec.key] = spec.kind === "length" ? Math.max(spec.min, Math.round(spec.frac * horizon)) : spec.def;
  }
  return out;
}

function newCurve(family, horizon) {
  return { family, p: defaults(family, horizon), warmup: 0, wshape: "linear" };
}

/** The to_dict() configuration of a curve of the widget. */
export function curveConfig(curve) {
  const inner = FAMILIES[curve.family].config(curve.p);
  const body = curve.warmup > 0 ? { type: "Warmup", schedule: inner, warmup: curve.warmup, start: 0.0, shape: curve.wshape } : inner;
  return { format: 1, ...body };
}

// ------------------------------------------------------------------------------ Python text
function pyNumber(x) {
  if (x === null || x === undefined) return "None";
  if (typeof x === "boolean") return x ? "True" : "False";
  if (typeof x === "string") return JSON.stringify(x);
  if (Array.isArray(x)) return `(${x.map(pyNumber).join(", ")}${x.length === 1 ? "," : ""})`;
  if (typeof x === "object") return pythonExpression(x);
  let text = String(x);
  text = text.replace(/e([+-])(\d)$/, "e$10$2"); // 1e-7 -> 1e-07, as Python prints it
  return text;
}

/** The annealing expression that builds `config` (prefix `an.`). */
export function pythonExpression(config) {
  const { type, format, ...fields } = config;
  if (type === "Restarts" && fields.cycle.type === "Cosine" && fields.cycle.exponent === 1 && fields.peak_decay === 1
      && fields.floor_decay === 1 && fields.limit === null && fields.warmup === 0) {
    const c = fields.cycle;
    return `an.SGDR(eta_max=${pyNumber(c.start)}, T_0=${pyNumber(c.steps)}, T_mult=${pyNumber(fields.mult)}, eta_min=${pyNumber(c.end)})`;
  }
  const args = Object.entries(fields).map(([key, value], i) => {
    // a wrapped schedule (Warmup, Scale, Restarts, Warp, Offset) reads best as the first argument
    if (value && typeof value === "object" && !Array.isArray(value)) return `${i === 0 ? "" : `${key}=`}${pythonExpression(value)}`;
    return `${key}=${pyNumber(value)}`;
  });
  return `an.${type}(${args.join(", ")})`;
}

function annealingCode(config) {
  const expr = pythonExpression(config);
  const wrapped = expr.length > 80 ? expr.replace(/, (?=[a-z_]+=an\.)/g, ",\n    ") : expr;
  return `import annealing as an\n\nlr = ${wrapped}\nprint(lr(0), lr(${pyNumber(Math.round(lengthOf(config) ?? 100))}))`;
}

// ------------------------------------------------------------------------------ the loss law
let lawPromise = null;
function loadLaw() {
  if (!lawPromise) {
    lawPromise = fetch(new URL("loss-law.json", import.meta.url))
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (!(data && data.law && data.law.law === "tissue")) return null;
        // the peak rates the law was fitted at: the shape of a schedule is predicted at the
        // highest ("peak"), the rates as set only between the lowest and the highest
        const peaks = data.runs.map((r) => r.peak);
        const peak = data.peak ?? Math.max(...peaks);
        return { ...data, parameters: data.law.parameters, peak, peaks: { low: Math.min(...peaks), high: Math.max(...peaks) } };
      })
      .catch(() => null);
  }
  return lawPromise;
}

// ------------------------------------------------------------------------------ numbers
function niceStep(span, count) {
  const raw = span / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * power;
}

function ticks(lo, hi, count) {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const out = [];
  for (let x = Math.ceil(lo / step) * step; x <= hi + step * 1e-9; x += step) out.push(Math.abs(x) < step * 1e-9 ? 0 : x);
  return out;
}

export function formatValue(x) {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(6)));
  return x.toExponential(3).replace(/\.?0+e/, "e");
}

function formatTick(x) {
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(4)));
  return x.toExponential(0);
}

// ------------------------------------------------------------------------------ URL state
function encodeState(state) {
  const params = new URLSearchParams();
  state.curves.forEach((c, i) => {
    const parts = [c.family, ...Object.entries(c.p).map(([k, x]) => `${k}:${x}`)];
    // The warmup the explorer adds in front is "warmup" (as links have always written it),
    // or "aw" in a family with a warmup of its own (WSD's is its parameter "warmup").
    if (c.warmup > 0) parts.push(`${addedWarmupKey(c.family)}:${c.warmup}`, `wshape:${c.wshape}`);
    params.set(`c${i + 1}`, parts.join(","));
  });
  params.set("n", String(state.horizon));
  if (state.unit === "epochs") params.set("epoch", String(state.perEpoch));
  if (state.log) params.set("log", "1");
  if (state.absolute) params.set("abs", "1");
  return params.toString();
}

const addedWarmupKey = (family) => (FAMILIES[family].params.some((s) => s.key === "warmup") ? "aw" : "warmup");

function parseValue(spec, text) {
  if (spec.kind === "flag") return text === "true" || text === "1";
  if (spec.kind === "choice") return spec.options.includes(text) ? text : spec.def;
  const x = Number(text);
  return Number.isFinite(x) ? x : undefined;
}

function decodeState(text, fallback) {
  const params = new URLSearchParams(text.replace(/^[#?]/, ""));
  if (![...params.keys()].some((k) => /^c\d$/.test(k))) return fallback;
  const horizon = clampInt(Number(params.get("n")), 10, 1e6, fallback.horizon);
  const curves = [];
  for (let i = 1; i <= MAX_CURVES; i++) {
    const item = params.get(`c${i}`);
    if (!item) continue;
    const [family, ...pairs] = item.split(",");
    if (!Object.hasOwn(FAMILIES, family)) continue;
    const curve = newCurve(family, horizon);
    // Links written before the key "aw" gave both warmups the key "warmup": the family's own
    // first (WSD's, among its parameters), then the added one. Read them that way.
    const own = FAMILIES[family].params.some((s) => s.key === "warmup");
    let ownSeen = false;
    for (const pair of pairs) {
      const [key, value] = pair.split(":");
      if (key === "aw" || (key === "warmup" && (!own || ownSeen))) curve.warmup = clampInt(Number(value), 0, 1e9, 0);
      else if (key === "warmup") {
        ownSeen = true;
        const parsed = parseValue(FAMILIES[family].params.find((s) => s.key === key), value);
        if (parsed !== undefined) curve.p[key] = parsed;
      }
      else if (key === "wshape") curve.wshape = WARMUP_SHAPES.includes(value) ? value : "linear";
      else {
        const spec = FAMILIES[family].params.find((s) => s.key === key);
        const parsed = spec && parseValue(spec, value);
        if (parsed !== undefined) curve.p[key] = parsed;
      }
    }
    curves.push(curve);
  }
  if (!curves.length) return fallback;
  const perEpoch = params.get("epoch");
  return {
    curves,
    horizon,
    unit: perEpoch ? "epochs" : "steps",
    perEpoch: perEpoch ? clampInt(Number(perEpoch), 1, 1e6, 100) : fallback.perEpoch,
    log: params.get("log") === "1",
    absolute: params.get("abs") === "1",
    active: 0,
  };
}

function clampInt(x, lo, hi, fallback) {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, Math.round(x))) : fallback;
}

// ------------------------------------------------------------------------------ DOM helpers
let uid = 0;
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, x] of Object.entries(attrs)) {
    if (x === undefined || x === null || x === false) continue;
    if (k === "class") el.className = x;
    else if (k === "text") el.textContent = x;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), x);
    else el.setAttribute(k, x === true ? "" : x);
  }
  for (const child of children.flat(Infinity)) if (child !== null && child !== undefined) el.append(child);
  return el;
}

function swatch(index, colours) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "28");
  svg.setAttribute("height", "10");
  svg.setAttribute("aria-hidden", "true");
  svg.classList.add("ax-swatch");
  const line = document.createElementNS(ns, "line");
  line.setAttribute("x1", "1");
  line.setAttribute("x2", "27");
  line.setAttribute("y1", "5");
  line.setAttribute("y2", "5");
  line.setAttribute("stroke", colours[index]);
  line.setAttribute("stroke-width", "2.5");
  if (DASHES[index].length) line.setAttribute("stroke-dasharray", DASHES[index].join(" "));
  svg.append(line);
  return svg;
}

// The path through points 0..n-1 (x(i), y(i) in CSS pixels), with at most four vertices per
// column of COLUMN CSS pixels (the width of the curves' lines): the column's first point and,
// when the column's points span half a device pixel or more vertically, its lowest, highest
// and last, in their order. The path runs through points only and reaches every column's
// extremes: the picture of every point (to within the line's width), mostly one vertex a column.
function tracePoints(g, n, x, y, dpr) {
  let fx = x(0);
  let column = Math.floor(fx / COLUMN);
  let first = y(0);
  let low = first;
  let lowX = fx;
  let high = first;
  let highX = fx;
  let last = first;
  let lastX = fx;
  g.moveTo(fx, first);
  const flush = () => {
    if ((high - low) * dpr < 0.5) return;
    // lowest and highest in the order they came, then the last, each once
    const [aX, a, bX, b] = lowX <= highX ? [lowX, low, highX, high] : [highX, high, lowX, low];
    if (aX !== fx && aX !== lastX) g.lineTo(aX, a);
    if (bX !== fx && bX !== lastX) g.lineTo(bX, b);
    if (lastX !== fx) g.lineTo(lastX, last);
  };
  for (let i = 1; i < n; i++) {
    const xi = x(i);
    const yi = y(i);
    const c = Math.floor(xi / COLUMN);
    if (c !== column) {
      flush();
      column = c;
      fx = lowX = highX = lastX = xi;
      first = low = high = last = yi;
      g.lineTo(xi, yi);
    } else {
      if (yi < low) {
        low = yi;
        lowX = xi;
      }
      if (yi > high) {
        high = yi;
        highX = xi;
      }
      last = yi;
      lastX = xi;
    }
  }
  flush();
  if ((high - low) * dpr < 0.5 && lastX !== fx) g.lineTo(lastX, last); // the path ends on the last point
}

// the schedule's points (xs[i], ys[i]), in chart units
function tracePath(g, xs, ys, sx, sy, dpr) {
  tracePoints(g, xs.length, (i) => sx(xs[i]), (i) => sy(ys[i]), dpr);
}

// the values ys[from..to] at the steps from..to (x = the step): no array of steps
function traceSteps(g, ys, from, to, sx, sy, dpr) {
  tracePoints(g, to - from + 1, (i) => sx(from + i), (i) => sy(ys[from + i]), dpr);
}

// a canvas at width x height CSS pixels (resized only when that changes: a resize clears it
// and restyles it), its context scaled to CSS pixels
function sized(c, width, height, dpr) {
  if (c.width !== width * dpr || c.height !== height * dpr) {
    c.width = width * dpr;
    c.height = height * dpr;
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
  }
  const g = c.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  return g;
}

// set a node's text only when it changes (a write, even of the same text, restyles the page)
function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

// the largest rate (0 when none is above 0)
function peakOf(eta) {
  let peak = 0;
  for (let i = 0; i < eta.length; i++) if (eta[i] > peak) peak = eta[i];
  return peak;
}

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

// 0.001 as 10⁻³, 0.0005 as 5·10⁻⁴; other numbers as formatValue writes them
export function formatPower(x) {
  if (!(x > 0)) return formatValue(x);
  const e = Math.floor(Math.log10(x) + 1e-12);
  const m = Number((x / 10 ** e).toPrecision(6));
  if (e >= -1 && e <= 3) return formatValue(x);
  const power = `10${String(e).replace(/./g, (ch) => SUPERSCRIPT[ch])}`;
  return m === 1 ? power : `${formatValue(m)}·${power}`;
}

// ------------------------------------------------------------------------------ the widget
class Explorer {
  constructor(root) {
    this.root = root;
    this.embed = root.dataset.mode === "embed";
    const horizon = Number(root.dataset.steps) || 1000;
    const fallback = {
      curves: [newCurve(root.dataset.family && FAMILIES[root.dataset.family] ? root.dataset.family : "cosine", horizon)],
      horizon,
      unit: "steps",
      perEpoch: 100,
      log: false,
      absolute: false,
      active: 0,
    };
    if (!this.embed && !root.dataset.family) {
      const warm = fallback.curves[0];
      warm.warmup = Math.round(horizon / 20);
      warm.p.steps = horizon - warm.warmup;
      fallback.curves.push(newCurve("sgdr", horizon));
    }
    // the state lives in the query string (the fragment is Material's, for headings)
    this.state = this.embed ? fallback : decodeState(location.search, fallback);
    this.cursor = null; // the step under the pointer or the keyboard cursor
    this.series = [];
    this.lossResults = [];
    // what the drawing reads from the page, kept so that a redraw forces no style or layout:
    // the boxes' widths (from their ResizeObservers) and the palette (until it changes)
    this.widths = new Map();
    this.palette = null;
    this.settleTimer = null;
    this.build();
    this.update();

  }

  get colours() {
    const scheme = document.body.getAttribute("data-md-color-scheme");
    return scheme === "slate" ? DARK : LIGHT;
  }

  // ---------------------------------------------------------------- structure
  build() {
    const id = `ax${++uid}`;
    this.id = id;
    this.root.textContent = "";
    this.root.classList.add("ax-ready");
    this.chips = h("div", { class: "ax-chips", role: "group", "aria-label": "Curves" });
    this.controls = h("div", { class: "ax-controls" });
    this.canvas = h("canvas", { class: "ax-canvas", tabindex: "0", role: "img" });
    this.legend = h("ul", { class: "ax-legend", "aria-label": "Legend" });
    this.readout = h("output", { class: "ax-readout", "aria-live": "polite", for: `${id}-canvas` });
    this.canvas.id = `${id}-canvas`;
    this.status = h("p", { class: "ax-status", role: "status" });
    const plot = h("div", { class: "ax-plot" }, h("div", { class: "ax-canvas-box" }, this.canvas), this.legend, this.readout, this.status);
    if (!this.embed) {
      // what the schedule does to the loss: a shipped fit of a loss law, and the convex bound
      this.lossCanvas = h("canvas", { class: "ax-canvas ax-loss-canvas", role: "img", id: `${id}-loss` });
      this.lossCaption = h("figcaption", { class: "ax-loss-caption" });
      this.absoluteBox = h("input", { type: "checkbox", id: `${id}-absolute`, checked: this.state.absolute, onchange: (e) => { this.state.absolute = e.target.checked; this.update(); } });
      this.absoluteField = h("div", { class: "ax-field ax-check ax-loss-rates" }, this.absoluteBox, h("label", { for: `${id}-absolute`, id: `${id}-absolute-label` }));
      this.lossBox = h("figure", { class: "ax-loss", hidden: true }, h("div", { class: "ax-canvas-box" }, this.lossCanvas), this.absoluteField, this.lossCaption);
      plot.append(this.lossBox);
      loadLaw().then((law) => {
        this.law = law;
        if (law) {
          const { low, high } = law.peaks;
          const range = low === high ? formatPower(low) : `${formatPower(low)} to ${formatPower(high)}`;
          this.absoluteField.querySelector("label").textContent = `Predict at the rates as set (when every curve's peak is within the fit's, ${range})`;
          this.lossBox.hidden = false;
          this.predict();
          this.drawLoss();
          this.describeLoss();
        }
      });
    }
    this.root.append(this.chips, h("div", { class: "ax-body" }, plot, this.controls));
    if (this.embed) {
      this.open = h("a", { class: "md-button ax-open", href: "" }, "Open in the explorer");
      this.root.append(h("p", { class: "ax-actions" }, this.open));
    } else {
      this.tableButton = h("button", { type: "button", class: "md-button", "aria-expanded": "false", "aria-controls": `${id}-table`, onclick: () => this.toggleTable() }, "Show a table of values");
      this.linkButton = h("button", { type: "button", class: "md-button", onclick: () => this.copyLink() }, "Copy a link to this view");
      this.tableBox = h("div", { class: "ax-table", id: `${id}-table`, hidden: true });
      this.codeBox = h("div", { class: "ax-code" });
      this.root.append(h("p", { class: "ax-actions" }, this.tableButton, " ", this.linkButton), this.tableBox, h("h2", { id: `${id}-code`, text: "Get the code" }), this.codeBox);
    }
    this.canvas.addEventListener("pointermove", (e) => this.pointer(e));
    this.canvas.addEventListener("pointerdown", (e) => this.pointer(e));
    this.canvas.addEventListener("pointerleave", () => {
      if (document.activeElement !== this.canvas) this.setCursor(null);
    });
    this.canvas.addEventListener("keydown", (e) => this.key(e));
    this.canvas.addEventListener("blur", () => this.setCursor(null));
    this.watchWidth(this.canvas.parentElement, () => this.draw());
    if (this.lossCanvas) this.watchWidth(this.lossCanvas.parentElement, () => this.drawLoss());
    new MutationObserver(() => {
      this.palette = null;
      this.renderLegend();
      this.draw();
      this.drawLoss();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    this.rebuildControls();
    this.setCursor(null);
  }

  rebuildControls() {
    const { state } = this;
    state.active = Math.min(state.active, state.curves.length - 1);
    // the curve chips
    this.chips.textContent = "";
    if (!this.embed) {
      state.curves.forEach((curve, i) => {
        this.chips.append(
          h("button", { type: "button", class: "ax-chip", "aria-pressed": String(i === state.active), onclick: () => this.select(i) },
            swatch(i, this.colours), `Curve ${i + 1}: ${FAMILIES[curve.family].name}`),
        );
      });
      this.chips.append(h("button", { type: "button", class: "ax-chip ax-add", disabled: state.curves.length >= MAX_CURVES, onclick: () => this.addCurve() }, "+ Add a curve"));
    }
    // the controls of the active curve
    const curve = state.curves[state.active];
    const fields = h("fieldset", { class: "ax-fieldset" }, h("legend", { text: this.embed ? "Schedule" : `Curve ${state.active + 1}` }));
    const familySelect = h("select", { id: `${this.id}-family`, onchange: (e) => this.setFamily(e.target.value) },
      Object.entries(FAMILIES).map(([key, f]) => h("option", { value: key, selected: key === curve.family }, f.name)));
    fields.append(h("div", { class: "ax-field" }, h("label", { for: familySelect.id, text: "Family" }), familySelect));
    const params = FAMILIES[curve.family].params;
    for (const spec of this.embed ? params.slice(0, 4) : params) fields.append(this.field(spec, curve));
    // warmup on any family
    fields.append(this.field({ key: "warmup", label: "Warmup steps (0 = none)", kind: "length", min: 0, frac: 0 }, curve, true));
    if (!this.embed) {
      const shape = h("select", { id: `${this.id}-wshape`, onchange: (e) => { curve.wshape = e.target.value; this.update(); } },
        WARMUP_SHAPES.map((s) => h("option", { value: s, selected: s === curve.wshape }, s)));
      fields.append(h("div", { class: "ax-field" }, h("label", { for: shape.id, text: "Warmup shape" }), shape));
      fields.append(h("button", { type: "button", class: "ax-remove", disabled: state.curves.length < 2, onclick: () => this.removeCurve() }, `Remove curve ${state.active + 1}`));
    }
    this.controls.textContent = "";
    this.controls.append(fields);
    if (!this.embed) this.controls.append(this.viewFields());
  }

  viewFields() {
    const { state } = this;
    const box = h("fieldset", { class: "ax-fieldset" }, h("legend", { text: "View" }));
    const horizon = h("input", { type: "number", id: `${this.id}-n`, min: "10", max: "1000000", step: "1", value: String(state.horizon) });
    horizon.addEventListener("change", () => {
      const n = clampInt(Number(horizon.value), 10, 1e6, state.horizon);
      horizon.value = String(n);
      state.horizon = n;
      this.rebuildControls();
      this.update();
    });
    box.append(h("div", { class: "ax-field" }, h("label", { for: horizon.id, text: "Steps shown" }), horizon));
    const unit = h("select", { id: `${this.id}-unit`, onchange: (e) => { state.unit = e.target.value; this.rebuildControls(); this.update(); } },
      h("option", { value: "steps", selected: state.unit === "steps" }, "steps"),
      h("option", { value: "epochs", selected: state.unit === "epochs" }, "epochs"));
    box.append(h("div", { class: "ax-field" }, h("label", { for: unit.id, text: "Horizontal axis in" }), unit));
    if (state.unit === "epochs") {
      const per = h("input", { type: "number", id: `${this.id}-per`, min: "1", step: "1", value: String(state.perEpoch) });
      per.addEventListener("change", () => {
        state.perEpoch = clampInt(Number(per.value), 1, 1e6, state.perEpoch);
        per.value = String(state.perEpoch);
        this.update();
      });
      box.append(h("div", { class: "ax-field" }, h("label", { for: per.id, text: "Steps per epoch" }), per));
    }
    const log = h("input", { type: "checkbox", id: `${this.id}-log`, checked: state.log, onchange: (e) => { state.log = e.target.checked; this.update(); } });
    box.append(h("div", { class: "ax-field ax-check" }, log, h("label", { for: log.id, text: "Logarithmic value axis" })));
    return box;
  }

  // one labelled control: a number box, and a slider for numbers
  field(spec, curve, isWarmup = false) {
    const id = `${this.id}-${isWarmup ? "added-warmup" : spec.key}`;
    const get = () => (isWarmup ? curve.warmup : curve.p[spec.key]);
    const set = (x, live = false) => {
      if (isWarmup) curve.warmup = x;
      else curve.p[spec.key] = x;
      this.update({ live });
    };
    if (spec.kind === "flag") {
      const box = h("input", { type: "checkbox", id, checked: get(), onchange: (e) => set(e.target.checked) });
      return h("div", { class: "ax-field ax-check" }, box, h("label", { for: id, text: spec.label }));
    }
    if (spec.kind === "choice") {
      const select = h("select", { id, onchange: (e) => set(e.target.value) }, spec.options.map((o) => h("option", { value: o, selected: o === get() }, o)));
      return h("div", { class: "ax-field" }, h("label", { for: id, text: spec.label }), select);
    }
    const isLength = spec.kind === "length";
    const max = isLength ? this.state.horizon : spec.max;
    const step = isLength || spec.kind === "int" ? 1 : spec.step;
    const number = h("input", { type: "number", id, min: String(spec.min), max: isLength ? undefined : String(spec.max), step: String(step), value: String(get()) });
    const slider = h("input", { type: "range", min: String(spec.min), max: String(max), step: String(step), value: String(get()), "aria-label": `${spec.label} (slider)`, tabindex: "-1" });
    const clamp = (x) => {
      let y = Math.max(spec.min, isLength ? x : Math.min(spec.max, x));
      if (isLength || spec.kind === "int") y = Math.round(y);
      return y;
    };
    slider.addEventListener("input", () => {
      const x = clamp(Number(slider.value));
      number.value = String(x);
      set(x, true);
    });
    // the slider let go: the address and the code now, not after the pause
    slider.addEventListener("change", () => {
      if (this.settleTimer !== null) this.settle();
    });
    number.addEventListener("input", () => {
      const x = Number(number.value);
      if (number.value === "" || !Number.isFinite(x)) return;
      const y = clamp(x);
      slider.value = String(y);
      set(y);
    });
    number.addEventListener("change", () => {
      number.value = String(get());
    });
    return h("div", { class: "ax-field ax-range" }, h("label", { for: id, text: spec.label }), number, slider);
  }

  // ---------------------------------------------------------------- actions
  select(i) {
    this.state.active = i;
    this.rebuildControls();
    this.chips.querySelectorAll(".ax-chip")[i].focus();
  }

  addCurve() {
    const { state } = this;
    if (state.curves.length >= MAX_CURVES) return;
    const used = new Set(state.curves.map((c) => c.family));
    const family = Object.keys(FAMILIES).find((f) => !used.has(f)) || "cosine";
    state.curves.push(newCurve(family, state.horizon));
    state.active = state.curves.length - 1;
    this.rebuildControls();
    this.update();
    this.chips.querySelectorAll(".ax-chip")[state.active].focus();
  }

  removeCurve() {
    const { state } = this;
    if (state.curves.length < 2) return;
    state.curves.splice(state.active, 1);
    state.active = Math.max(0, state.active - 1);
    this.rebuildControls();
    this.update();
    this.chips.querySelector(".ax-chip").focus();
  }

  setFamily(family) {
    const curve = this.state.curves[this.state.active];
    curve.family = family;
    curve.p = defaults(family, this.state.horizon);
    this.rebuildControls();
    this.update();
    document.getElementById(`${this.id}-family`).focus();
  }

  toggleTable() {
    const open = this.tableBox.hidden;
    this.tableBox.hidden = !open;
    this.tableButton.setAttribute("aria-expanded", String(open));
    this.tableButton.textContent = open ? "Hide the table of values" : "Show a table of values";
    if (open) this.renderTable();
  }

  async copyLink() {
    if (this.settleTimer !== null) this.settle();
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      this.status.textContent = "Link copied.";
    } catch {
      this.status.textContent = `Link: ${url}`;
    }
  }

  // ---------------------------------------------------------------- model
  // One change of a control: the values are computed once (the schedule at every step, then
  // the loss and the bound from those same rates), both charts drawn from them, and the text
  // around them set. While a slider is dragged (`live`), what no one reads mid-drag (the
  // address, the code, the table) waits until the slider rests: settle().
  update({ live = false } = {}) {
    const { state } = this;
    const errors = [];
    this.series = state.curves.map((curve, i) => {
      const config = curveConfig(curve);
      try {
        return { config, schedule: compile(config), index: i };
      } catch (error) {
        errors.push(`Curve ${i + 1}: ${error.message}`);
        return { config, schedule: null, index: i };
      }
    });
    setText(this.status, errors.join(" "));
    this.render();
    if (!this.embed) {
      this.chips.querySelectorAll(".ax-chip:not(.ax-add)").forEach((chip, i) => {
        setText(chip.lastChild, `Curve ${i + 1}: ${FAMILIES[state.curves[i].family].name}`);
      });
    }
    if (live) {
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.settle(), SETTLE_MS);
    } else {
      this.settle();
    }
  }

  /** The values, both charts and their legend and caption: what a redraw does. */
  render() {
    this.sample();
    this.predict();
    this.draw();
    this.drawLoss();
    this.renderLegend();
    this.describeLoss();
  }

  // the address, the code and the table, from the state as it is now
  settle() {
    clearTimeout(this.settleTimer);
    this.settleTimer = null;
    const { state } = this;
    if (this.embed) {
      this.open.href = new URL(`explorer/?${encodeState(state)}`, this.siteRoot()).href;
      return;
    }
    const search = `?${encodeState(state)}`;
    if (search !== location.search) history.replaceState(history.state, "", `${search}${location.hash}`);
    this.renderCode();
    if (!this.tableBox.hidden) this.renderTable();
  }

  siteRoot() {
    // the site root from the module's own address: <root>/javascripts/annealing/explorer.js
    return new URL("../../", import.meta.url).href;
  }

  // the steps drawn: every integer step up to the horizon, or MAX_POINTS evenly spaced
  // A curve's values are computed again only when its configuration or the steps change: a
  // slider moves one curve, and the others keep theirs (and their loss and bound).
  sample() {
    const n = this.state.horizon;
    const count = Math.min(n + 1, MAX_POINTS);
    let xs = this.xs;
    if (!xs || xs.length !== count || this.xsHorizon !== n) {
      xs = new Float64Array(count);
      for (let i = 0; i < count; i++) xs[i] = count === n + 1 ? i : (i * n) / (count - 1);
      this.xs = xs;
      this.xsHorizon = n;
    }
    const store = (this.sampled ||= []);
    for (const s of this.series) {
      if (!s.schedule) continue;
      const key = `${n} ${JSON.stringify(s.config)}`;
      const kept = store[s.index] || (store[s.index] = {});
      s.key = key;
      if (kept.key !== key || !kept.ys || kept.ys.length !== count) {
        const ys = kept.ys && kept.ys.length === count ? kept.ys : new Float64Array(count);
        const f = s.schedule.f;
        let hi = 0;
        let lo = Infinity;
        for (let i = 0; i < count; i++) {
          const y = f(xs[i]);
          ys[i] = y;
          if (y > hi) hi = y;
          if (y > 0 && y < lo) lo = y;
        }
        Object.assign(kept, { key, ys, hi, lo });
      }
      s.ys = kept.ys;
      s.hi = kept.hi;
      s.lo = kept.lo;
    }
  }

  /** The steps drawn and curve i's values there (the active curve by default), as plotted. */
  values(i = this.state.active) {
    const s = this.series.find((x) => x.index === i);
    return { steps: Array.from(this.xs || []), values: s && s.ys ? Array.from(s.ys) : null };
  }

  /** Evaluate every curve and draw again (schedule, loss and bound), as if every curve had
   * changed; returns the milliseconds taken. */
  redraw() {
    const t0 = performance.now();
    this.sampled = [];
    this.lossStore = [];
    this.render();
    return performance.now() - t0;
  }

  // ---------------------------------------------------------------- the loss
  // the rates at every integer step 0..horizon (the plotted values when those are every step)
  rates(s, old) {
    const n = this.state.horizon;
    if (this.xs && this.xs.length === n + 1) return s.ys;
    if (n > LOSS_MAX_STEPS) return null;
    const eta = old && old !== s.ys && old.length === n + 1 ? old : new Float64Array(n + 1);
    for (let t = 0; t <= n; t++) eta[t] = s.schedule.f(t);
    return eta;
  }

  /** How the law is given each curve's rates: "shape" (each curve scaled to the fit's peak
   * rate) or "absolute" (as set: asked for, and every curve's peak within the fitted peaks). */
  predictionMode(peaks) {
    if (!this.state.absolute || !this.law) return "shape";
    const { low, high } = this.law.peaks;
    return peaks.every((p) => p >= low && p <= high) ? "absolute" : "shape";
  }

  /** The predicted loss and the bound of each curve: [{ index, loss, bound, eta, rates, peak }];
   * the law on `rates` (the curve's shape at the fit's peak, or its rates as set), the bound
   * on the rates as set. */
  predict() {
    this.lossResults = [];
    if (!this.law) return this.lossResults;
    const n = this.state.horizon;
    const store = (this.lossStore ||= []);
    const curves = this.series.filter((s) => s.schedule && s.ys).map((s) => {
      const kept = store[s.index] || (store[s.index] = {});
      if (kept.key === s.key) return { s, kept, eta: kept.eta, peak: kept.peak, fresh: false };
      const eta = this.rates(s, kept.eta);
      return { s, kept, eta, peak: eta ? peakOf(eta) : NaN, fresh: true };
    });
    const mode = this.predictionMode(curves.map((c) => c.peak));
    this.lossMode = mode;
    for (const { s, kept, eta, peak, fresh } of curves) {
      if (!fresh && kept.mode === mode) {
        this.lossResults.push(kept.result);
        continue;
      }
      Object.assign(kept, { key: s.key, eta, peak, mode });
      if (!eta) {
        kept.result = { index: s.index, loss: null, bound: null, eta: null, rates: null, peak };
        this.lossResults.push(kept.result);
        continue;
      }
      let rates = eta;
      if (mode === "shape") {
        kept.rates = atPeak(eta, this.law.peak, kept.rates);
        rates = kept.rates;
      }
      kept.loss = rates ? tissue(this.law, rates, kept.loss) : null;
      // the bound only when the rates changed (not the mode)
      if (fresh || kept.bound === undefined) kept.bound = bound(eta, n, 1.0, 1.0, (kept.scratch ||= {}));
      kept.result = { index: s.index, loss: rates ? kept.loss : null, bound: kept.bound, eta, rates, peak };
      this.lossResults.push(kept.result);
    }
    return this.lossResults;
  }

  /** Draw the loss chart again (from the values of the last change); the milliseconds taken. */
  redrawLoss() {
    const t0 = performance.now();
    this.drawLoss();
    return performance.now() - t0;
  }

  drawLoss() {
    if (!this.law || !this.lossCanvas) return;
    const results = this.lossResults;
    const c = this.lossCanvas;
    const width = Math.max(240, Math.floor(this.widthOf(c.parentElement)));
    const height = Math.round(Math.min(220, Math.max(160, width * 0.3)));
    const L = { width, height, left: 58, right: 14, top: 10, bottom: 38 };
    const dpr = window.devicePixelRatio || 1;
    const g = sized(c, width, height, dpr);
    const P = this.colourPalette();
    g.fillStyle = P.bg;
    g.fillRect(0, 0, width, height);
    const n = this.state.horizon;
    let lo = Infinity;
    let hi = -Infinity;
    // the range from a tenth of the way in: the first steps' predictions (tiny area) are huge
    const from = Math.max(1, Math.ceil(n / 10));
    for (const r of results) {
      if (!r.loss) continue;
      for (let t = from; t <= n; t++) {
        const y = r.loss[t];
        if (Number.isFinite(y)) {
          if (y < lo) lo = y;
          if (y > hi) hi = y;
        }
      }
    }
    if (!(hi >= lo)) {
      lo = 0;
      hi = 1;
    }
    const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.01 || 1;
    lo -= pad;
    hi += pad;
    const pw = width - L.left - L.right;
    const ph = height - L.top - L.bottom;
    const sx = (t) => L.left + (t / n) * pw;
    const sy = (y) => L.top + ph * (1 - (y - lo) / (hi - lo));
    g.font = P.font;
    g.lineWidth = 1;
    g.strokeStyle = P.faint;
    g.fillStyle = P.light;
    g.textAlign = "right";
    g.textBaseline = "middle";
    g.beginPath();
    const yticks = ticks(lo, hi, Math.max(2, Math.floor(ph / 45)));
    for (const y of yticks) {
      const py = Math.round(sy(y)) + 0.5;
      g.moveTo(L.left, py);
      g.lineTo(width - L.right, py);
    }
    const xticks = ticks(0, n, Math.max(2, Math.floor(pw / 90)));
    for (const x of xticks) {
      const px = Math.round(sx(x)) + 0.5;
      g.moveTo(px, L.top);
      g.lineTo(px, L.top + ph);
    }
    g.stroke();
    for (const y of yticks) g.fillText(formatTick(y), L.left - 6, Math.round(sy(y)) + 0.5);
    g.textAlign = "center";
    g.textBaseline = "top";
    for (const x of xticks) {
      const px = Math.round(sx(x)) + 0.5;
      const label = formatTick(x);
      g.fillText(label, Math.min(px, width - g.measureText(label).width / 2 - 1), L.top + ph + 4);
    }
    g.fillText("step", L.left + pw / 2, L.top + ph + 19);
    g.save();
    g.translate(12, L.top + ph / 2);
    g.rotate(-Math.PI / 2);
    g.fillText("predicted loss", 0, -6);
    g.restore();
    g.strokeStyle = P.light;
    g.strokeRect(L.left + 0.5, L.top + 0.5, pw, ph);
    g.save();
    g.beginPath();
    g.rect(L.left, L.top, pw + 1, ph);
    g.clip();
    const below = lo - (hi - lo);
    const above = hi + (hi - lo);
    const clampY = (y) => (y >= below ? (y <= above ? y : above) : Number.isFinite(y) ? below : above);
    for (const r of results) {
      if (!r.loss) continue;
      g.strokeStyle = P.curves[r.index];
      g.lineWidth = 2;
      g.setLineDash(DASHES[r.index]);
      g.beginPath();
      // steps 1..n, kept near the box (the first steps' predictions run far above it)
      traceSteps(g, r.loss, 1, n, sx, (y) => sy(clampY(y)), dpr);
      g.stroke();
    }
    g.setLineDash([]);
    g.restore();
  }

  // the loss chart's caption and label: what the law is, what it was given, the final values
  describeLoss() {
    if (!this.law || !this.lossCanvas) return;
    const results = this.lossResults;
    const n = this.state.horizon;
    const law = this.law;
    const m = law.model;
    const runs = law.runs.map((r) => `${r.kind === "wsd" ? "a constant rate" : "a cosine"} of ${r.steps} steps (peak ${formatPower(r.peak)})`).join(" and ");
    const finals = results.map((r) => {
      const final = r.loss ? formatValue(r.loss[n]) : "—";
      let omega = r.bound === null ? null : formatValue(r.bound);
      if (omega === null) {
        const eta = r.eta;
        let k = 0;
        while (eta && k < n && eta[k] > 0) k += 1;
        omega = `none (it needs every rate > 0; the rate is 0 at step ${k})`;
      }
      return `curve ${r.index + 1}: loss ${final}, bound ${omega}`;
    });
    const { low, high } = law.peaks;
    const range = low === high ? formatPower(low) : `${formatPower(low)} to ${formatPower(high)}`;
    let given;
    if (this.lossMode === "absolute") {
      given = `At the rates as set: every curve's peak is within the fit's peaks (${range}).`;
    } else {
      const outside = results.filter((r) => !(r.peak >= low && r.peak <= high)).map((r) => `curve ${r.index + 1}'s is ${formatValue(r.peak)}`);
      const why = this.state.absolute && outside.length ? ` The rates as set are not used: ${outside.join(", ")}, outside the fit's peaks (${range}).` : "";
      given = `The shape of each curve at the fitted model's peak rate ${formatPower(law.peak)}: its rates times ${formatPower(law.peak)} / its own peak, so curves that differ only in their peak predict the same loss.${why}`;
    }
    const text = `${given} The law of Tissue et al. (2024, arXiv:2408.11029) with λ = ${law.decay}, as annealing.laws computes it, fitted on two runs of ${m.name} (a ${Math.round(m.parameters / 1e6)}M-parameter ${m.architecture} model on ${m.dataset}; ${law.source}): ${runs}. It speaks for runs like those (10⁴ steps and more); on far fewer steps read it as a shape, not a number. At step ${n}: ${finals.join("; ")} (the bound: Schaipp et al. 2025, Thm. 1, with D = G = 1, on the rates as set at steps 0..${n - 1}).`;
    if (this.lossText !== text) {
      this.lossText = text;
      this.lossCaption.textContent = "";
      this.lossCaption.append(h("strong", { text: "Predicted loss. " }), text);
    }
    this.lossCanvas.setAttribute("aria-label", `Predicted validation loss over ${n} steps: ${finals.join("; ")}.`);
    if (this.absoluteBox) this.absoluteBox.checked = this.state.absolute;
  }

  // ---------------------------------------------------------------- drawing
  // a box's width, from its ResizeObserver once it has reported (no layout forced), else read
  widthOf(box) {
    const known = this.widths.get(box);
    return known !== undefined ? known : box.getBoundingClientRect().width;
  }

  watchWidth(box, redraw) {
    new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      const width = entry.borderBoxSize && entry.borderBoxSize[0] ? entry.borderBoxSize[0].inlineSize : entry.contentRect.width;
      if (this.widths.get(box) === width) return;
      this.widths.set(box, width);
      redraw();
    }).observe(box);
  }

  // the page's colours and font, read once (a read forces the style of a changed page)
  colourPalette() {
    if (!this.palette) {
      const css = getComputedStyle(this.root);
      this.palette = {
        fg: css.getPropertyValue("--md-default-fg-color").trim() || "#333",
        faint: css.getPropertyValue("--md-default-fg-color--lightest").trim() || "#ddd",
        light: css.getPropertyValue("--md-default-fg-color--light").trim() || "#777",
        bg: css.getPropertyValue("--md-default-bg-color").trim() || "#fff",
        font: `12px ${css.fontFamily || "sans-serif"}`,
        curves: this.colours,
      };
    }
    return this.palette;
  }

  layout() {
    const width = Math.max(240, Math.floor(this.widthOf(this.canvas.parentElement)));
    const height = this.embed ? Math.round(Math.min(280, width * 0.55)) : Math.round(Math.min(400, Math.max(240, width * 0.6)));
    return { width, height, left: 58, right: 14, top: 12, bottom: 40 };
  }
  yRange() {
    let hi = 0;
    let lo = Infinity;
    for (const s of this.series) {
      if (!s.ys) continue;
      if (s.hi > hi) hi = s.hi;
      if (s.lo < lo) lo = s.lo;
    }
    if (!(hi > 0)) hi = 1;
    if (this.state.log) {
      lo = Math.max(Number.isFinite(lo) ? lo : hi / 10, hi * 1e-8);
      const a = Math.floor(Math.log10(lo));
      const top = Math.max(Math.log10(hi), a + 1);
      return { lo: 10 ** a, hi: 10 ** (top + 0.05 * (top - a)), log: true };
    }
    return { lo: 0, hi: hi * 1.05, log: false };
  }

  draw() {
    const c = this.canvas;
    const L = this.layout();
    this.L = L;
    const dpr = window.devicePixelRatio || 1;
    const g = sized(c, L.width, L.height, dpr);
    const P = this.colourPalette();
    const { fg } = P;
    g.fillStyle = P.bg;
    g.fillRect(0, 0, L.width, L.height);
    const { state } = this;
    const n = state.horizon;
    const per = state.unit === "epochs" ? state.perEpoch : 1;
    const Y = this.yRange();
    this.Y = Y;
    const pw = L.width - L.left - L.right;
    const ph = L.height - L.top - L.bottom;
    const sx = (t) => L.left + (t / n) * pw;
    const ly = (y) => Math.log10(Math.max(y, Y.lo * 1e-3));
    const sy = Y.log
      ? (y) => L.top + ph * (1 - (ly(y) - Math.log10(Y.lo)) / (Math.log10(Y.hi) - Math.log10(Y.lo)))
      : (y) => L.top + ph * (1 - (y - Y.lo) / (Y.hi - Y.lo));
    this.sx = sx;
    this.sy = sy;
    g.font = P.font;
    g.lineWidth = 1;
    // grid and ticks: the lines in one path, then the labels
    g.strokeStyle = P.faint;
    g.fillStyle = P.light;
    g.textAlign = "right";
    g.textBaseline = "middle";
    const yticks = Y.log
      ? Array.from({ length: Math.floor(Math.log10(Y.hi / Y.lo) + 1e-9) + 1 }, (_, i) => Number((Y.lo * 10 ** i).toPrecision(1))).filter((_, i, a) => a.length <= 7 || i % Math.ceil(a.length / 6) === 0)
      : ticks(Y.lo, Y.hi, Math.max(3, Math.floor(ph / 50)));
    const xticks = ticks(0, n / per, Math.max(2, Math.floor(pw / 90)));
    g.beginPath();
    for (const y of yticks) {
      const py = Math.round(sy(y)) + 0.5;
      g.moveTo(L.left, py);
      g.lineTo(L.width - L.right, py);
    }
    for (const x of xticks) {
      const px = Math.round(sx(x * per)) + 0.5;
      g.moveTo(px, L.top);
      g.lineTo(px, L.top + ph);
    }
    g.stroke();
    for (const y of yticks) g.fillText(formatTick(y), L.left - 6, Math.round(sy(y)) + 0.5);
    g.textAlign = "center";
    g.textBaseline = "top";
    for (const x of xticks) {
      const px = Math.round(sx(x * per)) + 0.5;
      const label = formatTick(x);
      const half = g.measureText(label).width / 2;
      g.fillText(label, Math.min(px, L.width - half - 1), L.top + ph + 5);
    }
    g.fillText(state.unit === "epochs" ? `epoch (${per} steps each)` : "step", L.left + pw / 2, L.top + ph + 22);
    g.strokeStyle = P.light;
    g.strokeRect(L.left + 0.5, L.top + 0.5, pw, ph);
    // curves
    g.save();
    g.beginPath();
    g.rect(L.left, L.top - 2, pw + 1, ph + 4);
    g.clip();
    const colours = P.curves;
    const xs = this.xs;
    for (const s of this.series) {
      if (!s.ys) continue;
      g.strokeStyle = colours[s.index];
      g.lineWidth = 2;
      g.setLineDash(DASHES[s.index]);
      g.beginPath();
      tracePath(g, xs, s.ys, sx, sy, dpr);
      g.stroke();
    }
    g.setLineDash([]);
    g.restore();
    // the cursor
    if (this.cursor !== null) {
      const px = Math.round(sx(this.cursor)) + 0.5;
      g.strokeStyle = fg;
      g.lineWidth = 1;
      g.beginPath();
      g.moveTo(px, L.top);
      g.lineTo(px, L.top + ph);
      g.stroke();
      for (const s of this.series) {
        if (!s.schedule) continue;
        const y = s.schedule.f(this.cursor);
        g.fillStyle = colours[s.index];
        g.beginPath();
        g.arc(px, sy(y), 4, 0, 2 * Math.PI);
        g.fill();
      }
    }
    this.canvas.setAttribute("aria-label", this.describe());
  }

  describe() {
    const { state } = this;
    const curves = this.series.map((s) => `curve ${s.index + 1}, ${FAMILIES[state.curves[s.index].family].name}, from ${s.ys ? formatValue(s.ys[0]) : "?"} to ${s.ys ? formatValue(s.ys[s.ys.length - 1]) : "?"}`);
    return `Chart of ${curves.length} schedule${curves.length > 1 ? "s" : ""} over ${state.horizon} steps: ${curves.join("; ")}. Use the left and right arrow keys to read values.`;
  }

  // the legend: rebuilt when the curves or the palette change, else only its text is set
  renderLegend() {
    const colours = this.colours;
    const shape = `${colours[0]} ${this.series.map((s) => s.index).join(" ")}`;
    const rebuild = this.legendShape !== shape;
    if (rebuild) {
      this.legendShape = shape;
      this.legend.textContent = "";
      this.chips.querySelectorAll(".ax-swatch line").forEach((line, i) => line.setAttribute("stroke", colours[i]));
    }
    this.series.forEach((s, i) => {
      const text = pythonExpression(s.config).replace(/^an\./, "");
      const label = this.series.length > 1 ? `${s.index + 1} (${DASH_NAMES[s.index]}): ${text}` : text;
      if (rebuild) {
        this.legend.append(h("li", { title: text }, swatch(s.index, colours), h("span", { class: "ax-legend-text" }, label)));
        return;
      }
      const item = this.legend.children[i];
      if (item.title !== text) item.title = text;
      setText(item.lastChild, label);
    });
  }

  // ---------------------------------------------------------------- the cursor
  pointer(e) {
    if (!this.L) return;
    const rect = this.canvas.getBoundingClientRect();
    const L = this.L;
    const x = e.clientX - rect.left;
    const t = ((x - L.left) / (L.width - L.left - L.right)) * this.state.horizon;
    if (t < 0 || t > this.state.horizon) return this.setCursor(null);
    this.setCursor(Math.round(t));
  }

  key(e) {
    const n = this.state.horizon;
    const big = Math.max(1, Math.round(n / 20));
    const current = this.cursor ?? 0;
    const moves = { ArrowRight: current + 1, ArrowLeft: current - 1, PageUp: current + big, PageDown: current - big, Home: 0, End: n };
    if (!(e.key in moves)) return;
    e.preventDefault();
    let next = moves[e.key];
    if (e.shiftKey && e.key.startsWith("Arrow")) next = current + (e.key === "ArrowRight" ? big : -big);
    this.setCursor(Math.min(n, Math.max(0, next)));
  }

  setCursor(t) {
    this.cursor = t;
    this.draw();
    if (t === null) {
      setText(this.readout, "Point at the chart, or focus it and use the arrow keys, to read the values.");
      return;
    }
    const { state } = this;
    const where = state.unit === "epochs" ? `epoch ${formatValue(t / state.perEpoch)} (step ${t})` : `step ${t}`;
    const values = this.series.map((s) => `curve ${s.index + 1}: ${s.schedule ? formatValue(s.schedule.f(t)) : "—"}`);
    setText(this.readout, `${where} · ${values.join(" · ")}`);
  }

  // ---------------------------------------------------------------- the table
  renderTable() {
    const { state } = this;
    const n = state.horizon;
    const rows = 21;
    const steps = [...new Set(Array.from({ length: rows }, (_, i) => Math.round((i * n) / (rows - 1))))];
    const head = h("tr", {}, h("th", { scope: "col", text: "step" }), state.unit === "epochs" ? h("th", { scope: "col", text: "epoch" }) : null,
      this.series.map((s) => h("th", { scope: "col", text: `curve ${s.index + 1}` })));
    const body = steps.map((t) => h("tr", {}, h("th", { scope: "row", text: String(t) }), state.unit === "epochs" ? h("td", { text: formatValue(t / state.perEpoch) }) : null,
      this.series.map((s) => h("td", { text: s.schedule ? formatValue(s.schedule.f(t)) : "—" }))));
    const caption = h("caption", { text: `Values at ${steps.length} evenly spaced steps from 0 to ${n}.` });
    this.tableBox.textContent = "";
    this.tableBox.append(h("table", {}, caption, h("thead", {}, head), h("tbody", {}, body)));
  }

  // ---------------------------------------------------------------- the code tabs
  renderCode() {
    if (this.embed || !this.codeBox) return;
    const curve = this.state.curves[this.state.active];
    const config = curveConfig(curve);
    const expr = pythonExpression(config);
    const inner = FAMILIES[curve.family].config(curve.p);
    let target = 0;
    try {
      target = compile(inner).f(0);
    } catch {
      target = 0;
    }
    const tabs = [{ name: "annealing", code: annealingCode(config), note: `Curve ${this.state.active + 1}, exactly as drawn. Every value above comes from this expression's formulas.`, native: true, tolerance: 0 }];
    for (const tab of frameworkTabs(curve, this.state.horizon, expr, target)) {
      const guide = { text: `how to use a schedule with ${tab.framework}`, href: new URL(`how-to/${tab.framework === "timm" ? "pytorch" : tab.framework.toLowerCase()}/`, this.siteRoot()).href };
      let note;
      if (tab.native) {
        const close = tab.tolerance > 1e-9 ? "" : " This code gives the curve on screen, with your numbers.";
        note = [`${tab.framework}'s `, { code: tab.name }, `.${close}${tab.note ? ` ${tab.note}` : ""}`];
      } else {
        note = [`${tab.framework} cannot give this curve: ${tab.reason} The same schedule through `, { code: tab.name }, ", exactly: ", guide, "."];
      }
      tabs.push({ ...tab, name: tab.framework, api: tab.name, note });
    }
    this.tabs = tabs.map(({ name, code, native, tolerance, api }) => ({ name, code, native, tolerance, api: api || name }));
    const previous = this.codeBox.querySelector('[role="tab"][aria-selected="true"]')?.dataset.name || "annealing";
    this.codeBox.textContent = "";
    const list = h("div", { class: "ax-tabs", role: "tablist", "aria-labelledby": `${this.id}-code` });
    const panels = [];
    tabs.forEach((tab, i) => {
      const selected = tab.name === previous;
      const tabId = `${this.id}-tab-${i}`;
      const panelId = `${this.id}-panel-${i}`;
      const button = h("button", { type: "button", role: "tab", id: tabId, "aria-selected": String(selected), "aria-controls": panelId, tabindex: selected ? "0" : "-1", "data-name": tab.name }, tab.name);
      button.addEventListener("click", () => this.selectTab(list, panels, i));
      button.addEventListener("keydown", (e) => {
        const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 };
        if (!(e.key in moves)) return;
        e.preventDefault();
        const j = (moves[e.key] + tabs.length) % tabs.length;
        this.selectTab(list, panels, j);
        list.children[j].focus();
      });
      list.append(button);
      const note = (Array.isArray(tab.note) ? tab.note : [tab.note]).map((part) => (typeof part === "string" ? part : part.code ? h("code", { text: part.code }) : h("a", { href: part.href }, part.text)));
      const panel = h("div", { role: "tabpanel", id: panelId, "aria-labelledby": tabId, hidden: !selected, class: "ax-panel" }, h("p", { class: "ax-note" }, note));
      if (tab.code) {
        const copy = h("button", { type: "button", class: "ax-copy", onclick: async () => {
          try {
            await navigator.clipboard.writeText(tab.code);
            copy.textContent = "Copied";
          } catch {
            copy.textContent = "Select the code to copy it";
          }
        } }, "Copy");
        // one copy control: Material's clipboard button (content.code.copy) is mounted once, on page
        // load, over this one, and this box is rebuilt at every change, which would drop it; so
        // "no-copy" (Material's opt-out) and the explorer's own button, remade with the code
        panel.append(h("div", { class: "ax-pre no-copy" }, h("pre", {}, h("code", { class: "language-python", text: tab.code })), copy));
      }
      panel.dataset.framework = tab.name;
      panel.dataset.native = String(tab.native);
      panels.push(panel);
    });
    this.codeBox.append(list, ...panels);
  }

  selectTab(list, panels, index) {
    [...list.children].forEach((button, i) => {
      button.setAttribute("aria-selected", String(i === index));
      button.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
  }
}

// ------------------------------------------------------------------------------ start
const explorers = [];
window.annealing = Object.assign(window.annealing || {}, { evaluate, compile, lengthOf, explorers, curveConfig, pythonExpression, laws: { tissue, bound, atPeak, load: loadLaw } });

function start() {
  for (const root of document.querySelectorAll(".annealing-explorer:not(.ax-ready)")) {
    try {
      explorers.push(new Explorer(root));
      if (!root.dataset.mode || root.dataset.mode === "full") window.__explorer = explorers[explorers.length - 1];
    } catch (error) {
      root.textContent = `The explorer could not start: ${error.message}`;
    }
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
// Material's instant navigation swaps pages without reloading scripts
if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
