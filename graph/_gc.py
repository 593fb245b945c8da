"""Pause Python's cyclic garbage collector around steps that make many objects and no garbage."""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector off (as it was after).

    Reading stored records, linking, assembling and writing make millions of objects that live
    until the end, and no reference cycles: each full collection traverses all of them again,
    which took about a sixth of a rebuild of 10,000 documents. Reference counting still frees
    the rest. Never around spaCy, whose documents may hold cycles.

    What the block made is moved to the oldest generation when it ends (:func:`gc.freeze`, then
    :func:`gc.unfreeze`): left young, the collections that follow would traverse it all, once
    for each younger generation, and full collections would come sooner (1.5 s after the stored
    records of 10,000 documents were read). A full collection still frees any cycle in it.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()  # what the block made goes to the oldest generation, as if it had survived
            gc.unfreeze()  # the young ones' collections, next, need not traverse it all once more
            gc.enable()
