"""One or more examples of every family and combinator, shared by the model-wide tests."""

from __future__ import annotations

import annealing as an

COSINE = an.Cosine(start=1.0, end=0.1, steps=100)

EXAMPLES: dict[str, an.Schedule] = {
    "Constant": an.Constant(0.1),
    "Constant-steps": an.Constant(0.1, steps=10),
    "Cosine": COSINE,
    "Cosine-exponent": an.Cosine(1.0, 0.0, 100, exponent=2.0),
    "Cosine-rise": an.Cosine(0.001, 1.0, 50, exponent=0.5),
    "Linear": an.Linear(1.0, 0.0, 10),
    "Linear-rise": an.Linear(0.0, 1.0, 10.5),
    "Polynomial": an.Polynomial(1.0, 0.0, 10, power=2.0),
    "Polynomial-rise": an.Polynomial(0.01, 1.0, 10, power=0.5),
    "Exponential-rate": an.Exponential(1.0, rate=0.5, every=10),
    "Exponential-end": an.Exponential(1.0, end=0.01, steps=100),
    "Exponential-staircase": an.Exponential(1.0, rate=0.5, every=10, staircase=True, end=0.1),
    "Exponential-growth": an.Exponential(0.1, rate=1.1, end=1.0),
    "Step": an.Step(1.0, 30),
    "MultiStep": an.MultiStep(1.0, (30, 80)),
    "MultiStep-none": an.MultiStep(1.0, ()),
    "InverseSqrt": an.InverseSqrt(1.0, 100),
    "Piecewise": an.Piecewise(((0, 1.0), (10, 0.5), (20, 0.1))),
    "Piecewise-right": an.Piecewise(((0, 1.0), (10, 0.5), (20, 0.1)), side="right"),
    "Piecewise-cosine": an.Piecewise(((5, 1.0), (10, 0.5)), interpolation="cosine"),
    "Piecewise-linear": an.Piecewise(((0, 0.0), (10, 1.0), (30, 0.0)), interpolation="linear"),
    "OneCycle": an.OneCycle(1.0, 100),
    "OneCycle-three": an.OneCycle(1.0, 100, pct_start=0.25, shape="linear", three_phase=True),
    "Cyclic": an.Cyclic(0.1, 1.0, 10),
    "Cyclic-triangular2": an.Cyclic(0.1, 1.0, 10, 5, mode="triangular2"),
    "Cyclic-exp_range": an.Cyclic(0.1, 1.0, 10, 5, mode="exp_range", gamma=0.99),
    "WSD": an.WSD(1.0, 10, 80, 10),
    "WSD-1-sqrt": an.WSD(1.0, 0, 80, 10, end=0.01, decay_shape="1-sqrt"),
    "WSD-cosine": an.WSD(1.0, 10, 0, 10, start=0.1, decay_shape="cosine", warmup_shape="cosine"),
    "Warmup": an.Warmup(an.Cosine(1.0, 0.0, 90), 10),
    "Warmup-exponential": an.Warmup(COSINE, 10, start=0.01, shape="exponential"),
    "Warmup-cosine-endless": an.Warmup(an.InverseSqrt(1.0, 10), 5, shape="cosine"),
    "Sequence": an.Sequence((an.Linear(0.0, 1.0, 10), an.Cosine(1.0, 0.0, 10))),
    "Sequence-boundaries": an.Sequence((an.Constant(1.0), an.Cosine(1.0, 0.0, 10)), (5,)),
    "Scale": an.Scale(COSINE, 0.5),
    "Scale-schedule": an.Scale(COSINE, an.Linear(1.0, 0.0, 200)),
    "Restarts": an.Restarts(an.Cosine(1.0, 0.1, 10), mult=2, limit=3, warmup=2, peak_decay=0.5),
    "Restarts-amplitude": an.Restarts(
        an.Linear(1.0, 0.2, 7), mult=1.5, peak_decay=0.8, floor_decay=0.9, decay_mode="amplitude"
    ),
    "SGDR": an.SGDR(0.1, 10, 2),
    "nested": an.Scale(
        an.Sequence((an.Warmup(an.Restarts(an.Cosine(1.0, 0.0, 5), limit=2), 3), an.Constant(0.0))),
        an.Exponential(1.0, rate=0.99),
    ),
}

# The families and combinators issue 2 asks for; every one has an example above.
FAMILIES = {
    "Constant",
    "Cosine",
    "Linear",
    "Exponential",
    "Polynomial",
    "Step",
    "MultiStep",
    "Piecewise",
    "InverseSqrt",
    "OneCycle",
    "Cyclic",
    "WSD",
    "Warmup",
    "Sequence",
    "Restarts",
    "Scale",
}
