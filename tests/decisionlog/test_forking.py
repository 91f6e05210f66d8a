"""Items made in a forked child: order, exceptions, an early stop, a child that dies; and the counted
pause of the garbage collector that preparer and writer share."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from verantwoord.decisionlog.collector import collector_paused
from verantwoord.decisionlog.forking import PreparingProcessError, can_fork, made_in_child

pytestmark = pytest.mark.skipif(not can_fork(), reason="the OS cannot fork")


def test_items_arrive_in_order_from_another_process() -> None:
    parent = os.getpid()

    def produce() -> Iterator[tuple[int, int]]:
        for number in range(50):
            yield number, os.getpid()

    items = list(made_in_child(produce))
    assert [number for number, _pid in items] == list(range(50))
    assert {pid for _number, pid in items} != {parent}


def test_an_exception_in_the_child_is_raised_after_the_items_before_it() -> None:
    def produce() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("record 3 is broken")

    received = []
    with pytest.raises(ValueError, match="record 3 is broken"):
        for item in made_in_child(produce):
            received.append(item)
    assert received == [1, 2]


class UnpicklableError(Exception):
    def __init__(self) -> None:
        super().__init__("cannot travel")
        self.handle = threading.Lock()


def test_an_exception_that_cannot_be_sent_is_named() -> None:
    def produce() -> Iterator[int]:
        raise UnpicklableError()
        yield 0  # pragma: no cover — makes this a generator

    with pytest.raises(PreparingProcessError, match="UnpicklableError: cannot travel"):
        list(made_in_child(produce))


def test_a_child_that_dies_is_reported_not_waited_for() -> None:
    def produce() -> Iterator[int]:
        yield 1
        os._exit(3)

    items = made_in_child(produce)
    assert next(items) == 1
    with pytest.raises(PreparingProcessError, match="exit code 3"):
        next(items)


def test_stopping_early_ends_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    killed: list[int] = []
    kill = os.kill

    def recorded(pid: int, signal: int) -> None:
        killed.append(pid)
        kill(pid, signal)

    monkeypatch.setattr(os, "kill", recorded)

    def produce() -> Iterator[bytes]:
        while True:  # would run for ever: only the broken pipe stops it
            yield b"x" * 100_000

    items = made_in_child(produce)
    assert len(next(items)) == 100_000
    items.close()
    assert killed == []  # it ended by itself


def test_standard_input_stays_open_in_the_child() -> None:
    # multiprocessing.Process would close it, and `verantwoord log append` reads its records from there.
    script = (
        "import sys\n"
        "from verantwoord.decisionlog.forking import made_in_child\n"
        "print(list(made_in_child(lambda: iter(sys.stdin.buffer))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], input=b"line 1\nline 2\n", capture_output=True, timeout=60, check=True
    )
    assert result.stdout == b"[b'line 1\\n', b'line 2\\n']\n", result.stderr


def test_the_collector_pause_lasts_until_the_last_thread_is_done() -> None:
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def writer() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    with collector_paused():
        thread.start()
        inside.wait(5)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the writer still holds its pause
    release.set()
    thread.join()
    assert gc.isenabled()
