"""Pausing Python's cyclic garbage collector while batches of records are prepared and appended.

A batch of ten thousand records makes hundreds of thousands of objects that all live until it ends, so the
collector's passes over them free nothing and cost about 3 µs a record. Reference counting still frees
everything meanwhile. The pause is counted, so threads that prepare and append side by side (see
``services.decisions_append_batches``) keep it until the last of them is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = False


_pauses = _Pauses()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside; the collector is as it was once every pause has ended."""
    with _pauses.lock:
        if _pauses.count == 0:
            _pauses.was_enabled = gc.isenabled()
            gc.disable()
        _pauses.count += 1
    try:
        yield
    finally:
        with _pauses.lock:
            _pauses.count -= 1
            if _pauses.count == 0 and _pauses.was_enabled:
                gc.enable()
