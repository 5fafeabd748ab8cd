"""Bulk work on the catalogue (imports) announces itself so layers above can batch their own work.

The catalogue is the bottom layer and never imports search or anything above it; instead a part
that reacts to catalogue changes row by row (the search index) registers a context manager here,
and every importer runs inside `batch()`, e.g. in qoima/search/apps.py:

    from qoima.catalogue import batch
    batch.register(index.deferred)   # index each touched record once, at the end of the import
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager

_factories: list[Callable[[], ContextManager]] = []


def register(factory: Callable[[], ContextManager]) -> None:
    """Add a context manager factory entered around every bulk catalogue change (idempotent)."""
    if factory not in _factories:
        _factories.append(factory)


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Run a bulk change inside every registered context (use inside the import's transaction)."""
    with contextlib.ExitStack() as stack:
        for factory in list(_factories):
            stack.enter_context(factory())
        yield
