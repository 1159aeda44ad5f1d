"""The schedule explorer's redraw at 10^4 steps, in Chromium (issue 13, item 4: <= 16 ms).

Run with ``python3 tasks.py bench`` (or ``.venv/bin/python benchmarks/bench_explorer.py
[--site DIR]``): it serves a built site (``--site``, or ``ANNEALING_SITE_DIR``, or else one
built here with ``mkdocs build`` into a temporary directory) and opens the explorer in
Debian's Chromium (``/usr/bin/chromium``, headless, through Playwright) at 10^4 steps, with
2 and with 4 curves, at 1280 px (device pixel ratio 1) and 390 px (ratio 3). The table:

* ``redraw()``: the full redraw in JavaScript (every curve's schedule evaluated, the loss law
  and the bound computed from the same rates, both charts drawn, the legend and caption set),
  one per animation frame: wall time (``performance.now()`` around it) and CPU time (the
  trace's ``tdur`` of its frame callback);
* a slider dragged: from each ``input`` event to the painted frame, the renderer's main
  thread as the trace records it (its tasks: script, style, layout, paint, the canvas), wall
  time and CPU time (``tdur``: the thread's own time, which a loaded machine does not
  inflate as much).

Median and 95th percentile of N steps; the load average beside each row. The machine may be
shared: read the CPU column first.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
N = 60
STEPS = 10_000
CURVES = {
    2: "c1=cosine,start:0.1,end:0,steps:9500,exponent:1,warmup:500,wshape:linear"
    "&c2=sgdr,eta_max:0.1,eta_min:0,T_0:1250,T_mult:2,peak_decay:1,limit:0",
    4: "c1=cosine,start:0.1,end:0,steps:9500,exponent:1,warmup:500,wshape:linear"
    "&c2=sgdr,eta_max:0.1,eta_min:0,T_0:1250,T_mult:2,peak_decay:1,limit:0"
    "&c3=wsd,peak:0.1,warmup:1000,stable:7000,decay:2000,end:0,decay_shape:1-sqrt"
    "&c4=onecycle,peak:0.1,steps:10000,pct_start:0.3,div:25,final_div:10000,shape:cosine",
}
READY = (
    "window.__explorer && window.__explorer.law && window.__explorer.lossResults"
    " && window.__explorer.lossResults.length > 0"
)
REDRAW = """async (n) => {
  const e = window.__explorer;
  for (let i = 0; i < 5; i++) e.redraw();
  const times = [];
  for (let i = 0; i < n; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    console.timeStamp("redraw");
    times.push(e.redraw());
  }
  return times;
}"""
DRAG = """async (n) => {
  const e = window.__explorer;
  const slider = e.controls.querySelector('input[type="range"]');
  const step = (i) => {
    slider.value = String(0.05 + (i % 9) * 0.001);
    slider.dispatchEvent(new Event("input"));
  };
  const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
  for (let i = 0; i < 5; i++) { step(i); await painted(); }
  for (let i = 0; i < n; i++) { console.timeStamp("step"); step(i); await painted(); }
  console.timeStamp("step");
  slider.dispatchEvent(new Event("change"));
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve(site: Path) -> str:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def _site(given: str | None) -> Path:
    if given:
        return Path(given)
    out = Path(tempfile.mkdtemp(prefix="bench-explorer-site-"))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    print(f"building the site into {out} ...", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _main_thread(trace: list[dict[str, Any]]) -> tuple[list[float], list[float]]:
    """Per slider step: the wall and CPU milliseconds of the main thread's tasks that end
    between the step's mark and the next."""
    stamps = [
        e
        for e in trace
        if e.get("name") == "TimeStamp"
        and e.get("args", {}).get("data", {}).get("message") == "step"
    ]
    thread = (stamps[0]["pid"], stamps[0]["tid"])
    marks = sorted(e["ts"] for e in stamps)
    wall = [0.0] * (len(marks) - 1)
    cpu = [0.0] * (len(marks) - 1)
    for e in trace:
        if (e["pid"], e["tid"]) != thread or e.get("name") != "RunTask" or e.get("ph") != "X":
            continue
        i = bisect.bisect_right(marks, e["ts"] + e.get("dur", 0)) - 1
        if 0 <= i < len(wall):
            wall[i] += e.get("dur", 0) / 1000
            cpu[i] += e.get("tdur", 0) / 1000
    return wall, cpu


def _redraw_cpu(trace: list[dict[str, Any]]) -> list[float]:
    """The CPU milliseconds of each animation-frame callback that holds a "redraw" mark."""
    marks = [
        e
        for e in trace
        if e.get("name") == "TimeStamp"
        and e.get("args", {}).get("data", {}).get("message") == "redraw"
    ]
    frames = [e for e in trace if e.get("name") == "FireAnimationFrame" and e.get("ph") == "X"]
    out = []
    for mark in marks:
        for frame in frames:
            same = (frame["pid"], frame["tid"]) == (mark["pid"], mark["tid"])
            if same and frame["ts"] <= mark["ts"] <= frame["ts"] + frame.get("dur", 0):
                out.append(frame.get("tdur", 0) / 1000)
                break
    return out


def measure(browser: Any, url: str, width: int, curves: int) -> dict[str, float]:
    scale = 1 if width > 600 else 3
    context = browser.new_context(
        viewport={"width": width, "height": 900}, device_scale_factor=scale
    )
    page = context.new_page()
    page.goto(f"{url}explorer/?{CURVES[curves]}&n={STEPS}")
    page.wait_for_function(READY)
    assert page.evaluate("() => window.__explorer.xs.length") == STEPS + 1
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        categories = ["devtools.timeline", "disabled-by-default-devtools.timeline"]
        browser.start_tracing(page=page, path=f.name, categories=categories)
        redraw = page.evaluate(REDRAW, N)
        page.evaluate(DRAG, N)
        browser.stop_tracing()
        data = json.loads(Path(f.name).read_text(encoding="utf-8"))
    context.close()
    trace = data["traceEvents"] if isinstance(data, dict) else data
    wall, cpu = _main_thread(trace)
    redraw_cpu = _redraw_cpu(trace)
    assert len(redraw_cpu) == N, len(redraw_cpu)
    return {
        "redraw": statistics.median(redraw),
        "redraw95": _p95(redraw),
        "redraw_cpu": statistics.median(redraw_cpu),
        "redraw_cpu95": _p95(redraw_cpu),
        "wall": statistics.median(wall),
        "wall95": _p95(wall),
        "cpu": statistics.median(cpu),
        "cpu95": _p95(cpu),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=os.environ.get("ANNEALING_SITE_DIR"))
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        print(f"skipped: playwright is not importable ({error})")
        return
    if not CHROMIUM.exists():
        print(f"skipped: no Chromium at {CHROMIUM}")
        return
    url = _serve(_site(args.site))
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for curves in (2, 4):
            for width in (1280, 390):
                load = os.getloadavg()[0]
                r = measure(browser, url, width, curves)
                rows.append((curves, width, load, r))
        browser.close()
    print(f"\nexplorer at {STEPS} steps, {N} redraws / slider steps each, ms (median / p95)")
    print(
        f"{'curves':>6} {'width':>6} {'load':>5} {'redraw() wall':>14} {'redraw() CPU':>13}", end=""
    )
    print(f" {'slider step: main wall':>23} {'main CPU':>14}")
    for curves, width, load, r in rows:
        print(
            f"{curves:>6} {width:>4}px {load:>5.1f} {r['redraw']:>7.1f} / {r['redraw95']:<4.1f}"
            f" {r['redraw_cpu']:>6.1f} / {r['redraw_cpu95']:<4.1f}"
            f" {r['wall']:>15.1f} / {r['wall95']:<5.1f} {r['cpu']:>7.1f} / {r['cpu95']:<5.1f}"
        )


if __name__ == "__main__":
    main()
