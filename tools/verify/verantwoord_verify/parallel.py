"""Running an independent part of the checks on a second core, where the OS can fork.

Parsing every entry and payload as JSON and recomputing the tree take about the same time and
share nothing but the files already read, so a forked child does the former while the parent does
the latter. The child inherits the bundle's bytes (nothing is copied over a pipe) and sends back
only its findings. Without fork (Windows) the work simply runs in line; ``--jobs 1`` does not use it.
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
