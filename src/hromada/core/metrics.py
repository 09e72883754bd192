"""The metric registry: live values that apps offer to the action plan's indicators.

An app declares its providers in its own ``metrics.py`` with :func:`metric`; the
registry imports every ``hromada.<app>.metrics`` module on first use. An indicator
bound to a key is computed from live data and snapshotted daily.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

from hromada.core.discovery import import_app_modules


@dataclass(frozen=True)
class MetricProvider:
    key: str
    label: str | Promise
    unit: str | Promise
    compute: Callable[[], Decimal | float | int | None]

    def value(self) -> Decimal | None:
        raw = self.compute()
        return None if raw is None else Decimal(str(raw)).quantize(Decimal("0.01"))


_REGISTRY: dict[str, MetricProvider] = {}
_discovered = False


def metric(key: str, *, label: str | Promise, unit: str | Promise):
    """Decorator: register ``func`` as the provider of ``key`` (e.g. ``services.online_share``)."""

    def register(func: Callable[[], Decimal | float | int | None]):
        _REGISTRY[key] = MetricProvider(key=key, label=label, unit=unit, compute=func)
        return func

    return register


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    import_app_modules("metrics")
    _discovered = True


def providers() -> dict[str, MetricProvider]:
    _discover()
    return dict(sorted(_REGISTRY.items()))


def provider(key: str) -> MetricProvider | None:
    return providers().get(key)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, or None when there is nothing to measure."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))
