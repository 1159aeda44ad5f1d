"""The explorer's code is the schedule on screen.

Random controls (seeded) are set in the explorer, in Chromium, through its own inputs; each
framework tab's code is read from the page and run here in the real framework (PyTorch,
optax on JAX, Keras 3 on JAX, Transformers, timm), and the framework's rates at every step
shown are compared with the values the explorer plotted, to 1e-9 of the peak (Keras's cosine
schedules: to the float32 rounding the tab states). A tab that cannot give the curve says why
and shows the library's adapter for that framework, which is run and compared the same way.
The "annealing" tab's expression is read back by ``annealing.parse``. Links: WSD's own warmup
and the warmup added in front have their own keys, a shared WSD link with both redraws the same
curve, and a link written before the keys were separate means what it meant.

Chromium, Playwright and the peers are optional locally (skip with the reason) and required in
CI (``CI=true``).
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from support import explorer_page, missing, require

import annealing as an

pytestmark = pytest.mark.peer

EXACT = 1e-9  # of the peak
KERAS_COSINE = 3e-7  # Keras's cosine is float32 whatever the dtype (the tab says so)
CONFIGURATIONS = int(os.environ.get("EXPLORER_CODE_CONFIGURATIONS", "30"))
FAMILIES = [
    "cosine",
    "linear",
    "polynomial",
    "exponential",
    "step",
    "sgdr",
    "onecycle",
    "wsd",
    "inverse_sqrt",
    "cyclic",
]


# ----------------------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def page(browser: Any, base_url: str) -> Iterator[Any]:
    with explorer_page(browser, base_url, "window.__explorer && window.__explorer.tabs") as p:
        yield p


def _value(rng: random.Random, low: float = 0.001, high: float = 1.0) -> float:
    return round(rng.uniform(low, high), 4)


def _controls(rng: random.Random, family: str, n: int) -> dict[str, Any]:
    """Random settings of one family's controls (keys as in explorer.js)."""
    a = _value(rng, 0.01)
    below = rng.choice([0.0, round(a * rng.uniform(0.01, 0.5), 4)])
    steps = rng.randint(max(1, n // 4), n)
    if family == "cosine":
        exponent = rng.choice([1, 1, round(rng.uniform(0.1, 4), 1)])
        return {"start": a, "end": below, "steps": steps, "exponent": exponent}
    if family == "linear":
        return {"start": a, "end": below, "steps": steps}
    if family == "polynomial":
        return {"start": a, "end": below, "steps": steps, "power": round(rng.uniform(0.1, 5), 1)}
    if family == "exponential":
        return {
            "start": a,
            "rate": round(rng.uniform(0.9, 1), 4),
            "every": rng.choice([1, rng.randint(2, 50)]),
            "staircase": rng.random() < 0.5,
        }
    if family == "step":
        return {
            "start": a,
            "every": rng.randint(1, n // 2),
            "factor": round(rng.uniform(0.05, 1), 2),
        }
    if family == "sgdr":
        return {
            "eta_max": a,
            "eta_min": below,
            "T_0": rng.randint(5, n // 3),
            "T_mult": rng.choice([1, 1, 2, 3, 1.5]),
            "peak_decay": rng.choice([1, 1, 0.5, 0.75]),
            "limit": rng.choice([0, 0, 2, 3]),
        }
    if family == "onecycle":
        return {
            "peak": a,
            "steps": steps,
            "pct_start": round(rng.uniform(0.05, 0.9), 2),
            "div": rng.choice([25, 10, 4]),
            "final_div": rng.choice([1e4, 100, 3]),
            "shape": rng.choice(["cosine", "linear"]),
            "three_phase": rng.random() < 0.3,
        }
    if family == "wsd":
        return {
            "peak": a,
            "warmup": rng.choice([0, rng.randint(1, n // 10)]),
            "stable": rng.randint(0, n // 2),
            "decay": rng.randint(1, n // 3),
            "end": rng.choice([0.0, 0.0, below]),
            "decay_shape": rng.choice(["linear", "cosine", "1-sqrt"]),
        }
    if family == "inverse_sqrt":
        return {"start": a, "timescale": rng.randint(1, n // 5)}
    assert family == "cyclic"
    low = _value(rng, 0.001, 0.05)
    return {
        "low": low,
        "high": round(low + rng.uniform(0.01, 0.9), 4),
        "up": rng.randint(1, n // 5),
        "down": rng.randint(1, n // 5),
        "mode": rng.choice(["triangular", "triangular2", "exp_range"]),
        "gamma": round(rng.uniform(0.99, 1), 4),
    }


def _configurations() -> list[dict[str, Any]]:
    rng = random.Random(20261201)
    out = []
    for i in range(CONFIGURATIONS):
        family = FAMILIES[i % len(FAMILIES)]
        n = rng.randint(200, 1200)
        warmup = rng.choice([0, 0, rng.randint(1, n // 5)])
        out.append(
            {
                "n": n,
                "family": family,
                "p": _controls(rng, family, n),
                "warmup": warmup,
                "wshape": rng.choice(["linear", "cosine"]),
            }
        )
    return out


def _set(page: Any, setting: dict[str, Any]) -> dict[str, Any]:
    """Set the active curve's controls through the page's inputs; what the page then shows."""
    prefix = "#" + page.evaluate("() => window.__explorer.id")
    horizon = page.locator(f"{prefix}-n")
    horizon.fill(str(setting["n"]))
    horizon.press("Enter")
    page.select_option(f"{prefix}-family", setting["family"])
    for key, value in setting["p"].items():
        box = page.locator(f"{prefix}-{key}")
        if isinstance(value, bool):
            box.set_checked(value)
        elif isinstance(value, str):
            box.select_option(value)
        else:
            box.fill(repr(value))
    page.locator(f"{prefix}-added-warmup").fill(str(setting["warmup"]))
    page.select_option(f"{prefix}-wshape", setting["wshape"])
    return page.evaluate(
        """() => {
          const e = window.__explorer;
          const panels = [...e.codeBox.querySelectorAll('[role="tabpanel"]')];
          const shown = panels.map((p) => ({
            name: e.tabs[panels.indexOf(p)].name,
            code: p.querySelector("pre code")?.textContent ?? "",
            note: p.querySelector(".ax-note")?.textContent ?? "",
          }));
          return {
            config: window.annealing.curveConfig(e.state.curves[e.state.active]),
            drawn: e.values(),
            tabs: e.tabs,
            shown,
          };
        }"""
    )


# ----------------------------------------------------------------------------- the peers


@contextlib.contextmanager
def _float64() -> Iterator[None]:
    """JAX in 64-bit mode and Keras's floatx float64, for the duration of a comparison."""
    jax = require("jax")
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    keras = _keras()
    floatx = keras.config.floatx()
    keras.config.set_floatx("float64")
    try:
        yield
    finally:
        keras.config.set_floatx(floatx)
        jax.config.update("jax_enable_x64", previous)


def _keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = require("keras")
    if keras.backend.backend() != "jax":
        missing(f"the Keras snippets run on the JAX backend, got {keras.backend.backend()}")
    return keras


def _peers() -> None:
    for name in ("torch", "optax", "jax", "transformers"):
        require(name)
    _keras()
    from compat._timm import scheduler_module

    scheduler_module("scheduler")  # timm's scheduler modules, without timm's model zoo


def _rates(code: str, steps: int, tolerance: float = EXACT) -> list[float]:
    """Run one tab's code; the rates of its scheduler or schedule at steps 0..steps (in
    float64, unless the tab says its framework computes in float32: Keras's cosine)."""
    namespace: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, "<explorer tab>", "exec"), namespace)  # the tab's code, from our page
        if "scheduler" in namespace:
            scheduler, optimizer = namespace["scheduler"], namespace["optimizer"]
            out = []
            if type(scheduler).__module__.startswith("timm."):
                for t in range(steps + 1):
                    scheduler.step_update(t)
                    out.append(float(optimizer.param_groups[0]["lr"]))
                return out
            for _ in range(steps + 1):
                out.append(float(optimizer.param_groups[0]["lr"]))
                optimizer.step()
                scheduler.step()
            return out
        import jax
        import jax.numpy as jnp
        import numpy as np

        # traced and compiled, as in a training step (optax's update, Keras's train step)
        values = np.asarray(jax.jit(jax.vmap(namespace["schedule"]))(jnp.arange(steps + 1)))
        assert values.dtype == np.float64 or tolerance > EXACT, values.dtype
        return [float(x) for x in values]


# ----------------------------------------------------------------------------- the tests


def test_the_configurations_cover_every_family_and_the_added_warmup() -> None:
    settings = _configurations()
    assert {s["family"] for s in settings} == set(FAMILIES)
    warm = [s for s in settings if s["warmup"] > 0]
    assert {s["wshape"] for s in warm} == {"linear", "cosine"}


def test_every_tab_runs_to_the_curve_on_screen(page: Any) -> None:
    _peers()
    native: dict[str, int] = {}
    failures: list[str] = []
    with _float64():
        for setting in _configurations():
            shown = _set(page, setting)
            config = shown["config"]
            drawn = shown["drawn"]
            n = setting["n"]
            assert drawn["steps"] == list(range(n + 1))
            want = drawn["values"]
            schedule = an.from_dict(config)
            peak = max(abs(x) for x in want)
            assert max(abs(float(schedule(t)) - x) for t, x in enumerate(want)) <= EXACT * peak
            # what the page shows is what the explorer hands out
            assert [t["name"] for t in shown["tabs"]] == [
                "annealing",
                "PyTorch",
                "optax",
                "Keras",
                "Transformers",
                "timm",
            ]
            for tab, text in zip(shown["tabs"], shown["shown"], strict=True):
                assert tab["code"] == text["code"], tab["name"]
            annealing_tab = shown["tabs"][0]["code"]
            expression = re.search(r"^lr = (.*?)\nprint", annealing_tab, re.S | re.M)
            assert expression is not None, annealing_tab
            assert an.parse(expression.group(1)) == schedule
            for tab, text in zip(shown["tabs"][1:], shown["shown"][1:], strict=True):
                name = tab["name"]
                tolerance = tab["tolerance"]
                if tab["native"]:
                    native[name] = native.get(name, 0) + 1
                    assert tolerance == EXACT or (
                        name == "Keras" and tolerance == KERAS_COSINE and "float32" in text["note"]
                    ), (name, tolerance)
                else:
                    assert tolerance == EXACT
                    assert f"{name} cannot give this curve: " in text["note"], text["note"]
                got = _rates(tab["code"], n, tolerance)
                error = max(abs(a - b) for a, b in zip(got, want, strict=True))
                if error > tolerance * peak:
                    worst = max(range(n + 1), key=lambda t: abs(got[t] - want[t]))
                    failures.append(
                        f"{name} on {config}: off by {error / peak:.3g} of the peak at step "
                        f"{worst} ({got[worst]!r} vs {want[worst]!r})\n{tab['code']}"
                    )
    print(f"\nframeworks' own code, of {CONFIGURATIONS} settings: {native}")
    assert not failures, "\n\n".join(failures)
    # the frameworks' own code, not only the adapters, is what most tabs show
    for name in ("PyTorch", "optax", "Keras", "Transformers", "timm"):
        assert native.get(name, 0) >= 5, native


def test_the_two_warmups_have_their_own_controls_and_keys(page: Any, base_url: str) -> None:
    setting = {
        "n": 1000,
        "family": "wsd",
        "p": {"peak": 0.1, "warmup": 40, "stable": 500, "decay": 300, "end": 0.0},
        "warmup": 60,
        "wshape": "cosine",
    }
    prefix = "#" + page.evaluate("() => window.__explorer.id")
    page.select_option(f"{prefix}-family", "cosine")
    assert page.locator(f"{prefix}-warmup").count() == 0  # no WSD: only the added warmup
    shown = _set(page, setting)
    assert page.locator(f"{prefix}-warmup").input_value() == "40"
    assert page.locator(f"{prefix}-added-warmup").input_value() == "60"
    config = shown["config"]
    assert config["type"] == "Warmup" and config["warmup"] == 60
    assert config["schedule"]["type"] == "WSD" and config["schedule"]["warmup"] == 40
    search = page.evaluate("() => location.search")
    assert "warmup%3A40" in search and "aw%3A60" in search, search
    other = page.context.new_page()
    other.goto(base_url + "explorer/" + search)
    other.wait_for_function("window.__explorer && window.__explorer.tabs")
    again = other.evaluate(
        "() => ({ config: window.annealing.curveConfig(window.__explorer.state.curves[0]),"
        " drawn: window.__explorer.values(0) })"
    )
    assert again["config"] == config
    assert again["drawn"] == shown["drawn"]
    other.close()


def test_a_link_from_before_the_keys_were_separate_means_what_it_meant(
    page: Any, base_url: str
) -> None:
    # the old explorer wrote WSD's own warmup among its parameters, then the added warmup,
    # both as "warmup"
    old = (
        "?c1=wsd,peak:0.1,warmup:40,stable:500,decay:300,end:0,decay_shape:linear,"
        "warmup:60,wshape:linear&n=1000"
    )
    other = page.context.new_page()
    other.goto(base_url + "explorer/" + old)
    other.wait_for_function("window.__explorer && window.__explorer.tabs")
    config = other.evaluate("() => window.annealing.curveConfig(window.__explorer.state.curves[0])")
    assert config["type"] == "Warmup" and config["warmup"] == 60
    assert config["schedule"]["warmup"] == 40
    # a cosine's "warmup" is the added one, as it always was, and its links still say so
    # ("aw" is read too)
    cosine = "?c1=cosine,start:0.1,end:0,steps:900,exponent:1,warmup:100,wshape:linear&n=1000"
    other.goto(base_url + "explorer/" + cosine)
    other.wait_for_function("window.__explorer && window.__explorer.tabs")
    config = other.evaluate("() => window.annealing.curveConfig(window.__explorer.state.curves[0])")
    assert config["type"] == "Warmup" and config["warmup"] == 100
    assert "warmup%3A100" in other.evaluate("() => location.search")
    other.goto(base_url + "explorer/" + cosine.replace("warmup:", "aw:"))
    other.wait_for_function("window.__explorer && window.__explorer.tabs")
    again = other.evaluate("() => window.annealing.curveConfig(window.__explorer.state.curves[0])")
    assert again == config
    other.close()


def test_the_code_has_one_copy_button_and_it_copies_the_code_shown(
    browser: Any, base_url: str
) -> None:
    # Material's own clipboard button (content.code.copy) was drawn over the explorer's: the
    # explorer's blocks opt out ("no-copy"), its own button stays and is remade with the code
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda error: errors.append(str(error)))
    p.goto(base_url + "explorer/")
    p.wait_for_function("window.__explorer && window.__explorer.tabs")
    # Material has mounted its code blocks: it names every block it saw, the explorer's too
    p.wait_for_selector(
        '.annealing-explorer [role="tabpanel"] pre[id^="__code_"]', state="attached"
    )

    def check(tab: int) -> None:
        p.locator('.annealing-explorer [role="tab"]').nth(tab).click()
        panel = p.locator('.annealing-explorer [role="tabpanel"]:not([hidden])')
        assert (
            p.locator(
                ".annealing-explorer .md-code__button, .annealing-explorer .md-clipboard"
            ).count()
            == 0
        )
        buttons = panel.locator("button:visible")
        assert buttons.count() == 1
        pre = panel.locator("pre").bounding_box()
        button = buttons.bounding_box()
        assert pre is not None and button is not None
        assert pre["x"] <= button["x"] and button["x"] + button["width"] <= pre["x"] + pre["width"]
        buttons.click()
        buttons.filter(has_text="Copied").wait_for()
        code = p.evaluate(f"() => window.__explorer.tabs[{tab}].code")
        assert code == panel.locator("pre code").text_content()
        assert p.evaluate("() => navigator.clipboard.readText()") == code

    check(1)
    # every change rebuilds the code: still one button, copying the new code
    prefix = "#" + p.evaluate("() => window.__explorer.id")
    start = p.locator(f"{prefix}-start")
    start.fill("0.0777")
    start.press("Enter")
    p.wait_for_function("window.__explorer.tabs[0].code.includes('start=0.0777')")
    check(0)
    context.close()
    assert not errors, errors
