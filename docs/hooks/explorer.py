"""MkDocs hook: the schedule explorer's data files.

Writes into the site:

- ``javascripts/annealing/rosetta.json``: the frameworks' comparison table, family -> list of
  ``{"framework", "name", "code", "note", "equivalent", "conventions"}``, read from
  ``annealing/compat/rosetta.json`` (its ``families`` mapping; other shapes through
  ``annealing._docs.rosetta.load``); empty when that file does not exist.
- ``javascripts/annealing/loss-law.json``: the loss law the explorer draws beside the
  schedule, fitted here on two shipped runs of one model (:func:`loss_law`); not written when
  ``annealing.laws`` cannot be imported (numpy/scipy missing): the explorer then shows no
  prediction. Its ``peak`` is the highest peak rate of those runs: the explorer predicts the
  shape of a schedule at that rate (each curve's rates times ``peak`` / its own peak), and
  the rates as set only when every curve's peak lies within the runs' peaks.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from mkdocs.structure.files import File, Files

from annealing._docs import rosetta

ASSET = "javascripts/annealing/rosetta.json"
LAW_ASSET = "javascripts/annealing/loss-law.json"
#: the model whose runs the shipped law is fitted on (the 124M model of issue 13's anchor)
LAW_MODEL = "slimpajama-llama_norm-124M-bs200"
FIELDS = ("name", "code", "note", "equivalent")


def table() -> dict[str, list[dict[str, Any]]]:
    """The comparison table in the explorer's shape."""
    path = rosetta.table_path()
    data: Any = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    families = data.get("families") if isinstance(data, dict) else None
    if isinstance(families, dict) and all(isinstance(v, dict) for v in families.values()):
        out: dict[str, list[dict[str, Any]]] = {}
        for family, entries in families.items():
            rows = []
            for framework, entry in entries.items():
                if not isinstance(entry, dict) or not str(entry.get("code") or "").strip():
                    continue
                row: dict[str, Any] = {"framework": framework}
                row.update({key: str(entry.get(key) or "") for key in FIELDS})
                conventions = entry.get("conventions")
                row["conventions"] = {
                    k: str(v) for k, v in (conventions or {}).items() if v is not None
                }
                rows.append(row)
            if rows:
                out[family] = rows
        return out
    return {
        family: [{"framework": fw, "code": code, "note": note} for fw, code, note in rows]
        for family, rows in rosetta.load().items()
    }


@functools.lru_cache(maxsize=1)
def loss_law() -> dict[str, Any] | None:
    """The Tissue law fitted on two logged runs of :data:`LAW_MODEL`, as the benchmark pairs
    them (``benchmarks/bench_laws.py``): its longest constant run and its shortest cosine run.
    With the model and the runs it came from, for the label; None without ``annealing.laws``."""
    try:
        from annealing.laws import fit, logs
        from annealing.laws.law import TISSUE_DECAY
    except ImportError:
        return None
    runs = [r for r in logs() if r.model.name == LAW_MODEL]
    constant = max(
        (r for r in runs if r.schedule.kind == "wsd" and r.schedule.cooldown == 0),
        key=lambda r: r.schedule.steps,
    )
    cosine = min((r for r in runs if r.schedule.kind == "cosine"), key=lambda r: r.schedule.steps)
    law = fit([constant, cosine], "tissue")
    model = constant.model

    def described(run: Any) -> dict[str, Any]:
        c = run.schedule
        return {"kind": c.kind, "steps": c.steps, "peak": c.peak, "warmup": c.warmup}

    return {
        "law": law.to_dict(),
        "decay": TISSUE_DECAY,
        "model": {
            "name": model.name,
            "dataset": model.dataset,
            "architecture": model.architecture,
            "parameters": model.parameters,
            "batch_size": model.batch_size,
            "sequence_length": model.sequence_length,
        },
        "runs": [described(constant), described(cosine)],
        "peak": max(constant.schedule.peak, cosine.schedule.peak),
        "source": "Schaipp et al., ICML 2025, arXiv:2501.18965: the logs of its experiments",
    }


def _replace(files: Files, config: Any, path: str, content: str) -> None:
    existing = files.get_file_from_path(path)
    if existing is not None:
        files.remove(existing)
    files.append(File.generated(config, path, content=content))


def on_files(files: Files, config: Any) -> Files:
    _replace(files, config, ASSET, json.dumps(table(), indent=1, sort_keys=True))
    law = loss_law()
    if law is not None:
        _replace(files, config, LAW_ASSET, json.dumps(law, indent=1, sort_keys=True))
    return files
