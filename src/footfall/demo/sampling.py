"""Weighted random choice, the one sampling primitive the simulation is built on."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class WeightedChoice(Generic[T]):
    """Weighted choice with one ``random()`` call and a bisect.

    Called with the generator's ``random`` method rather than holding a
    :class:`random.Random`, so one table can serve every simulation.
    """

    __slots__ = ("cum", "items", "last", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        items: list[T] = []
        cum: list[float] = []
        acc = 0.0
        for item, weight in pairs:
            if weight > 0:
                acc += weight
                items.append(item)
                cum.append(acc)
        if not items:
            raise ValueError("no positive weight")
        self.items = items
        self.cum = cum
        self.total = acc
        self.last = len(items) - 1  # bisect's upper bound: float rounding never overshoots

    def __call__(self, rnd: Callable[[], float]) -> T:
        return self.items[bisect(self.cum, rnd() * self.total, 0, self.last)]


def zipf(items: Sequence[T], s: float) -> WeightedChoice[T]:
    """Choice among `items` given in popularity order, weight ``1 / rank**s``."""
    return WeightedChoice([(it, 1.0 / (i + 1) ** s) for i, it in enumerate(items)])
