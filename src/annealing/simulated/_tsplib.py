"""Reading TSPLIB 95 files (Reinelt 1991): ``.tsp`` instances and ``.tour`` tours.

The reader trusts nothing in the file. Every refusal is one :class:`ValueError` whose message
starts with the file's name and, where there is one, the line: ``berlin52.tsp:4: DIMENSION must
be a positive integer, got 'abc'``.

- The file is checked with :func:`os.stat` before it is opened: a missing file, a directory, a
  FIFO, a device or a socket is refused (nothing blocks), and so is a file over
  :data:`MAX_BYTES` (64 MiB; pla85900, the largest TSPLIB instance, takes 1.6 MiB; an
  ``EXPLICIT`` matrix of the 10,000 cities allowed takes up to about 500 MiB as text, so the
  byte limit is the binding one there).
- Text is UTF-8 (ASCII in every TSPLIB file; a leading byte order mark is skipped). A line that
  is not is refused, naming the line and the byte's offset in the file, except a ``COMMENT``
  line, whose text is not used.
- The specification part: ``KEY : VALUE`` lines with TSPLIB 95's keywords; an unknown keyword,
  a keyword given twice (``COMMENT`` may repeat), an empty value and a value out of range are
  refused on their line. ``TYPE`` must be ``TSP``; ``EDGE_WEIGHT_TYPE`` one of ``EUC_2D``,
  ``CEIL_2D``, ``ATT``, ``GEO``, ``EXPLICIT``; ``DIMENSION`` a whole number from 4 to
  :data:`MAX_CITIES` (:data:`MAX_EXPLICIT` for ``EXPLICIT``), checked on its own line (so
  ``DIMENSION: 2000000000`` is refused before anything is read or allocated); both must come
  before the first section. ``EXPLICIT`` needs
  an ``EDGE_WEIGHT_FORMAT`` (:data:`EDGE_WEIGHT_FORMATS`), the other types none or
  ``FUNCTION``.
- The ``NODE_COORD_SECTION``: lines ``id x y``, with ``id`` from 1 to ``DIMENSION``, each once,
  and finite decimal coordinates (``nan``, ``inf``, ``1e999``, ``1_000`` are refused). The
  cities are counted as they are read; when the section ends, a count that differs from
  ``DIMENSION`` is refused with both numbers and the first missing id.
- The ``EDGE_WEIGHT_SECTION`` (``EXPLICIT``): finite decimal weights >= 0, counted as they are
  read; more or fewer than the format holds for ``DIMENSION`` cities (``n * n`` for
  ``FULL_MATRIX``, ``n (n - 1) / 2`` for ``UPPER_ROW``, ``n (n + 1) / 2`` for
  ``LOWER_DIAG_ROW``, ...) is refused with both numbers, and so is a ``FULL_MATRIX`` that is not
  symmetric. The diagonal is not used (a tour never goes from a city to itself). A
  ``DISPLAY_DATA_SECTION`` follows the ``NODE_COORD_SECTION``'s rules.
- Sections other than these three (``DEPOT_SECTION``, ``FIXED_EDGES_SECTION``, ...) are refused.
- A tour file (``TOUR_SECTION``) lists each city of the instance once, ended by ``-1`` or
  ``EOF`` or the end of the file; a second tour, an id outside ``1..DIMENSION``, a repeated or a
  missing city is refused.
"""

from __future__ import annotations

import array
import bisect
import math
import numbers
import os
import re
import stat
from typing import Any

#: The largest file read, in bytes.
MAX_BYTES = 64 * 2**20
#: The most cities an instance with coordinates may have (distances are computed from them).
MAX_CITIES = 1_000_000
#: The most cities an EXPLICIT instance may have (its distance matrix has n**2 entries).
MAX_EXPLICIT = 10_000
#: The EDGE_WEIGHT_TYPE values read.
EDGE_WEIGHT_TYPES = ("EUC_2D", "CEIL_2D", "ATT", "GEO", "EXPLICIT")
#: The EDGE_WEIGHT_FORMAT values read (with EDGE_WEIGHT_TYPE EXPLICIT).
EDGE_WEIGHT_FORMATS = (
    "FULL_MATRIX",
    "UPPER_ROW",
    "LOWER_ROW",
    "UPPER_DIAG_ROW",
    "LOWER_DIAG_ROW",
    "UPPER_COL",
    "LOWER_COL",
    "UPPER_DIAG_COL",
    "LOWER_DIAG_COL",
)

_KEYWORDS = (
    "NAME",
    "TYPE",
    "COMMENT",
    "DIMENSION",
    "CAPACITY",
    "EDGE_WEIGHT_TYPE",
    "EDGE_WEIGHT_FORMAT",
    "EDGE_DATA_FORMAT",
    "NODE_COORD_TYPE",
    "DISPLAY_DATA_TYPE",
)
_SECTIONS = (
    "NODE_COORD_SECTION",
    "DEPOT_SECTION",
    "DEMAND_SECTION",
    "EDGE_DATA_SECTION",
    "FIXED_EDGES_SECTION",
    "DISPLAY_DATA_SECTION",
    "TOUR_SECTION",
    "EDGE_WEIGHT_SECTION",
)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"\+?[0-9]+")


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def read_lines(path: Any, what: str) -> tuple[str, list[tuple[int, str]]]:
    """``(name, [(line number, text), ...])`` of a small regular text file, or ValueError."""
    try:
        name = os.fspath(path)
    except TypeError:
        raise TypeError(f"{what}: path must be a str or os.PathLike, got {path!r}") from None
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if not name:
        raise ValueError(f"{what}: path must not be empty")
    if "\x00" in name:  # os.stat would raise a bare 'embedded null byte'
        raise ValueError(f"{what}: path must not contain a NUL byte, got {name!r}")
    try:
        info = os.stat(name)
    except OSError as error:
        raise ValueError(f"{name}: cannot read it: {error.strerror or error}") from None
    _regular(name, info.st_mode)
    if info.st_size > MAX_BYTES:
        raise ValueError(f"{name}: the file is {info.st_size} bytes, over the limit of {MAX_BYTES}")
    try:
        # O_NONBLOCK: should the file have been swapped for a FIFO since os.stat, do not wait
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            _regular(name, os.fstat(handle.fileno()).st_mode)
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ValueError(f"{name}: cannot read it: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise ValueError(f"{name}: the file is over the limit of {MAX_BYTES} bytes")
    bom = b"\xef\xbb\xbf"  # a UTF-8 byte order mark, which some editors write
    start = len(bom) if raw.startswith(bom) else 0
    if not raw[start:].strip():
        raise ValueError(f"{name}: the file is empty")
    lines = []
    offset = start
    for lineno, line in enumerate(raw[start:].splitlines(keepends=True), start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            if not line.lstrip().upper().startswith(b"COMMENT"):
                raise ValueError(
                    f"{name}:{lineno}: not UTF-8 text: byte 0x{line[error.start]:02x} at offset "
                    f"{offset + error.start} of the file"
                ) from None
            text = line.decode("utf-8", errors="replace")  # a comment's text is not used
        lines.append((lineno, text))
        offset += len(line)
    return name, lines


def _regular(name: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ValueError(f"{name}: cannot read it: it is a directory")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "not a regular file"
        raise ValueError(f"{name}: cannot read it: it is {kind}")


class _Spec:
    """The specification part, keyword by keyword, with the line of each."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[str, str] = {}
        self.lines: dict[str, int] = {}

    def fail(self, lineno: int, message: str) -> ValueError:
        return ValueError(f"{self.name}:{lineno}: {message}")

    def add(self, lineno: int, text: str) -> None:
        key, colon, value = text.partition(":")
        key, value = key.strip().upper(), value.strip()
        if not colon:
            raise self.fail(lineno, f"expected 'KEY : VALUE', got {_quote(text)}")
        if key not in _KEYWORDS:
            raise self.fail(
                lineno,
                f"unknown keyword {_quote(key)} (TSPLIB 95's are {', '.join(_KEYWORDS)})",
            )
        if key == "COMMENT":
            return
        if key in self.values:
            raise self.fail(lineno, f"{key} given twice (first on line {self.lines[key]})")
        if not value:
            raise self.fail(lineno, f"{key} must not be empty")
        self.values[key] = value
        self.lines[key] = lineno


def _dimension(spec: _Spec, lineno: int, value: str) -> int:
    if not _INTEGER.fullmatch(value):
        raise spec.fail(lineno, f"DIMENSION must be a positive integer, got {_quote(value)}")
    if len(value) > 9 or int(value) > MAX_CITIES:
        raise spec.fail(lineno, f"DIMENSION {value} is over the limit of {MAX_CITIES} cities")
    dimension = int(value)
    if dimension < 4:
        raise spec.fail(lineno, f"DIMENSION must be at least 4 cities, got {dimension}")
    return dimension


def _check_header(spec: _Spec, key: str, lineno: int) -> int | None:
    """Check the value of `key` (just read on `lineno`); DIMENSION's value is returned."""
    value = spec.values.get(key)
    if value is None:
        return None
    if key == "TYPE" and value != "TSP":
        raise spec.fail(
            lineno,
            f"TYPE must be TSP (a symmetric travelling salesman problem), got {_quote(value)}",
        )
    if key == "DIMENSION":
        return _dimension(spec, lineno, value)
    if key == "EDGE_WEIGHT_TYPE" and value not in EDGE_WEIGHT_TYPES:
        raise spec.fail(
            lineno,
            f"EDGE_WEIGHT_TYPE must be one of {', '.join(EDGE_WEIGHT_TYPES)}, got {_quote(value)}",
        )
    if key == "EDGE_WEIGHT_FORMAT" and value not in ("FUNCTION", *EDGE_WEIGHT_FORMATS):
        raise spec.fail(
            lineno,
            f"EDGE_WEIGHT_FORMAT must be FUNCTION or one of {', '.join(EDGE_WEIGHT_FORMATS)}, "
            f"got {_quote(value)}",
        )
    if key == "NODE_COORD_TYPE" and value not in ("TWOD_COORDS", "NO_COORDS"):
        raise spec.fail(
            lineno, f"NODE_COORD_TYPE must be TWOD_COORDS or NO_COORDS, got {_quote(value)}"
        )
    if key == "DISPLAY_DATA_TYPE" and value not in ("COORD_DISPLAY", "TWOD_DISPLAY", "NO_DISPLAY"):
        raise spec.fail(
            lineno,
            "DISPLAY_DATA_TYPE must be COORD_DISPLAY, TWOD_DISPLAY or NO_DISPLAY, "
            f"got {_quote(value)}",
        )
    if key in ("CAPACITY", "EDGE_DATA_FORMAT"):
        raise spec.fail(lineno, f"{key} does not belong in a TSP file")
    return None


def _section(text: str) -> str | None:
    """The section a line opens (``NODE_COORD_SECTION``, or ``NODE_COORD_SECTION :``)."""
    word = text.replace(":", " ").split()
    if len(word) == 1 and word[0].upper() in _SECTIONS and text.count(":") <= 1:
        return str(word[0].upper())
    return None


def _number(spec: _Spec, lineno: int, token: str, label: str) -> float:
    try:
        value = float(token)
    except ValueError:
        value = None
    if value is not None and not math.isfinite(value):
        raise spec.fail(lineno, f"{label} must be a finite number, got {_quote(token)}")
    if value is None or not _NUMBER.fullmatch(token):
        raise spec.fail(lineno, f"{label} must be a decimal number, got {_quote(token)}")
    return value


def weight_count(form: str, n: int) -> int:
    """How many weights an EDGE_WEIGHT_SECTION of format `form` holds for `n` cities."""
    if form == "FULL_MATRIX":
        return n * n
    return n * (n + 1) // 2 if "DIAG" in form else n * (n - 1) // 2


def weight_positions(form: str, n: int) -> tuple[Any, Any]:
    """The (row, column) of each weight of an EDGE_WEIGHT_SECTION, in the order written.

    A symmetric matrix's upper columns are its lower rows, and its lower columns its upper
    rows, so the nine formats need five index patterns.
    """
    import numpy as np

    if form == "FULL_MATRIX":
        rows, cols = np.divmod(np.arange(n * n), n)
        return rows, cols
    diagonal = "DIAG" in form
    upper = form.startswith("UPPER") == form.endswith("ROW")  # UPPER_ROW, LOWER_COL: upper
    if upper:
        return np.triu_indices(n, 0 if diagonal else 1)
    return np.tril_indices(n, 0 if diagonal else -1)


class Instance:
    """What a ``.tsp`` file holds: its name, specification, and coordinates or weights."""

    def __init__(self, name: str, spec: dict[str, str]) -> None:
        self.name = name
        self.spec = spec
        self.coordinates: list[tuple[float, float]] | None = None
        self.distances: Any = None  # an (n, n) float64 array for EXPLICIT


class _Nodes:
    """The lines ``id x y`` of a NODE_COORD_SECTION or DISPLAY_DATA_SECTION."""

    def __init__(self, spec: _Spec, section: str, dimension: int) -> None:
        self.spec, self.section, self.dimension = spec, section, dimension
        self.coordinates: list[tuple[float, float]] = []
        self.seen: dict[int, int] = {}

    def add(self, lineno: int, text: str) -> None:
        spec, section, dimension = self.spec, self.section, self.dimension
        parts = text.split()
        if len(parts) != 3:
            raise spec.fail(
                lineno,
                f"expected 'id x y' in {section}, got {len(parts)} values: {_quote(text)}",
            )
        token = parts[0]
        if len(self.coordinates) >= dimension:
            raise spec.fail(lineno, f"{section} lists more than DIMENSION ({dimension}) cities")
        if not _INTEGER.fullmatch(token) or len(token) > 9 or not 1 <= int(token) <= dimension:
            raise spec.fail(
                lineno,
                f"a city id must be an integer from 1 to DIMENSION ({dimension}), "
                f"got {_quote(token)}",
            )
        city = int(token)
        if city in self.seen:
            raise spec.fail(lineno, f"city {city} appears twice (first on line {self.seen[city]})")
        x = _number(spec, lineno, parts[1], f"the x coordinate of city {city}")
        y = _number(spec, lineno, parts[2], f"the y coordinate of city {city}")
        self.seen[city] = lineno
        self.coordinates.append((x, y))

    def complete(self, lineno: int) -> list[tuple[float, float]]:
        dimension, seen = self.dimension, self.seen
        if len(self.coordinates) != dimension:
            missing = next(k for k in range(1, dimension + 1) if k not in seen)
            raise self.spec.fail(
                lineno,
                f"{self.section} lists {len(self.coordinates)} cities, DIMENSION is {dimension} "
                f"(city {missing} is missing)",
            )
        ids = list(seen)  # in the order read, as the coordinates are
        order = sorted(range(dimension), key=ids.__getitem__)
        return [self.coordinates[k] for k in order]  # by city id


class _Weights:
    """The numbers of an EDGE_WEIGHT_SECTION, counted as they are read."""

    def __init__(self, spec: _Spec, form: str, dimension: int) -> None:
        self.spec, self.form, self.dimension = spec, form, dimension
        self.expected = weight_count(form, dimension)
        self.values = array.array("d")
        self.lines: list[tuple[int, int]] = []  # (index of the line's first weight, line)

    def add(self, lineno: int, text: str) -> None:
        spec, values = self.spec, self.values
        tokens = text.split()
        if len(values) + len(tokens) > self.expected:
            raise spec.fail(
                lineno,
                f"EDGE_WEIGHT_SECTION has more than the {self.expected} weights of "
                f"{self.form} with DIMENSION {self.dimension}",
            )
        self.lines.append((len(values), lineno))
        for token in tokens:
            weight = _number(spec, lineno, token, "a weight")
            if weight < 0:
                raise spec.fail(lineno, f"a weight must be >= 0, got {_quote(token)}")
            values.append(weight)

    def line_of(self, index: int) -> int:
        starts = [start for start, _ in self.lines]
        return self.lines[bisect.bisect_right(starts, index) - 1][1]

    def complete(self, lineno: int) -> Any:
        import numpy as np

        n, form = self.dimension, self.form
        if len(self.values) != self.expected:
            raise self.spec.fail(
                lineno,
                f"EDGE_WEIGHT_SECTION has {len(self.values)} weights; {form} with DIMENSION "
                f"{n} has {self.expected}",
            )
        weights = np.frombuffer(self.values, dtype=np.float64)
        if form == "FULL_MATRIX":
            matrix = weights.reshape(n, n).copy()
            upper = np.triu(matrix, 1)
            lower = np.triu(matrix.T, 1)
            if not np.array_equal(upper, lower):
                i, j = (int(v[0]) for v in np.nonzero(upper != lower))
                raise self.spec.fail(
                    self.line_of(max(i * n + j, j * n + i)),
                    f"FULL_MATRIX is not symmetric: the weight of ({i + 1}, {j + 1}) is "
                    f"{float(matrix[i, j])!r}, of ({j + 1}, {i + 1}) {float(matrix[j, i])!r}",
                )
        else:
            rows, cols = weight_positions(form, n)
            matrix = np.zeros((n, n))
            matrix[rows, cols] = weights
            matrix[cols, rows] = weights
        np.fill_diagonal(matrix, 0.0)  # a tour never goes from a city to itself
        return matrix


def read_tsp(path: Any) -> Instance:
    """The :class:`Instance` in a TSPLIB ``.tsp`` file (the rules are in the module's doc)."""
    name, lines = read_lines(path, "TravellingSalesman.from_tsplib")
    spec = _Spec(name)
    instance = Instance(name, spec.values)
    dimension: int | None = None
    reading: _Nodes | _Weights | None = None
    done: dict[str, int] = {}  # section -> line
    last = lines[-1][0]
    for lineno, raw in lines:
        text = raw.strip()
        if not text:
            continue
        if text == "EOF":
            last = lineno
            break
        section = _section(text)
        head = text.split(None, 1)[0].rstrip(":").upper()
        if reading is not None and section is None and head not in _KEYWORDS:
            reading.add(lineno, text)
            continue
        if reading is not None:
            _finish(instance, reading, lineno)
            reading = None
        if section is None:
            spec.add(lineno, text)
            key = text.partition(":")[0].strip().upper()
            value = _check_header(spec, key, lineno)
            if key == "DIMENSION":
                dimension = value
            continue
        if section in done:
            raise spec.fail(lineno, f"{section} given twice (first on line {done[section]})")
        done[section] = lineno
        reading = _open(spec, section, lineno, dimension)
    if reading is not None:
        _finish(instance, reading, last)
    explicit = spec.values.get("EDGE_WEIGHT_TYPE") == "EXPLICIT"
    needed = "EDGE_WEIGHT_SECTION" if explicit else "NODE_COORD_SECTION"
    if needed not in done:
        raise spec.fail(last, f"the file ends before any {needed}")
    return instance


def _open(spec: _Spec, section: str, lineno: int, dimension: int | None) -> _Nodes | _Weights:
    """Start reading `section`, after checking that the specification part allows it."""
    if section not in ("NODE_COORD_SECTION", "EDGE_WEIGHT_SECTION", "DISPLAY_DATA_SECTION"):
        raise spec.fail(
            lineno,
            f"{section} is not supported (only NODE_COORD_SECTION, EDGE_WEIGHT_SECTION and "
            "DISPLAY_DATA_SECTION are)",
        )
    for key in ("DIMENSION", "EDGE_WEIGHT_TYPE"):
        if key not in spec.values:
            raise spec.fail(
                lineno, f"{section} before {key} (the specification part must give it first)"
            )
    assert dimension is not None
    kind = spec.values["EDGE_WEIGHT_TYPE"]
    form = spec.values.get("EDGE_WEIGHT_FORMAT", "FUNCTION")
    if kind == "EXPLICIT" and form == "FUNCTION":
        raise spec.fail(
            lineno,
            f"{section}: EDGE_WEIGHT_TYPE EXPLICIT needs an EDGE_WEIGHT_FORMAT, one of "
            f"{', '.join(EDGE_WEIGHT_FORMATS)}, before it",
        )
    if kind != "EXPLICIT" and form != "FUNCTION":
        raise spec.fail(
            lineno,
            f"{section}: EDGE_WEIGHT_FORMAT {form} (line {spec.lines['EDGE_WEIGHT_FORMAT']}) "
            f"goes with EDGE_WEIGHT_TYPE EXPLICIT, not {kind}",
        )
    if section == "EDGE_WEIGHT_SECTION":
        if kind != "EXPLICIT":
            raise spec.fail(
                lineno, f"EDGE_WEIGHT_SECTION goes with EDGE_WEIGHT_TYPE EXPLICIT, not {kind}"
            )
        if dimension > MAX_EXPLICIT:
            raise spec.fail(
                lineno,
                f"EDGE_WEIGHT_SECTION: DIMENSION {dimension} is over the limit of "
                f"{MAX_EXPLICIT} cities for an EXPLICIT matrix",
            )
        return _Weights(spec, form, dimension)
    if section == "DISPLAY_DATA_SECTION" and kind != "EXPLICIT":
        raise spec.fail(
            lineno, f"DISPLAY_DATA_SECTION is read with EDGE_WEIGHT_TYPE EXPLICIT only, not {kind}"
        )
    return _Nodes(spec, section, dimension)


def _finish(instance: Instance, reading: _Nodes | _Weights, lineno: int) -> None:
    if isinstance(reading, _Weights):
        instance.distances = reading.complete(lineno)
    else:
        instance.coordinates = reading.complete(lineno)


def read_tour(path: Any, dimension: int | None = None) -> list[int]:
    """Read a TSPLIB ``.tour`` file (``TOUR_SECTION``) as a 0-based tour list.

    The tour must list each city ``1 .. n`` once, where ``n`` is `dimension` when given (the
    instance's), else the file's ``DIMENSION``, else the number of cities listed; it ends with
    ``-1``, ``EOF`` or the end of the file. Any other content is refused with a
    :class:`ValueError` naming the file and the line.
    """
    if dimension is not None:
        if (
            isinstance(dimension, bool)
            or not isinstance(dimension, numbers.Integral)
            or not 1 <= dimension <= MAX_CITIES
        ):
            raise ValueError(
                f"read_tour: dimension must be an integer from 1 to {MAX_CITIES}, got {dimension!r}"
            )
        dimension = int(dimension)
    name, lines = read_lines(path, "read_tour")
    spec = _Spec(name)
    tour: list[int] = []
    seen: dict[int, int] = {}
    state = "header"  # then "tour", then "done" (after -1)
    limit = dimension
    last = lines[-1][0]
    for lineno, raw in lines:
        text = raw.strip()
        if not text:
            continue
        if text == "EOF":
            last = lineno
            break
        if state == "header":
            if _section(text) == "TOUR_SECTION":
                state = "tour"
                continue
            if _section(text) is not None:
                raise spec.fail(lineno, f"expected TOUR_SECTION, got {_quote(text)}")
            spec.add(lineno, text)
            key = text.partition(":")[0].strip().upper()
            value = spec.values.get(key, "")
            if key == "TYPE" and value != "TOUR":
                raise spec.fail(lineno, f"TYPE must be TOUR, got {_quote(value)}")
            if key == "DIMENSION":
                size = _dimension(spec, lineno, value)
                if dimension is not None and size != dimension:
                    raise spec.fail(
                        lineno, f"DIMENSION is {size}, but the instance has {dimension} cities"
                    )
                limit = size
            elif key not in ("NAME", "TYPE", "COMMENT"):
                raise spec.fail(lineno, f"{key} does not belong in a tour file")
            continue
        for token in text.split():
            if state == "done":
                raise spec.fail(lineno, f"a second tour after -1 (got {_quote(token)})")
            if token == "-1":
                state = "done"
                continue
            if not _INTEGER.fullmatch(token) or len(token) > 9:
                raise spec.fail(lineno, f"expected a city number, got {_quote(token)}")
            city = int(token)
            bound = limit if limit is not None else MAX_CITIES
            if not 1 <= city <= bound:
                what = "DIMENSION" if limit is not None else "the limit"
                raise spec.fail(lineno, f"city {city} is outside 1..{bound} ({what})")
            if city in seen:
                raise spec.fail(lineno, f"city {city} appears twice (first on line {seen[city]})")
            seen[city] = lineno
            tour.append(city - 1)
    if state == "header":
        raise spec.fail(last, "the file ends without a TOUR_SECTION")
    n = limit if limit is not None else len(tour)
    if len(tour) != n or not tour or any(k not in seen for k in range(1, n + 1)):
        missing = next((k for k in range(1, n + 1) if k not in seen), 1)
        raise spec.fail(
            last, f"the tour lists {len(tour)} cities, not {n} (city {missing} is missing)"
        )
    return tour
