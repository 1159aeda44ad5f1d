# The compiled scalar call (_speedups.c): the base type of annealing.Schedule where built.
NAMES: tuple[str, ...]

class Fast:
    def _speed(
        self,
        op: int,
        numbers: tuple[float, ...],
        kids: tuple[object, ...],
        tables: tuple[tuple[float, ...], ...],
    ) -> None: ...
    def _compiled(self) -> int: ...

def enable(cls: type[Fast]) -> None: ...
