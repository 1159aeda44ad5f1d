"""Shapes that several peers share, built from the core families."""

from __future__ import annotations

from ..cosine import Cosine
from ..restarts import Restarts
from ..schedule import Schedule
from ..sequence import Sequence


def periodic_cosine(high: float, low: float, half: float) -> Schedule:
    """A cosine that falls from `high` to `low` over `half` steps, rises back, and repeats.

    PyTorch ``CosineAnnealingLR`` and Transformers' cosine schedules do not stop at the
    floor: their closed form keeps following the cosine (period ``2·half``). A `half` above
    1e300 has no room for the rise in float range: the fall alone is kept (it holds `low`
    from step `half` on, beyond 1e300).
    """
    fall = Cosine(high, low, half)
    if half > 1e300:
        return fall
    return Restarts(Sequence((fall, Cosine(low, high, half))))


def named_int(owner: str, name: str, value: object) -> int:
    """`value` as an int when it is integral (a peer's step count), else a clear error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise TypeError(f"{owner}: {name} must be a whole number of steps, got {value!r}")
    return int(value)
