"""Array namespaces (_namespace.py): numpy of any dtype and shape, JAX (jit, vmap), PyTorch.

JAX and PyTorch come from ``python3 tasks.py peers``: these tests skip locally without them and
fail in CI (``require`` in conftest.py). JAX is compared at float64 inside ``jax.enable_x64``
when the installed JAX has it, and at float32 tolerance always.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from catalogue import EXAMPLES
from support import require

import annealing as an

NAMES = list(EXAMPLES)
STEPS = np.array([0, 0.5, 1, 2.5, 5, 9.75, 10, 11, 30, 33.1, 55.5, 99, 100, 121, 150, 1000.0])
EAGER = ("Cosine", "Restarts", "Piecewise-linear", "nested")
F32 = 2e-6  # float32 evaluation of the same formula: a few float32 ulps
F64 = 1e-14


def _relative(got: Any, want: np.ndarray) -> float:
    got = np.asarray(got, dtype=np.float64)
    return float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-300)))


# -- numpy --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dtype", [np.int8, np.int16, np.int32, np.int64, np.uint16, np.float16, np.float32, np.float64]
)
def test_numpy_dtypes_give_float64(dtype: type) -> None:
    s = EXAMPLES["Warmup"]
    steps = np.array([0, 3, 10, 50, 100], dtype=dtype)
    got = s(steps)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, [s(float(x)) for x in steps], rtol=1e-15, atol=0)


@pytest.mark.parametrize("shape", [(), (1,), (7,), (2, 3), (2, 1, 4), (0,), (3, 0)])
@pytest.mark.parametrize("name", ["Cosine", "Restarts", "Piecewise", "Sequence", "nested"])
def test_numpy_any_shape(name: str, shape: tuple[int, ...]) -> None:
    s = EXAMPLES[name]
    steps = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) * 3.5
    got = s(steps)
    if shape == ():
        assert type(got) is float
        return
    assert isinstance(got, np.ndarray) and got.shape == shape
    np.testing.assert_allclose(got.ravel(), [s(float(x)) for x in steps.ravel()], rtol=1e-15)


def test_numpy_views_and_non_contiguous_arrays_are_not_modified() -> None:
    s = EXAMPLES["Cosine"]
    base = np.arange(20, dtype=np.float64)
    view = base[::3]
    got = s(view)
    np.testing.assert_array_equal(base, np.arange(20))
    np.testing.assert_allclose(got, [s(float(x)) for x in view], rtol=1e-15)


# -- JAX --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def jax() -> Any:
    return require("jax")


def _x64(jax: Any) -> Any:
    for home in (jax, getattr(jax, "experimental", None)):
        enable = getattr(home, "enable_x64", None)
        if enable is not None:
            return enable
    return None


@pytest.mark.parametrize("name", NAMES)
def test_jax_float32_direct_jit_and_vmap(jax: Any, name: str) -> None:
    import jax.numpy as jnp

    s = EXAMPLES[name]
    want = s(STEPS)
    steps = jnp.asarray(STEPS, dtype=jnp.float32)
    ways = [("jit", jax.jit(s)), ("vmap", jax.jit(jax.vmap(s)))]
    if name in EAGER:  # op-by-op dispatch is slow: a few schedules are enough
        ways += [("direct", s), ("vmap, not jitted", jax.vmap(s))]
    for how, fn in ways:
        got = fn(steps)
        assert isinstance(got, jax.Array) and got.dtype == jnp.float32, how
        assert got.shape == STEPS.shape
        # float32 steps are the float64 steps rounded: compare with those
        want32 = s(np.asarray(steps, dtype=np.float64))
        assert _relative(got, want32) <= F32, (how, np.asarray(got), want)


@pytest.mark.parametrize("name", NAMES)
def test_jax_float64_under_jit_agrees_with_numpy(jax: Any, name: str) -> None:
    import jax.numpy as jnp

    enable = _x64(jax)
    if enable is None:
        pytest.skip("this JAX has no enable_x64 context manager: float32 is tested above")
    s = EXAMPLES[name]
    with enable(True):
        steps = jnp.asarray(STEPS)
        assert steps.dtype == jnp.float64
        for fn in (jax.jit(s), jax.jit(jax.vmap(s))):
            got = fn(steps)
            assert got.dtype == jnp.float64
            assert _relative(got, s(STEPS)) <= F64


def test_jax_integer_steps_and_optax_style_use(jax: Any) -> None:
    import jax.numpy as jnp

    s = an.Warmup(an.Cosine(1.0, 0.0, 90), 10)
    count = jnp.asarray(55, dtype=jnp.int32)  # optax passes an int32 count
    value = jax.jit(s)(count)
    assert value.shape == () and abs(float(value) - s(55)) <= F32
    grid = jax.vmap(jax.jit(s))(jnp.arange(0, 101, dtype=jnp.int32).reshape(101))
    assert _relative(grid, s(np.arange(101.0))) <= F32


def test_jax_restart_boundary_is_exact(jax: Any) -> None:
    import jax.numpy as jnp

    s = an.SGDR(eta_max=0.1, T_0=1, T_mult=3)
    got = jax.jit(s)(jnp.asarray([120.0, 121.0], dtype=jnp.float32))
    # 121 = 1 + 3 + 9 + 27 + 81 starts cycle 5 (the peak); 120 is one step before its trough
    assert float(got[1]) == pytest.approx(0.1, rel=1e-7)
    assert float(got[0]) == pytest.approx(s(120), rel=F32)


def test_jax_bad_steps(jax: Any) -> None:
    import jax.numpy as jnp

    s = EXAMPLES["Cosine"]
    with pytest.raises(ValueError, match=r"^Cosine: step must be finite and >= 0, got -1.0$"):
        s(jnp.asarray([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"^Cosine: step must be finite and >= 0, got nan$"):
        s(jnp.asarray([jnp.nan]))
    with pytest.raises(TypeError, match=r"^Cosine: step must be a number or an array"):
        s(jnp.asarray([True]))


# -- PyTorch ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def torch() -> Any:
    return require("torch")


def _torch_cases(torch: Any) -> Iterator[tuple[Any, Any, float]]:
    yield torch.float64, torch.tensor(STEPS, dtype=torch.float64), F64
    yield torch.float32, torch.tensor(STEPS, dtype=torch.float32), F32
    # integer steps give the default floating dtype (float32 unless changed), like torch.arange
    yield torch.get_default_dtype(), torch.tensor(STEPS.astype(np.int64)), F32


@pytest.mark.parametrize("name", NAMES)
def test_torch_tensors(torch: Any, name: str) -> None:
    s = EXAMPLES[name]
    for dtype, steps, tolerance in _torch_cases(torch):
        got = s(steps)
        assert isinstance(got, torch.Tensor) and got.dtype == dtype, (steps.dtype, got.dtype)
        assert got.shape == steps.shape
        want = s(steps.double().numpy())
        assert _relative(got.double().numpy(), want) <= tolerance, (steps.dtype, got, want)


def test_torch_shapes_and_zero_d(torch: Any) -> None:
    s = EXAMPLES["Restarts"]
    grid = torch.arange(12, dtype=torch.float64).reshape(3, 4) * 3
    assert s(grid).shape == (3, 4)
    zero_d = s(torch.tensor(12.0, dtype=torch.float64))
    assert isinstance(zero_d, torch.Tensor) and zero_d.shape == ()
    assert float(zero_d) == pytest.approx(s(12.0), rel=1e-15)


def test_torch_bad_steps(torch: Any) -> None:
    s = EXAMPLES["Cosine"]
    with pytest.raises(ValueError, match=r"^Cosine: step must be finite and >= 0, got -1.0$"):
        s(torch.tensor([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"^Cosine: step must be finite and >= 0, got inf$"):
        s(torch.tensor([float("inf")]))
    with pytest.raises(TypeError, match=r"^Cosine: step must be a number or an array"):
        s(torch.tensor([True]))
    with pytest.raises(TypeError, match=r"^Cosine: step must be a number or an array"):
        s(torch.tensor([1 + 1j]))


def test_import_annealing_imports_neither_jax_nor_torch() -> None:
    import subprocess
    import sys

    code = "import sys, annealing; print(sorted({'jax', 'torch'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- low-precision steps: computed in float64, rounded once (issue 11, item 3) -------------------
# parameters at the edges of float32 and float16: computed in those types they give NaN or inf
HOSTILE: dict[str, an.Schedule] = {
    "tiny-steps": an.Cosine(1.0, 0.0, 1e-39),  # the issue's example: NaN in float32
    "huge-start": an.Cosine(1e300, 0.0, 100),
    "huge-constant": an.Constant(1e300),
    "tiny-linear": an.Linear(1.0, 0.0, 1e-300),
    "tiny-warmup": an.Warmup(an.Cosine(1.0, 0.0, 1e-39), 1e-39),
    "tiny-step": an.Step(1.0, 1e-39),
    "huge-onecycle": an.OneCycle(1e300, 1e-30),
    "above-float16": an.Sequence((an.Constant(1e6), an.Cosine(1.0, 0.0, 1e-39)), (5,)),
}
EDGES = np.array([0, 1e-45, 1e-39, 1e-30, 0.5, 1, 4.5, 5, 7, 100, 1e5, 6e4, 3e38])


def _rounded(torch: Any, s: an.Schedule, steps: Any, dtype: Any) -> Any:
    """The float64 values of `s` at `steps`, rounded once to `dtype` (saturating at its max)."""
    exact = torch.tensor(s(steps.double().numpy()), dtype=torch.float64)
    return exact.clamp(max=torch.finfo(dtype).max).to(dtype)


@pytest.mark.parametrize("name", [*HOSTILE, "Cosine", "Restarts", "nested", "Piecewise-linear"])
def test_torch_low_precision_steps_are_the_float64_values_rounded(torch: Any, name: str) -> None:
    s = HOSTILE.get(name) or EXAMPLES[name]
    for dtype in (torch.float16, torch.bfloat16, torch.float32, torch.float64):
        top = torch.finfo(dtype).max
        steps = torch.tensor(np.minimum(EDGES, top), dtype=torch.float64).to(dtype)
        got = s(steps)
        assert got.dtype == dtype and got.shape == steps.shape
        assert bool(torch.isfinite(got).all()) and bool((got >= 0).all()), (dtype, got)
        assert torch.equal(got, _rounded(torch, s, steps, dtype)), (dtype, got)


def test_torch_the_issue_example_and_float16_saturation(torch: Any) -> None:
    got = an.Cosine(1.0, 0.0, 1e-39)(torch.tensor([0.0]))  # nan before
    assert got.dtype == torch.float32 and got.tolist() == [1.0]
    # float16 holds at most 65504: larger values saturate there instead of becoming inf
    half = an.Constant(1e6)(torch.zeros(3, dtype=torch.float16))
    assert half.dtype == torch.float16 and half.tolist() == [65504.0] * 3


def test_torch_integer_steps_give_the_default_floating_dtype(torch: Any) -> None:
    s = EXAMPLES["Cosine"]
    for dtype in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        got = s(torch.tensor([0, 50, 100], dtype=dtype))
        assert got.dtype == torch.get_default_dtype()
        assert got.tolist() == pytest.approx([s(0), s(50), s(100)], rel=1e-7)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        got = s(torch.tensor([50]))
        assert got.dtype == torch.float64 and got.item() == s(50)
    finally:
        torch.set_default_dtype(previous)


def test_torch_results_are_new_tensors(torch: Any) -> None:
    steps = torch.arange(4, dtype=torch.float64)
    for s in (an.Constant(1.0), an.Offset(an.Constant(2.0), 0), EXAMPLES["Cosine"]):
        got = s(steps)
        assert got.data_ptr() != steps.data_ptr()
        got.fill_(7.0)
        assert steps.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_torch_bad_steps_of_low_precision(torch: Any) -> None:
    s = EXAMPLES["Cosine"]
    with pytest.raises(ValueError, match=r"^Cosine: step must be finite and >= 0, got -1$"):
        s(torch.tensor([3, -1], dtype=torch.int8))
    with pytest.raises(ValueError, match=r"^Cosine: step must be finite and >= 0, got inf$"):
        s(torch.tensor([1.0, float("inf")], dtype=torch.float16))
    with pytest.raises(ValueError, match=r"^Cosine: step must be finite and >= 0, got nan$"):
        s(torch.tensor([float("nan")], dtype=torch.bfloat16))
    with pytest.raises(TypeError, match=r"^Cosine: step must be a number or an array"):
        s(torch.tensor([1 + 0j], dtype=torch.complex64))
