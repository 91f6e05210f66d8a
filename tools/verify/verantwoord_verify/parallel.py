"""Running an independent part of the checks on a second core, where the OS can fork.

Parsing every entry as JSON takes longer than recomputing the tree and checking the payloads, and
the two share nothing but the files already read. A forked child parses entries while the parent
does the rest; then both take the entries that are left, a chunk at a time, from one shared counter,
so neither waits for the other however the cores and the entries differ. The child inherits the
bundle's bytes (nothing is copied over a pipe) and sends back only its findings. Without fork
(Windows) the work simply runs in line; ``--jobs 1`` does not use it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from .report import VerifyError

T = TypeVar("T")


class Pending(Generic[T]):
    """The result of work started by :func:`in_background`."""

    def __init__(self, result: Callable[[], T]) -> None:
        self._result = result

    def result(self) -> T:
        return self._result()


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Chunks:
    """The numbers 0 to count - 1, each handed out once, to whichever process asks first — across a fork:
    the counter lives in memory the forked child shares."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._next = multiprocessing.get_context("fork").Value("q", 0) if can_fork() else None
        self._local = 0

    def claim(self) -> int | None:
        """The next number nobody has taken, or None when all are taken."""
        if self._next is None:
            number, self._local = self._local, self._local + 1
        else:
            with self._next.get_lock():
                number = self._next.value
                self._next.value = number + 1
        return number if number < self.count else None


def in_background(work: Callable[[], T]) -> Pending[T]:
    """Run ``work`` in a forked child, or in line where the OS cannot fork."""
    if not can_fork():
        value = work()
        return Pending(lambda: value)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(work, sender), daemon=True)
    process.start()
    sender.close()

    def result() -> T:
        try:
            ok, value = receiver.recv()
        except EOFError:
            raise VerifyError("the background check ended without an answer") from None
        finally:
            process.join()
        if not ok:
            raise VerifyError(f"the background check failed: {value}")
        outcome: T = value
        return outcome

    return Pending(result)


def _child(work: Callable[[], object], sender: Connection) -> None:
    try:
        sender.send((True, work()))
    except Exception as error:  # reported by the parent, which owns the exit status
        sender.send((False, repr(error)))
    finally:
        sender.close()
