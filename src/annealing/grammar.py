"""The schedule grammar: text such as ``Warmup(Cosine(0.1, 0.0, 900), warmup=100)`` read safely.

Every place where a string becomes a schedule (the ``annealing`` command, the plot markers of
the docs, the explorer's code) goes through :func:`parse`. Nothing is evaluated: the text is
tokenized, checked, parsed with :mod:`ast` and built from a fixed table of constructors.

The grammar is a small part of Python's expression syntax::

    schedule  := callee "(" [argument ("," argument)* [","]] ")"
    callee    := [("an" | "annealing") "."] NAME                 # Cosine, SGDR, Warmup, ...
               | [("an" | "annealing") "."] "compat." FW "." NAME  # compat.torch.StepLR, ...
    argument  := value | NAME "=" value
    value     := schedule | number | ["-" | "+"] number | string | True | False | None
               | "(" [value ("," value)* [","]] ")" | "[" [value ("," value)*] "]"
               | "{" [key ":" value ("," key ":" value)*] "}"          # key: a string or number

NAME is a public schedule of :mod:`annealing` (a :class:`~annealing.Schedule` class of
``annealing.__all__``, :func:`~annealing.SGDR`, :class:`~annealing.units.Timed`, or a class
that :mod:`annealing.compat` registers: ``CyclicMomentum``, ``TimmWSD``); FW is one
of the modules of :mod:`annealing.compat` and NAME one of its functions (dicts are there for optax's
``piecewise_constant_schedule`` and ``sgdr_schedule``). Nothing else is read: no other names,
no attribute access, no subscripts, no operators (a sign is part of a number), no
comprehensions, lambdas or f-strings, and no escape in a string that Python does not define
(such as ``\\_``, which Python itself only warns of).

Limits, checked before anything is built: :data:`MAX_LENGTH` characters, :data:`MAX_DEPTH` levels
of brackets, :data:`MAX_NODES` syntax nodes, numbers of at most :data:`MAX_DIGITS` characters; a
number must be finite, and a non-zero number must not round to zero.

The JSON of :meth:`Schedule.to_dict` (text that starts with ``{``) is read with
:func:`~annealing.from_dict`: at most :data:`MAX_JSON_LENGTH` characters, and no NaN, infinity,
huge integers or repeated keys.

>>> from annealing import parse
>>> parse("Warmup(Cosine(0.1, 0.0, 900), warmup=100)")
Warmup(schedule=Cosine(start=0.1, end=0.0, steps=900), warmup=100)
>>> parse("Cosine._scalar")
Traceback (most recent call last):
...
ValueError: schedule: column 1: attribute access is not allowed: Cosine._scalar
"""

from __future__ import annotations

import ast
import functools
import io
import json
import keyword
import math
import re
import sys
import token
import tokenize
import types
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from .schedule import Schedule, from_dict

MAX_LENGTH = 10_000
"""The longest text read, in characters."""
MAX_JSON_LENGTH = 1_000_000
"""The longest JSON read (written by a program: a long Piecewise is long), in characters."""
MAX_DEPTH = 32
"""The deepest nesting of brackets (calls, tuples, lists, dicts)."""
MAX_NODES = 5_000
"""The most syntax nodes (names, numbers, calls, ...) in one text."""
MAX_DIGITS = 330
"""The longest number, in characters (a float's ``repr`` has at most 24; an integer within
float range at most 309 digits)."""

COMPAT = ("torch", "optax", "keras", "transformers", "timm")
_PREFIXES = ("annealing.", "an.")
# A sign may follow these (or the start of the text): anywhere else it would be an operator.
_BEFORE_SIGN = {"(", "[", "{", ",", "=", ":"}
_OPS = {"(", ")", "[", "]", "{", "}", ",", "=", ":", ".", "-", "+"}
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CONSTANTS = {"True", "False", "None"}
_DOTTED = {"an", "annealing", "compat"}
_FLOAT_MAX = sys.float_info.max
_SKIP = {token.NEWLINE, token.NL, token.INDENT, token.DEDENT, token.ENDMARKER}


def parse(text: str) -> Schedule:
    """Read one schedule from `text`, safely: nothing in it is run as Python.

    `text` is either a call such as ``Warmup(Cosine(0.1, 0.0, 900), warmup=100)`` or the JSON
    of :meth:`Schedule.to_dict` (text starting with ``{``, read by :func:`from_dict`). A call
    names a schedule of the library (``Cosine``, ``SGDR``, ..., optionally ``an.Cosine``) or a
    function of :mod:`annealing.compat` (``compat.torch.StepLR``); its arguments, by position
    or keyword, are numbers (a sign allowed), strings, ``True``, ``False``, ``None``, tuples,
    lists, dicts and other such calls. Nothing else: no other names, attribute access,
    subscripts, operators, comprehensions, lambdas or f-strings. Every ``repr`` of a schedule
    is such a call, and parses back to an equal schedule.

    Limits: 10,000 characters, 32 levels of brackets, 5,000 syntax nodes, numbers of at most
    330 characters; numbers must be finite, integers within float range (|n| <= 1.8e308).

    Raises :class:`ValueError` naming what is wrong, where (the column), with the offending
    part quoted, e.g. ``schedule: column 2: operator '/' is not allowed: 1/0``.

    >>> from annealing import parse, SGDR
    >>> parse("SGDR(eta_max=0.1, T_0=10, T_mult=2)") == SGDR(0.1, 10, 2)
    True
    >>> parse('{"format": 1, "type": "Constant", "value": 0.5}')
    Constant(value=0.5)
    """
    text = _check_text(text)
    if text.startswith("{"):
        return _from_json(text)
    tree = _tree(text)
    if isinstance(tree, ast.Tuple):
        _refuse(text, tree, "give one schedule, not several")
    return _schedule(text, tree)


def parse_several(text: str) -> tuple[Schedule, ...]:
    """Read one schedule, or several separated by commas (a tuple), from `text`.

    >>> parse_several("Cosine(1.0, 0.0, 10), Linear(1.0, 0.0, 10)")
    (Cosine(start=1.0, end=0.0, steps=10), Linear(start=1.0, end=0.0, steps=10))
    """
    text = _check_text(text)
    if text.startswith("{"):
        return (_from_json(text),)
    tree = _tree(text)
    if isinstance(tree, ast.Tuple):
        if not tree.elts:
            _refuse(text, tree, "give at least one schedule")
        return tuple(_schedule(text, node) for node in tree.elts)
    return (_schedule(text, tree),)


# ------------------------------------------------------------------------------- the callees


@functools.cache
def callees() -> Mapping[str, Callable[..., Schedule]]:
    """The fixed table of what the grammar can call: dotted name -> constructor (read-only)."""
    import importlib

    import annealing

    table: dict[str, Callable[..., Schedule]] = {}
    for name in annealing.__all__:
        value = getattr(annealing, name)
        if isinstance(value, type) and issubclass(value, Schedule) and value is not Schedule:
            table[name] = value
    table["SGDR"] = annealing.SGDR
    table["Timed"] = annealing.units.Timed  # a schedule of units, not in annealing.__all__
    for framework in COMPAT:
        module = importlib.import_module(f"annealing.compat.{framework}")
        for name in module.__all__:
            table[f"compat.{framework}.{name}"] = getattr(module, name)
    # annealing's own classes that compat registers (CyclicMomentum, TimmWSD): by the bare name
    # their repr uses, so parse(repr(s)) == s; never a class registered by the user's code
    from .schedule import _REGISTRY

    for name, cls in sorted(_REGISTRY.items()):
        if name not in table and cls.__module__.startswith("annealing.compat."):
            table[name] = cls
    return types.MappingProxyType(table)


def _callee_name(node: ast.expr) -> str | None:
    """``a.b.c`` as the string "a.b.c" when it is made of names only, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _lookup(text: str, node: ast.expr) -> Callable[..., Schedule]:
    dotted = _callee_name(node)
    if dotted is None:
        _refuse(text, node, "only a schedule name can be called")
    name = dotted
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    table = callees()
    if name in table:
        return table[name]
    if "." in name and not name.startswith("compat."):
        _refuse(text, node, "attribute access is not allowed")
    if name.startswith("compat."):
        known = sorted(n for n in table if n.startswith("compat."))
    else:
        known = sorted(n for n in table if not n.startswith("compat."))
    import difflib  # only on this error path: it is slow to import

    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    if name.startswith("compat."):
        listing = f"the compat modules are {', '.join(COMPAT)}"
    else:
        listing = f"the names are {', '.join(known)}"
    _refuse(text, node, f"unknown schedule {dotted!r} ({hint}{listing})")


# ------------------------------------------------------------------------------- checks


def _check_text(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(f"schedule: the text must be a str, got {type(text).__name__}")
    limit = MAX_JSON_LENGTH if text.lstrip()[:1] == "{" else MAX_LENGTH
    if len(text) > limit:
        kind = "JSON" if limit == MAX_JSON_LENGTH else "text"
        raise ValueError(
            f"schedule: the {kind} is {len(text)} characters long; at most {limit} are read"
        )
    stripped: str = text.strip()
    if not stripped:
        raise ValueError("schedule: the text is empty; write one such as Cosine(0.1, 0.0, 100)")
    if "\x00" in stripped:
        raise ValueError(f"schedule: column {stripped.index(chr(0)) + 1}: a NUL character")
    try:
        stripped.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate: bytes of argv that were not UTF-8
        part = stripped[max(0, error.start - 20) : error.start + 20]
        raise ValueError(
            f"schedule: column {error.start + 1}: not valid text (bytes that are not UTF-8?): "
            f"{part.encode('utf-8', 'backslashreplace').decode('utf-8')}"
        ) from None
    return stripped


def _tokens(text: str) -> None:
    """Refuse, from the tokens alone, what the grammar never has, before ``ast`` sees it.

    This bounds the depth of the syntax tree (brackets, signs, dotted names), so neither the
    parser nor the checks below can recurse without limit, and refuses operators, keywords and
    oversized numbers with the column where they are.
    """
    depth = 0
    previous: tokenize.TokenInfo | None = None
    chain: list[tokenize.TokenInfo] = []  # the dotted name being read
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            kind, string = tok.type, tok.string
            if kind in _SKIP:
                continue
            where = _where(text, tok.start[0], tok.start[1])
            if kind == token.OP and string not in _OPS:
                _refuse_at(where, f"operator {string!r} is not allowed", _around(text, tok))
            if kind == token.OP and string in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:
                    _refuse_at(
                        where, f"more than {MAX_DEPTH} levels of brackets", _around(text, tok)
                    )
            elif kind == token.OP and string in _OPEN.values():
                depth = max(0, depth - 1)
            elif kind == token.OP and string in "+-":
                after_value = previous is not None and not (
                    previous.type == token.OP and previous.string in _BEFORE_SIGN
                )
                if after_value:
                    _refuse_at(where, f"operator {string!r} is not allowed", _around(text, tok))
            elif kind == token.OP and string == ".":
                if previous is None or previous.type != token.NAME:
                    _refuse_at(where, "attribute access is not allowed", _around(text, tok))
            elif kind == token.NAME:
                if keyword.iskeyword(string) and string not in _CONSTANTS:
                    _refuse_at(where, f"{string!r} is not allowed", _around(text, tok))
                if previous is not None and previous.type == token.OP and previous.string == ".":
                    chain.append(tok)  # only an, annealing and compat have dotted names
                    if chain[0].string not in _DOTTED or len(chain) > 4:
                        _refuse_at(
                            _where(text, *chain[0].start),
                            "attribute access is not allowed",
                            ".".join(t.string for t in chain),
                        )
                else:
                    chain = [tok]
            elif kind == token.NUMBER:
                if len(string) > MAX_DIGITS:
                    _refuse_at(
                        where,
                        f"a number of {len(string)} characters; at most {MAX_DIGITS} are read",
                        string[:20] + "...",
                    )
            elif kind == token.STRING:
                bad = _bad_escape(string)
                if bad:  # refused here: Python only warns, and what it warns with varies
                    _refuse_at(where, f"invalid escape sequence '{bad}'", _around(text, tok))
            elif kind == token.COMMENT:
                _refuse_at(where, "comments are not allowed", string[:40])
            elif kind == token.ERRORTOKEN and not string.isspace():
                _refuse_at(where, f"unexpected character {string!r}", _around(text, tok))
            signed = previous is not None and previous.type == token.OP and previous.string in "+-"
            if signed and kind != token.NUMBER and (kind, string) != (token.OP, "("):
                assert previous is not None
                _refuse_at(
                    _where(text, *previous.start),
                    "a sign must be followed by a number",
                    _around(text, previous),
                )
            previous = tok
    except tokenize.TokenError:
        pass  # an unclosed bracket or string: ast says which, with its place


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _bad_escape(literal: str) -> str:
    """The first escape of a string literal that Python does not define, or ''."""
    prefix = literal[: len(literal) - len(literal.lstrip("rRbBuUfF"))].lower()
    if "r" in prefix:
        return ""
    known = "\n\\'\"abfnrtv01234567x" + ("" if "b" in prefix else "NuU")
    for escape in _ESCAPE.finditer(literal):
        if escape.group(1) not in known:
            return escape.group(0)
    return ""


def _tree(text: str) -> ast.expr:
    _tokens(text)
    try:
        module = ast.parse(text, mode="eval")
    except SyntaxError as error:
        line, column = error.lineno or 1, (error.offset or 1) - 1
        lines = text.splitlines() or [""]
        shown = lines[min(line, len(lines)) - 1]
        message = (error.msg or "invalid syntax").removeprefix("invalid syntax. ")
        raise ValueError(
            f"schedule: {_where(text, line, column)}: not valid syntax ({message}): {shown}"
        ) from None
    except (RecursionError, MemoryError, ValueError) as error:  # nothing the limits let through
        raise ValueError(f"schedule: the text cannot be read ({error})") from None
    nodes = sum(1 for _ in ast.walk(module))
    if nodes > MAX_NODES:
        raise ValueError(f"schedule: the text has {nodes} parts; at most {MAX_NODES} are read")
    return module.body


def _schedule(text: str, node: ast.expr) -> Schedule:
    if isinstance(node, (ast.Name, ast.Attribute)):
        _value(text, node)  # says what is wrong with it
    if not isinstance(node, ast.Call):
        _refuse(text, node, "the text must be a schedule such as Cosine(0.1, 0.0, 100)")
    value = _value(text, node)
    if not isinstance(value, Schedule):  # every callee gives one; a guard, not a path
        _refuse(text, node, f"this gives {type(value).__name__}, not a schedule")
    return value


def _value(text: str, node: ast.expr) -> Any:
    """The value of one node of the grammar, built bottom-up; anything else is refused."""
    if isinstance(node, ast.Constant):
        return _constant(text, node, node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = node.operand
        if not (isinstance(operand, ast.Constant) and _is_number(operand.value)):
            _refuse(text, node, "a sign must be followed by a number")
        number = _constant(text, operand, operand.value)
        return -number if isinstance(node.op, ast.USub) else number
    if isinstance(node, ast.Tuple):
        return tuple(_value(text, e) for e in node.elts)
    if isinstance(node, ast.List):
        return [_value(text, e) for e in node.elts]
    if isinstance(node, ast.Dict):
        out: dict[Any, Any] = {}
        for key, item in zip(node.keys, node.values, strict=True):
            if key is None:
                _refuse(text, item, "unpacking is not allowed")
            name = _value(text, key)
            if type(name) not in (str, int, float):
                _refuse(text, key, "dict keys must be strings or numbers")
            if name in out:
                _refuse(text, key, f"the key {name!r} is given twice")
            out[name] = _value(text, item)
        return out
    if isinstance(node, ast.Call):
        return _call(text, node)
    if isinstance(node, ast.Name):
        if node.id in ("inf", "nan", "infinity"):
            _refuse(text, node, "numbers must be finite")
        if node.id in callees() or node.id in ("an", "annealing"):
            _refuse(text, node, "a schedule must be called, with its arguments")
        _refuse(text, node, "names are not allowed (only calls of schedules)")
    if isinstance(node, ast.Attribute):
        _refuse(text, node, "attribute access is not allowed")
    _refuse(text, node, f"{_describe(node)} is not allowed")


def _call(text: str, node: ast.Call) -> Any:
    callee = _lookup(text, node.func)
    args = []
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            _refuse(text, arg, "unpacking is not allowed")
        args.append(_value(text, arg))
    kwargs = {}
    for kw in node.keywords:
        if kw.arg is None:
            _refuse(text, kw.value, "unpacking is not allowed")
        if kw.arg in kwargs:
            _refuse(text, kw, f"the argument {kw.arg} is given twice")
        kwargs[kw.arg] = _value(text, kw.value)
    try:
        return callee(*args, **kwargs)
    except RecursionError:
        _refuse(text, node, "too deeply nested")
    except (ValueError, TypeError, ArithmeticError) as error:
        message = str(error)
        if isinstance(error, TypeError):  # Python's own call check: "__init__() takes ..."
            name = _callee_name(node.func) or ""
            message = re.sub(r"^[\w.<>]*\(\) ", f"{name.split('.')[-1]}: ", message)
        _refuse(text, node, message, quote=False)


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def _constant(text: str, node: ast.Constant, value: Any) -> Any:
    if value is None or type(value) in (bool, str):
        return value
    if type(value) is int:
        if abs(value) > _FLOAT_MAX:  # exact: the token was at most MAX_DIGITS characters
            _refuse(text, node, "an integer outside float range (|n| <= 1.8e308)")
        return value
    if type(value) is float:
        if not math.isfinite(value):
            _refuse(text, node, "numbers must be finite")
        source = ast.get_source_segment(text, node) or ""
        mantissa = source.lower().split("e")[0]
        if value == 0.0 and any(c in "123456789" for c in mantissa):
            _refuse(text, node, "this number is too small: it would be read as 0.0")
        return value
    _refuse(text, node, f"{_describe(node)} is not allowed")


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return {complex: "a complex number", bytes: "a bytes literal"}.get(
            type(node.value), f"the constant {node.value!r}"
        )
    kinds = {
        ast.Lambda: "a lambda",
        ast.ListComp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.JoinedStr: "an f-string",
        ast.Subscript: "a subscript",
        ast.BinOp: "an operator",
        ast.BoolOp: "an operator",
        ast.Compare: "a comparison",
        ast.UnaryOp: "an operator",
        ast.Set: "a set",
        ast.IfExp: "a conditional",
        ast.Starred: "unpacking",
        ast.NamedExpr: "an assignment",
    }
    return next((v for k, v in kinds.items() if isinstance(node, k)), type(node).__name__)


# ------------------------------------------------------------------------------- JSON


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > 309:  # before int(), which is quadratic in the digits
        raise ValueError(f"an integer of {len(digits)} digits is outside float range")
    value = int(digits)
    if abs(value) > _FLOAT_MAX:
        raise ValueError(f"an integer outside float range (|n| <= 1.8e308): {digits[:30]}...")
    return value


def _json_float(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise ValueError(f"numbers must be finite, got {digits[:30]}")
    return value


def _json_constant(name: str) -> Any:
    raise ValueError(f"numbers must be finite, got {name}")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} is given twice")
        out[key] = value
    return out


def _from_json(text: str) -> Schedule:
    try:
        data = json.loads(
            text,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as error:
        raise ValueError(
            f"schedule: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    except RecursionError:
        raise ValueError("schedule: the JSON is nested too deeply") from None
    except ValueError as error:
        raise ValueError(f"schedule: not valid JSON: {error}") from None
    try:
        return from_dict(data)
    except RecursionError:
        raise ValueError("schedule: the JSON is nested too deeply") from None
    except (ValueError, TypeError, ArithmeticError) as error:
        raise ValueError(f"schedule: {error}") from None


# ------------------------------------------------------------------------------- messages


def _where(text: str, line: int, column: int) -> str:
    """ "column C" (1-based, in characters) or "line L, column C" for a text of several lines."""
    lines = text.splitlines() or [""]
    source = lines[min(max(line, 1), len(lines)) - 1]
    # ast counts columns in UTF-8 bytes
    chars = len(source.encode("utf-8")[:column].decode("utf-8", errors="ignore"))
    return f"column {chars + 1}" if len(lines) == 1 else f"line {line}, column {chars + 1}"


def _quote(part: str) -> str:
    part = " ".join(part.split())
    return part if len(part) <= 80 else part[:77] + "..."


def _around(text: str, tok: tokenize.TokenInfo) -> str:
    """The token with a little of what is on either side (the line it is on)."""
    line = tok.line.rstrip("\n")
    start, end = tok.start[1], tok.end[1] if tok.end[0] == tok.start[0] else len(line)
    return line[max(0, start - 20) : end + 20] or tok.string


def _refuse_at(where: str, message: str, part: str) -> NoReturn:
    raise ValueError(f"schedule: {where}: {message}: {_quote(part)}")


def _refuse(text: str, node: ast.AST, message: str, *, quote: bool = True) -> NoReturn:
    line, column = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
    where = _where(text, line, column)
    if not quote:
        raise ValueError(f"schedule: {where}: {message}")
    part = ast.get_source_segment(text, node) or ""
    raise ValueError(f"schedule: {where}: {message}: {_quote(part)}")
