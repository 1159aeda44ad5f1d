"""Checkpoints of :func:`annealing.simulated.anneal`: fingerprints, and a loader trusting nothing.

A checkpoint is plain data (a dict that ``json.dumps`` writes when the state is plain data).
It carries three fingerprints, each ``"sha256:"`` and 64 hex digits:

- ``problem``: the problem's own :meth:`fingerprint` when it has one (the built-in problems
  hash their numbers: a travelling salesman's coordinates and metric, an Ising model's size,
  coupling and field, a test function's dimension, bounds and decades), else its class and,
  when the class defines one, its ``repr``;
- ``schedule``: an ``annealing`` schedule's :meth:`~annealing.Schedule.fingerprint` (a sha256
  of its canonical ``to_dict()``, equal exactly when the schedules are equal), another object's
  ``to_dict()`` as canonical JSON (keys sorted, floats as ``repr``), or, for a plain
  function, its values (to 12 digits) at 17 moves spread evenly over the run, the first and
  the last included;
- ``settings``: ``steps``, ``seed``, ``space`` and ``window`` as canonical JSON.

and a ``checksum``: the sha256 of the whole checkpoint (but the checksum) as canonical JSON, or
``None`` when the state is not JSON data (then it must be None when resumed, too). A checkpoint
whose fields are each well-formed but were changed after it was made (a tour reversed, a trace
edited) is refused by it.

:func:`parse` checks every field of a checkpoint (types, ranges, lengths, the random generator's
state) and raises :class:`ValueError` naming the field; nothing inside it raises
``KeyError``, ``IndexError`` or a ``TypeError`` of its own.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from dataclasses import dataclass
from typing import Any

import numpy as np

CHECKPOINT_FORMAT = 2
KIND = "annealing.simulated.anneal"
MAX_STEPS = 2**53  # moves are evaluated as float64: every move index up to here is exact
MAX_BYTES = 64 * 2**20  # a checkpoint file larger than this is refused unread
MAX_TEXT = 2000  # descriptions (for messages) are at most this long
PROBES = 17  # moves at which a plain function is evaluated for its fingerprint

FIELDS = (
    "format",
    "kind",
    "checksum",
    "fingerprint",
    "problem",
    "schedule",
    "temperature",
    "move",
    "steps",
    "seed",
    "space",
    "window",
    "rng",
    "state",
    "energy",
    "best_state",
    "best_energy",
    "accepted",
    "trace",
)
TRACE = ("move", "temperature", "energy", "best", "acceptance")
FINGERPRINTS = ("problem", "schedule", "settings")


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    """Canonical JSON: keys sorted, no spaces, floats as ``repr`` (what ``json`` writes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def problem_fingerprint(problem: Any) -> tuple[str, str]:
    """``(digest, description)`` of a problem (see the module's docstring)."""
    cls = type(problem)
    custom_repr = cls.__repr__ is not object.__repr__  # type: ignore[comparison-overlap]
    own = getattr(problem, "fingerprint", None)
    if callable(own):
        digest = own()
        if not (isinstance(digest, str) and digest):
            raise TypeError(
                f"anneal: {cls.__name__}.fingerprint() must return a non-empty str, got {digest!r}"
            )
        digest = _digest(f"{cls.__module__}.{cls.__qualname__}\n{digest}")
    else:
        text = f"{cls.__module__}.{cls.__qualname__}"
        if custom_repr:
            text += "\n" + repr(problem)
        digest = _digest(text)
    description = repr(problem) if custom_repr else cls.__qualname__
    return digest, _short(description)


def schedule_fingerprint(temperature: Any, steps: int) -> tuple[str, str]:
    """``(digest, description)`` of a temperature schedule over a run of `steps` moves."""
    own = getattr(temperature, "fingerprint", None)
    if callable(own):  # annealing's schedules: Schedule.fingerprint(), equal iff equal values
        digest = own()
        if isinstance(digest, str) and len(digest) == 64:
            return "sha256:" + digest.lower(), _short(repr(temperature))
    to_dict = getattr(temperature, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
        try:
            text = "schedule\n" + canonical(data)
        except (TypeError, ValueError):  # not JSON data: fall back to its repr
            text = "schedule-repr\n" + repr(data)
        return _digest(text), _short(repr(temperature))
    # A plain function of the move index: its values where the run starts, ends and between.
    moves = sorted({round(k * (steps - 1) / (PROBES - 1)) for k in range(PROBES)})
    try:
        # 12 digits: a libm that rounds one ulp differently does not change the fingerprint
        values = [float(f"{float(temperature(move)):.12g}") for move in moves]
    except Exception:  # the run evaluates it and reports; here: no values
        values = []
    name = getattr(temperature, "__qualname__", type(temperature).__qualname__)
    text = f"function\n{moves}\n{values}"
    shown = ", ".join(f"T({m}) = {v!r}" for m, v in zip(moves[::8], values[::8], strict=False))
    return _digest(text), _short(f"function {name} ({shown or 'no values'})")


def checksum(checkpoint: dict[str, Any]) -> str | None:
    """The digest of `checkpoint` without its ``checksum``, or None if it is not JSON data."""
    try:
        text = canonical({k: v for k, v in checkpoint.items() if k != "checksum"})
    except (TypeError, ValueError, RecursionError):
        return None
    return _digest("checkpoint\n" + text)


def settings_fingerprint(steps: int, seed: int, space: str, window: int) -> str:
    """The digest of the settings a run repeats from."""
    return _digest(
        "settings\n" + canonical({"steps": steps, "seed": seed, "space": space, "window": window})
    )


@dataclass
class Saved:
    """A checkpoint whose fields have been checked (the state is checked against the problem
    later, when it is known)."""

    fingerprint: dict[str, str]
    problem: str
    schedule: str
    temperature: dict[str, Any] | None
    move: int
    steps: int
    seed: int
    space: str
    window: int
    rng: dict[str, Any]
    state: Any
    energy: float
    best_state: Any
    best_energy: float
    accepted: int
    trace: dict[str, list[Any]]
    intact: bool  # whether the checksum matches (or there is none)


def fail(message: str) -> ValueError:
    return ValueError(f"anneal: checkpoint: {message}")


def _repr(value: Any) -> str:
    try:
        return _short(repr(value), 80)
    except Exception:
        return f"<{type(value).__name__}>"


def _integer(data: dict[str, Any], key: str, low: int, high: int, what: str = "") -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise fail(f"{key} must be an integer, got {_repr(value)}")
    if not low <= value <= high:
        raise fail(f"{key} must be from {low} to {what or high}, got {value}")
    return int(value)


def _real(value: Any, key: str) -> float:
    if isinstance(value, np.integer):
        value = int(value)
    if type(value) is int:
        if abs(value) > 2**1023:
            raise fail(
                f"{key} must be a finite number, got an integer of {value.bit_length()} bits"
            )
        value = float(value)
    if not isinstance(value, (float, np.floating)):  # np.float64 from a problem's own delta
        raise fail(f"{key} must be a number, got {_repr(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise fail(f"{key} must be a finite number, got {number!r}")
    return number


def _text(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise fail(f"{key} must be a str of at most {MAX_TEXT} characters, got {_repr(value)}")
    return value


def _digest_field(value: Any, key: str) -> str:
    if not (
        isinstance(value, str)
        and len(value) == 71
        and value.startswith("sha256:")
        and all(c in "0123456789abcdef" for c in value[7:])
    ):
        raise fail(f"{key} must be 'sha256:' and 64 hex digits, got {_repr(value)}")
    return value


def _rng(value: Any) -> dict[str, Any]:
    """numpy's PCG64 state: {'bit_generator': 'PCG64', 'state': {'state', 'inc'}, ...}."""
    if not isinstance(value, dict):
        raise fail(f"rng must be a dict (numpy's PCG64 state), got {_repr(value)}")
    keys = {"bit_generator", "state", "has_uint32", "uinteger"}
    if set(value) != keys:
        raise fail(
            f"rng must have exactly the keys {', '.join(sorted(keys))}, "
            f"got {sorted(map(str, value))}"
        )
    if not isinstance(value["bit_generator"], str) or value["bit_generator"] != "PCG64":
        raise fail(f"rng.bit_generator must be 'PCG64', got {_repr(value['bit_generator'])}")
    inner = value["state"]
    if not isinstance(inner, dict) or set(inner) != {"state", "inc"}:
        raise fail(f"rng.state must be a dict with the keys inc and state, got {_repr(inner)}")
    for key in ("state", "inc"):
        number = inner[key]
        if type(number) is not int or not 0 <= number < 2**128:
            raise fail(
                f"rng.state.{key} must be an integer from 0 to 2**128 - 1, got {_repr(number)}"
            )
    if inner["inc"] % 2 != 1:
        raise fail(f"rng.state.inc must be odd (PCG64's increment), got {inner['inc']}")
    if type(value["has_uint32"]) is not int or value["has_uint32"] not in (0, 1):
        raise fail(f"rng.has_uint32 must be 0 or 1, got {_repr(value['has_uint32'])}")
    if type(value["uinteger"]) is not int or not 0 <= value["uinteger"] < 2**32:
        raise fail(
            f"rng.uinteger must be an integer from 0 to 2**32 - 1, got {_repr(value['uinteger'])}"
        )
    return {
        "bit_generator": "PCG64",
        "state": {"state": inner["state"], "inc": inner["inc"]},
        "has_uint32": value["has_uint32"],
        "uinteger": value["uinteger"],
    }


def _trace(value: Any, move: int) -> dict[str, list[Any]]:
    if not isinstance(value, dict):
        raise fail(f"trace must be a dict of lists, got {_repr(value)}")
    if set(value) != set(TRACE):
        raise fail(
            f"trace must have exactly the keys {', '.join(TRACE)}, got {sorted(map(str, value))}"
        )
    columns = {}
    for key in TRACE:
        column = value[key]
        if not isinstance(column, list):
            raise fail(f"trace.{key} must be a list, got {_repr(column)}")
        columns[key] = column
    rows = len(columns["move"])
    for key in TRACE:
        if len(columns[key]) != rows:
            raise fail(
                f"trace.{key} has {len(columns[key])} entries, "
                f"trace.move has {rows} (one per window)"
            )
    if rows > move:
        raise fail(f"trace has {rows} windows, more than the {move} moves made")
    moves: list[int] = []
    previous = 0
    for k, entry in enumerate(columns["move"]):
        integer = not isinstance(entry, bool) and isinstance(entry, (int, np.integer))
        if not (integer and previous < entry <= move):
            raise fail(
                f"trace.move[{k}] must be an integer > {previous} (the window before) and "
                f"<= move ({move}), got {_repr(entry)}"
            )
        moves.append(int(entry))
        previous = int(entry)
    if (rows == 0) != (move == 0) or (rows and moves[-1] != move):
        raise fail(f"trace.move must end at move ({move}), got {moves[-1:] or 'no windows'}")
    out: dict[str, list[Any]] = {"move": moves}
    for key in ("temperature", "energy", "best", "acceptance"):
        numbers = [_real(entry, f"trace.{key}[{k}]") for k, entry in enumerate(columns[key])]
        out[key] = numbers
    for k, t in enumerate(out["temperature"]):
        if t < 0.0:
            raise fail(f"trace.temperature[{k}] must be >= 0, got {t!r}")
    for k, a in enumerate(out["acceptance"]):
        if not 0.0 <= a <= 1.0:
            raise fail(f"trace.acceptance[{k}] must be from 0 to 1, got {a!r}")
    for k, (e, b) in enumerate(zip(out["energy"], out["best"], strict=True)):
        if b > e:
            raise fail(f"trace.best[{k}] ({b!r}) must be <= trace.energy[{k}] ({e!r})")
    return out


def parse(checkpoint: Any) -> Saved:
    """Check every field of `checkpoint` that does not depend on the problem."""
    if not isinstance(checkpoint, dict):
        raise TypeError(f"anneal: resume must be a Result.checkpoint dict, got {_repr(checkpoint)}")
    kind = checkpoint.get("kind")
    if not isinstance(kind, str) or kind != KIND:
        raise ValueError(
            f"anneal: resume must be a Result.checkpoint dict (kind {KIND!r}), "
            f"got kind {_repr(checkpoint.get('kind'))}"
        )
    version = checkpoint.get("format")
    if type(version) is not int or version != CHECKPOINT_FORMAT:
        raise fail(
            f"format {_repr(version)} is not supported (this version reads format "
            f"{CHECKPOINT_FORMAT}; format 1 had no fingerprints: rerun to make a new checkpoint)"
        )
    missing = [key for key in FIELDS if key not in checkpoint]
    if missing:
        raise fail(f"missing field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    unknown = sorted(_repr(key) for key in checkpoint if key not in FIELDS)
    if unknown:
        raise fail(f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    fingerprint = checkpoint["fingerprint"]
    if not isinstance(fingerprint, dict) or set(fingerprint) != set(FINGERPRINTS):
        raise fail(
            f"fingerprint must be a dict with the keys {', '.join(FINGERPRINTS)}, "
            f"got {_repr(fingerprint)}"
        )
    prints = {key: _digest_field(fingerprint[key], f"fingerprint.{key}") for key in FINGERPRINTS}
    stored = checkpoint["checksum"]
    if stored is not None:
        stored = _digest_field(stored, "checksum")
    steps = _integer(checkpoint, "steps", 1, MAX_STEPS, "2**53")
    move = _integer(checkpoint, "move", 0, steps, f"steps ({steps})")
    seed = _integer(checkpoint, "seed", 0, 2**128 - 1, "2**128 - 1")
    space = checkpoint["space"]
    if not isinstance(space, str) or space not in ("linear", "log"):
        raise fail(f"space must be 'linear' or 'log', got {_repr(space)}")
    window = _integer(checkpoint, "window", 1, MAX_STEPS, "2**53")
    if settings_fingerprint(steps, seed, space, window) != prints["settings"]:
        raise fail(
            "steps, seed, space and window do not match fingerprint.settings "
            "(the checkpoint was changed after it was made)"
        )
    accepted = _integer(checkpoint, "accepted", 0, move, f"move ({move})")
    temperature = checkpoint["temperature"]
    if temperature is not None and not isinstance(temperature, dict):
        raise fail(f"temperature must be a schedule's to_dict() or None, got {_repr(temperature)}")
    energy = _real(checkpoint["energy"], "energy")
    best_energy = _real(checkpoint["best_energy"], "best_energy")
    if best_energy > energy:
        raise fail(f"best_energy ({best_energy!r}) must be <= energy ({energy!r})")
    return Saved(
        fingerprint=prints,
        problem=_text(checkpoint, "problem"),
        schedule=_text(checkpoint, "schedule"),
        temperature=temperature,
        move=move,
        steps=steps,
        seed=seed,
        space=space,
        window=window,
        rng=_rng(checkpoint["rng"]),
        state=checkpoint["state"],
        energy=energy,
        best_state=checkpoint["best_state"],
        best_energy=best_energy,
        accepted=accepted,
        trace=_trace(checkpoint["trace"], move),
        intact=checksum(checkpoint) == stored,  # None == None: a state that is not JSON data
    )


def load_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a checkpoint written with ``json.dump(result.checkpoint, file)``.

    The file is read as JSON (never unpickled): it must be a regular file of at most 64 MiB
    holding a JSON object. Its fields are checked when it is resumed (``anneal(problem,
    resume=load_checkpoint(path))``). Errors are :class:`ValueError` naming the file.
    """
    try:
        name = os.fspath(path)
    except TypeError:
        raise TypeError(
            f"load_checkpoint: path must be a str or os.PathLike, got {path!r}"
        ) from None
    if not isinstance(name, str):
        name = os.fsdecode(name)
    if "\x00" in name:  # os.stat would raise a bare 'embedded null byte'
        raise ValueError(f"load_checkpoint: path must not contain a NUL byte, got {name!r}")
    try:
        info = os.stat(name)
    except OSError as error:
        raise ValueError(f"{name}: cannot read the checkpoint: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise ValueError(f"{name}: cannot read the checkpoint: {kind}")
    if info.st_size > MAX_BYTES:
        raise ValueError(
            f"{name}: the checkpoint is {info.st_size} bytes, over the limit of {MAX_BYTES}"
        )
    try:
        with open(name, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ValueError(f"{name}: cannot read the checkpoint: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise ValueError(f"{name}: the checkpoint is over the limit of {MAX_BYTES} bytes")
    try:
        data = json.loads(
            raw.decode("utf-8"), parse_constant=_no_constant, object_pairs_hook=_no_duplicates
        )
    except UnicodeDecodeError as error:
        raise ValueError(f"{name}: the checkpoint is not UTF-8 (byte {error.start})") from None
    except (ValueError, RecursionError) as error:
        raise ValueError(f"{name}: the checkpoint is not JSON: {_short(str(error), 120)}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{name}: the checkpoint must be a JSON object, got {type(data).__name__}")
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {_short(key, 40)!r} appears twice in one object")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a checkpoint can hold")
