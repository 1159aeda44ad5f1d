r"""Plain text for page titles and the search index: no raw TeX, no notebook clutter.

A heading such as ``Choose $T$, $\eta_{\min}$ and the warmup`` renders (arithmatex) to
``Choose \(T\), \(\eta_{\min}\) and the warmup``, and that string would otherwise become
the browser tab's title, the navigation label and the search result's title. Notebook pages
add their input prompts (``In [2]:``), the copy button's ``Copied!`` and a second, flattened
copy of every code cell to the indexed text. :func:`plain_tex` and :func:`clean_index` turn
both into text a reader can scan.

>>> plain_tex(r"Choose \(T\), \(\eta_{\min}\) and the warmup")
'Choose T, η_min and the warmup'
>>> plain_tex(r"\(\eta_t = \eta_0 / \sqrt{1 + t/\tau}\)")
'η_t = η_0 / √(1 + t/τ)'
>>> plain_tex(r"\(\left(1+\cos\frac{\pi T_{cur}}{T_i}\right),\ T_i = T_0\,T_{mult}^{\,i}\)")
'(1+cos(π T_cur)/T_i), T_i = T_0 T_mult^i'
>>> plain_tex(r"update $\theta \leftarrow \theta - \eta_t g$ at a cost of $5")
'update θ ← θ - η_t g at a cost of $5'
>>> clean_text("In\xa0[2]: Copied! <pre>x = 1\n</pre> x = 1 More text.")
'<pre>x = 1\n</pre> More text.'
"""

from __future__ import annotations

import re
from typing import Any

_SYMBOLS = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "Delta": "Δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "Sigma": "Σ",
    "tau": "τ",
    "phi": "φ",
    "varphi": "φ",
    "omega": "ω",
    "xi": "ξ",
    "zeta": "ζ",
    "chi": "χ",
    "psi": "ψ",
    "Gamma": "Γ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Pi": "Π",
    "Phi": "Φ",
    "Omega": "Ω",
    "nabla": "∇",
    "partial": "∂",
    "leftarrow": "←",
    "gets": "←",
    "propto": "∝",
    "sim": "~",
    "cdot": "·",
    "times": "×",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "approx": "≈",
    "infty": "∞",
    "to": "→",
    "rightarrow": "→",
    "in": "∈",
    "pm": "±",
    "sum": "Σ",
    "ldots": "…",
    "dots": "…",
    "cdots": "…",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "lceil": "⌈",
    "rceil": "⌉",
    "mid": "|",
    "min": "min",
    "max": "max",
    "cos": "cos",
    "sin": "sin",
    "tanh": "tanh",
    "log": "log",
    "exp": "exp",
    "bmod": "mod",
    "quad": " ",
    "qquad": " ",
}
_MATH = re.compile(
    r"\\\((?P<a>.+?)\\\)|\\\[(?P<b>.+?)\\\]|\$\$(?P<c>.+?)\$\$"
    # notebooks keep Markdown's $...$ (KaTeX renders it in the browser)
    r"|(?<![\\$\w])\$(?P<d>[^$\s](?:[^$\n]{0,300}?[^$\s\\])?)\$(?![$\w])",
    re.DOTALL,
)
_FRAC = re.compile(r"\\[dt]?frac\s*(\{[^{}]*\}|\d)\s*(\{[^{}]*\}|\d)")
_WRAP = re.compile(r"\\(?:text|mathrm|mathbf|mathit|operatorname|boldsymbol)\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_NAME = re.compile(r"\\([A-Za-z]+)")
_SCRIPT = re.compile(r"([_^])\{([^{}]*)\}")


def _group(text: str) -> str:
    """The content of ``{...}`` (or a single digit), in brackets if it has several terms."""
    inner = text[1:-1] if text.startswith("{") else text
    return f"({inner})" if re.search(r"[\s+\-]", inner.strip()) else inner


def _math(tex: str) -> str:
    """One TeX formula as plain text."""
    text = re.sub(r"\\begin\{\w+\*?\}|\\end\{\w+\*?\}", " ", tex)
    text = text.replace("&", " ").replace("\\\\", " ")
    text = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)\b\s*", "", text)
    text = re.sub(r"\\[,;:! ]", " ", text)
    for _ in range(4):  # nested groups, from the inside out
        text = _WRAP.sub(r"\1", text)
        text = _SCRIPT.sub(lambda m: m.group(1) + m.group(2).strip(), text)
        text = _FRAC.sub(lambda m: f"{_group(m.group(1))}/{_group(m.group(2))}", text)
        text = _SQRT.sub(lambda m: f"√({m.group(1)})", text)
    text = _NAME.sub(lambda m: _SYMBOLS.get(m.group(1), m.group(1)), text)
    text = text.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def plain_tex(text: str) -> str:
    r"""``text`` with every ``\(...\)``, ``\[...\]`` and ``$$...$$`` formula as plain text."""
    return _MATH.sub(lambda m: _math(next(g for g in m.groups() if g is not None)), text)


_PROMPT = re.compile(r"(?:In|Out)\s*\[\s*\d*\s*\]:\s*")
_COPIED = re.compile(r"\bCopied!\s*")
_PRE = re.compile(r"<pre>(.*?)</pre>", re.DOTALL)


def _drop_echo(text: str) -> str:
    """Remove the flattened repeat of a code cell that follows its ``<pre>`` block."""
    out: list[str] = []
    last = 0
    for match in _PRE.finditer(text):
        if match.start() < last:
            continue
        target = re.sub(r"\s+", "", match.group(1))
        i, j = match.end(), 0
        while i < len(text) and j < len(target):
            if text[i].isspace():
                i += 1
            elif text[i] == target[j]:
                i, j = i + 1, j + 1
            else:
                break
        out.append(text[last : match.end()])
        last = i if target and j == len(target) else match.end()
    out.append(text[last:])
    return "".join(out)


def clean_text(text: str) -> str:
    """Indexed text without notebook prompts, copy-button labels, code echoes or raw TeX."""
    text = _COPIED.sub("", _PROMPT.sub("", text))
    return plain_tex(_drop_echo(text)).strip()


def clean_index(index: dict[str, Any]) -> dict[str, Any]:
    """Clean the titles and texts of a Material ``search_index.json`` document, in place."""
    for doc in index.get("docs", []):
        if isinstance(doc.get("title"), str):
            doc["title"] = plain_tex(doc["title"])
        if isinstance(doc.get("text"), str):
            doc["text"] = clean_text(doc["text"])
    return index
