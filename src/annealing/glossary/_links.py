"""Where a glossary term leads: its reference page, the explorer, the guides using it.

The explorer link is derived from the term's own schedule where the explorer can draw
exactly that schedule, so the curve a reader opens is the curve plotted on the term's
page; ``links.explorer`` in the data is used as it is (terms without a schedule, such as
``T_max``, point at a typical curve).

>>> explorer_query({"type": "Cosine", "start": 1.0, "end": 0.0, "steps": 100, "exponent": 1.0})
'c1=cosine,start:1,end:0,steps:100,exponent:1&n=100'
>>> explorer_query({"type": "MultiStep", "start": 0.1, "milestones": [30], "factor": 0.1}) is None
True
>>> explorer_query({"type": "WSD", "peak": 1.0, "warmup": 5, "stable": 75, "decay": 20,
...                 "start": 0.0, "end": 0.0, "decay_shape": "linear", "warmup_shape": "linear"})
'c1=wsd,peak:1,warmup:5,stable:75,decay:20,end:0,decay_shape:linear&n=100'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._model import Links, Term

#: Explorer family and its keys, in the explorer's order, for each schedule type whose
#: ``to_dict()`` fields the explorer reads under the same names.
_SAME_KEYS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "Cosine": ("cosine", ("start", "end", "steps", "exponent")),
    "Linear": ("linear", ("start", "end", "steps")),
    "Polynomial": ("polynomial", ("start", "end", "steps", "power")),
    "Step": ("step", ("start", "every", "factor")),
    "InverseSqrt": ("inverse_sqrt", ("start", "timescale")),
    "OneCycle": (
        "onecycle",
        ("peak", "steps", "pct_start", "div", "final_div", "shape", "three_phase"),
    ),
}


def _number(x: Any) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _family(d: Mapping[str, Any]) -> list[str] | None:
    """The ``c1`` parts (family, then ``key:value``) for schedule data `d`, or None."""
    kind = str(d.get("type"))
    if kind in _SAME_KEYS:
        family, keys = _SAME_KEYS[kind]
        return [family, *(f"{k}:{_number(d[k])}" for k in keys)]
    if kind == "Exponential":
        rate, every = d.get("rate"), d.get("every", 1)
        if rate is None:  # given by its end point: rate per period = (end/start)^(every/steps)
            if not d.get("start") or not d.get("end") or not d.get("steps"):
                return None
            rate = (d["end"] / d["start"]) ** (every / d["steps"])
        if not 0.5 <= rate <= 1:  # the explorer's slider range
            return None
        staircase = bool(d.get("staircase"))
        return [
            "exponential",
            f"start:{_number(d['start'])}",
            f"rate:{_number(rate)}",
            f"every:{_number(every)}",
            f"staircase:{_number(staircase)}",
        ]
    if kind == "Cyclic":
        down = d["up"] if d.get("down") is None else d["down"]
        return [
            "cyclic",
            *(f"{k}:{_number(d[k])}" for k in ("low", "high", "up")),
            f"down:{_number(down)}",
            f"mode:{d['mode']}",
            f"gamma:{_number(d['gamma'])}",
        ]
    if kind == "Restarts":
        cycle = d.get("cycle") or {}
        plain = d.get("floor_decay") == 1 and d.get("decay_mode") == "peak" and not d.get("warmup")
        if cycle.get("type") != "Cosine" or cycle.get("exponent") != 1 or not plain:
            return None
        return [
            "sgdr",
            f"eta_max:{_number(cycle['start'])}",
            f"eta_min:{_number(cycle['end'])}",
            f"T_0:{_number(cycle['steps'])}",
            f"T_mult:{_number(d['mult'])}",
            f"peak_decay:{_number(d['peak_decay'])}",
            f"limit:{_number(d['limit'] or 0)}",
        ]
    if kind == "Warmup":
        inner = _family(d["schedule"])
        if inner is None or d.get("start") or d.get("shape") not in ("linear", "cosine"):
            return None
        # the explorer's added warmup: "aw" where the family has a warmup of its own (WSD's is
        # its "warmup"); elsewhere the older key "warmup", which the explorer still reads so
        return [
            *inner,
            f"{_added_warmup_key(inner)}:{_number(d['warmup'])}",
            f"wshape:{d['shape']}",
        ]
    if kind == "WSD":
        if d.get("start") or d.get("warmup_shape", "linear") != "linear":
            return None  # the explorer's WSD warms up linearly from 0
        if d.get("decay_shape") not in ("linear", "cosine", "1-sqrt"):
            return None
        return ["wsd", *(f"{k}:{_number(d[k])}" for k in _WSD_KEYS)]
    if kind == "Sequence":
        return _cooldown(d)
    # Constant, MultiStep, Piecewise, ...: not in the explorer.
    return None


_WSD_KEYS = ("peak", "warmup", "stable", "decay", "end", "decay_shape")
_DECAYS = {"Cosine": "cosine", "Linear": "linear"}


def _added_warmup_key(parts: list[str]) -> str:
    return "aw" if any(p.startswith("warmup:") for p in parts[1:]) else "warmup"


def _cooldown(d: Mapping[str, Any]) -> list[str] | None:
    """A constant phase, then a cosine or linear decay (then, optionally, its end value held):
    the explorer's WSD without a warmup draws exactly that curve."""
    parts = d.get("schedules") or []
    if d.get("boundaries") is not None or len(parts) not in (2, 3):
        return None
    hold, decay = parts[0], parts[1]
    if hold.get("type") != "Constant" or not hold.get("steps") or decay.get("type") not in _DECAYS:
        return None
    if decay["type"] == "Cosine" and decay.get("exponent", 1.0) != 1:
        return None
    if hold["value"] != decay["start"] or not 0 <= decay["end"] <= decay["start"]:
        return None
    if len(parts) == 3 and (
        parts[2].get("type") != "Constant" or parts[2]["value"] != decay["end"]
    ):
        return None
    wsd = {
        "peak": hold["value"],
        "warmup": 0,
        "stable": hold["steps"],
        "decay": decay["steps"],
        "end": decay["end"],
        "decay_shape": _DECAYS[decay["type"]],
    }
    return ["wsd", *(f"{k}:{_number(wsd[k])}" for k in _WSD_KEYS)]


def explorer_query(schedule: Mapping[str, Any], steps: int | None = None) -> str | None:
    """The explorer's query string that draws `schedule` (a ``to_dict()``), or None.

    `steps` is the horizon (``n``); by default the schedule's own length, else 100.
    """
    parts = _family(schedule)
    if parts is None:
        return None
    if steps is None:
        length = _length(schedule)
        steps = int(length) if isinstance(length, (int, float)) and length >= 10 else 100
    return f"c1={','.join(parts)}&n={steps}"


def _length(d: Mapping[str, Any]) -> Any:
    """The schedule's length in steps, as far as these links need it (None: no length)."""
    kind = d.get("type")
    if kind == "Warmup":
        inner = _length(d["schedule"])
        return None if inner is None else inner + d["warmup"]
    if kind == "WSD":
        return d["warmup"] + d["stable"] + d["decay"]
    if kind == "Sequence" and d.get("boundaries") is None:
        lengths = [part.get("steps") for part in d.get("schedules") or []]
        return sum(lengths) if lengths and None not in lengths else None
    return d.get("steps")


def links(term: Term) -> Links:
    """The term's links, with the explorer query derived from its schedule if not given."""
    if term.links.explorer or term.schedule is None:
        return term.links
    query = explorer_query(term.schedule, term.plot_steps)
    if query is None:
        return term.links
    return Links(reference=term.links.reference, explorer=query, guides=term.links.guides)
