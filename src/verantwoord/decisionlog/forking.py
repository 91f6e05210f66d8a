"""Making the items of a generator in a forked child process, for bulk uploads on two cores.

Preparing decision records (validation, pseudonyms, hashes, encryption) is pure Python and takes about as
long as the database takes to store them. Threads cannot overlap the two — Python's lock convoys between
a busy preparer and a driver that gives it up on every row — but a forked child can: it inherits
everything it needs (settings, keys, the input still unread) and sends back finished items, one at a time
and at most one ahead, since the pipe blocks until the parent takes the item. The child never touches
the database: the parent does all writing, so transactions and locks stay where they were.

Where the OS cannot fork (Windows, or macOS by default) :func:`can_fork` says so and callers stay in line.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import TypeVar

T = TypeVar("T")

_ITEM, _DONE, _ERROR = "item", "done", "error"


class PreparingProcessError(RuntimeError):
    """The child stopped without finishing and without an exception that could be sent back."""


def can_fork() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def made_in_child(produce: Callable[[], Iterator[T]]) -> Iterator[T]:
    """The items of ``produce()``, made in a forked child, in order. An exception in the child is raised
    here, after the items before it; closing this generator early stops the child.

    A bare fork, not ``multiprocessing.Process``, which would close standard input in the child: the
    command line's records come from there.
    """
    receiver, sender = multiprocessing.Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            receiver.close()  # else the pipe would stay open for reading here, and never break when the parent stops
            code = _child(produce, sender)
        finally:
            os._exit(code)  # never back into the parent's code, nor its cleanup (database connection, files)
    sender.close()
    try:
        while True:
            try:
                kind, value = receiver.recv()
            except EOFError:
                raise PreparingProcessError(
                    f"the preparing process ended without an answer (exit code {_wait(pid, None)})"
                ) from None
            if kind == _DONE:
                return
            if kind == _ERROR:
                raise value
            yield value
    finally:
        receiver.close()  # a child still sending gets a broken pipe and ends
        if _wait(pid, STOP_TIMEOUT) is None:
            os.kill(pid, signal.SIGKILL)
            _wait(pid, None)


STOP_TIMEOUT = 5.0


def _wait(pid: int, timeout: float | None) -> int | None:
    """The child's exit code (negative: the signal that ended it), or None if it still runs at the timeout."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            done, status = os.waitpid(pid, 0 if deadline is None else os.WNOHANG)
        except ChildProcessError:
            return 0  # already reaped
        if done:
            return os.waitstatus_to_exitcode(status)
        if deadline is not None and time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def _child(produce: Callable[[], Iterator[object]], sender: Connection) -> int:
    try:
        for item in produce():
            sender.send((_ITEM, item))
        sender.send((_DONE, None))
        return 0
    except BrokenPipeError:
        return 0  # the parent stopped listening
    except BaseException as error:  # raised again in the parent, which owns the outcome
        try:
            sender.send((_ERROR, error))
        except (pickle.PicklingError, TypeError, AttributeError):
            sender.send((_ERROR, PreparingProcessError(f"{type(error).__name__}: {error}")))
        return 1
    finally:
        sender.close()
