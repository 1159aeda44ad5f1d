"""Every major framework's schedulers, reproduced exactly as ``annealing`` schedules.

One module per framework, each a set of functions with the framework's own names and
argument names (plus ``lr`` where the framework reads the base rate from the optimizer):
:mod:`annealing.compat.torch`, :mod:`annealing.compat.optax`, :mod:`annealing.compat.keras`,
:mod:`annealing.compat.transformers` and :mod:`annealing.compat.timm`. None of them imports
its framework: they are arithmetic, checked against the real packages by ``tests/compat``.

The comparison table
--------------------
``annealing/compat/rosetta.json`` (package data; read it with
``importlib.resources.files("annealing.compat").joinpath("rosetta.json")``) says, for each
core family, which frameworks have it, under what name, with which conventions, and the
native code. Its schema (``format`` 1)::

    {
      "format": 1,
      "frameworks": {                      # "PyTorch", "optax", "Keras", "Transformers", "timm"
        "<framework>": {
          "package": "torch",              # the PyPI/import name
          "compat": "annealing.compat.torch",
          "binds": "scheduler",            # the name the code snippets bind: a PyTorch-style
                                           # "scheduler" (PyTorch, Transformers, timm) or a
                                           # callable "schedule" (optax, Keras)
          "tested_with": "2.13.0",         # the version the snippets and tests were run with
          "time": "what the step counts"
        }
      },
      "conventions": {"<key>": "what the key means"},   # past_end, warmup, first_step,
                                                         # floor_decay, boundary
      "families": {
        "<Family>": {                      # a name in annealing.__all__ (Cosine, Restarts, ...)
          "<framework>": {                 # only the frameworks that have it
            "name": "CosineAnnealingLR",   # the framework's own name (with the telling arguments)
            "code": "import torch\n...",   # native, runnable code binding `binds`
            "equivalent": "an.compat.torch.CosineAnnealingLR(lr=0.1, T_max=100, eta_min=0.001)",
                                           # a Python expression (with `an` = annealing) giving
                                           # the annealing schedule with the same values
            "steps": 300,                  # how many steps the test compares
            "note": "one sentence for the reader, or ''",
            "conventions": {"past_end": "rises again (period 2·T_max)", "warmup": null,
                            "first_step": "lr", "floor_decay": null, "boundary": "..."}
                                           # a string, or null where it does not apply
          }
        }
      }
    }

``tests/compat/test_rosetta.py`` checks the schema, runs every snippet against the real
framework and compares it with its ``equivalent``.
"""

from __future__ import annotations
