"""The bulk demo build on two processes: one plans and converts the rows, this one stores them.

The generator is Python from end to end (planning each ticket, its rows, the driver's
records) and the database driver needs Python's interpreter lock too for every value it
binds: with the writing thread of :class:`demo_bulk.FastInserts` alone, the two share one
core's worth of Python. :func:`generate` forks a process that runs the demo writer (the same
planner and generator state, so the same rows, ids included) with the writer's ``insert``
handing each table's converted records through a pipe; this process receives them and
stores them from the writing thread as before, and reports progress as the batches arrive.

Only where ``fork`` is the platform's way to start a process (Linux, :func:`available`) and
this process runs no other thread (:func:`alone`); the build runs in one process otherwise. The forked process
never touches the database or its connections (inherited, unused) and ends with
``os._exit`` (``multiprocessing`` does), so nothing of this process's state is closed twice.
An error in it reaches the build with its traceback; if the build stops (an error here, a
``progress`` that raises to cancel, no word from it for :data:`SILENCE_S`), the forked process
is ended.
"""

from __future__ import annotations

import copyreg
import io
import multiprocessing
import os
import pickle
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Self

from helpdesk_desktop.services.demo_bulk import FastInserts, Fill
from helpdesk_desktop.services.demo_writer import DemoWriter

Batches = Sequence[tuple[Sequence[float], Sequence[str]]]
#: How long the build waits for a word from the generating process (it sends one per batch of
#: a few hundred tickets, well under a second each) before ending it. A process forked beside
#: other threads can block for good on a lock one of them held at the fork (seen once under a
#: parallel test run, cause not found): the build then fails with a sentence, never hangs.
SILENCE_S = 120.0


def available() -> bool:
    """Whether the build can fork a generating process here."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def alone() -> bool:
    """Whether this process runs no other thread (Qt's and a driver's included): only then
    does the build fork. A process forked beside threads can block for good on a lock one of
    them held at the fork (seen twice in test processes full of Qt's threads); the program's
    own demo builds run beside its window's threads, the command line's and the benchmark's
    alone."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def generate(writer: DemoWriter, fast: FastInserts, batches: Batches, inbox_conversations: int,
             progress: Callable[[int], None] | None = None) -> None:
    """Write ``batches`` of tickets (ages, kinds) then ``inbox_conversations`` with ``writer``
    planned in a forked process, the rows stored here by ``fast`` (its thread);
    ``progress(done)`` after each batch of tickets planned. ``writer.counts`` is updated."""
    fast.open()  # the ids to hand out, read before the fork
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_generate_here, name="demo-generate", daemon=True,
                            args=(writer, fast, batches, inbox_conversations, send, receive))
    with warnings.catch_warnings():  # Python 3.12 warns of a fork beside threads
        warnings.simplefilter("ignore", DeprecationWarning)
        child.start()
    send.close()  # so that the child's end, when it ends, is the end of the pipe
    try:
        while True:
            if not receive.poll(SILENCE_S):
                raise RuntimeError("the demo generating process stopped answering "
                                   f"(nothing for {SILENCE_S:.0f} s)")
            try:
                message = pickle.loads(receive.recv_bytes())
            except EOFError:
                child.join()
                raise RuntimeError("the demo generating process stopped "
                                   f"(exit code {child.exitcode})") from None
            kind = message[0]
            if kind == "rows":
                fast.store(message[1], message[2], message[3])
            elif kind == "progress":
                if progress is not None:
                    progress(message[1])
            elif kind == "done":
                writer.counts.update(message[1])
                break
            else:
                raise RuntimeError(f"the demo generating process failed:\n{message[1]}")
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()


class _NoTransaction:
    """A batch's "session" in the generating process: the rows only pass through it."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def commit(self) -> None:
        return None


def _generate_here(writer: DemoWriter, fast: FastInserts, batches: Batches,
                   inbox_conversations: int, send: Connection, receive: Connection) -> None:
    """The forked process: plan and convert, send the records."""
    # The pipe's reading end came with the fork. Held here, it would keep the pipe open after
    # the build's process is killed: this process would block for good on a full pipe. Closed,
    # its next write fails (broken pipe) and it ends.
    receive.close()
    try:
        def sink(sql: str, records: list[tuple[Any, ...]], fill: Fill) -> None:
            send.send_bytes(_dumps(("rows", sql, records, fill)))

        fast.sink = sink
        writer.transaction = _NoTransaction
        done = 0
        for ages, kinds in batches:
            writer.write_tickets(ages, kinds)
            done += len(ages)
            send.send_bytes(_dumps(("progress", done)))
        writer.write_inbox_conversations(inbox_conversations)
        send.send_bytes(_dumps(("done", writer.counts)))
    except BaseException:  # reported with its traceback, then this process ends  # noqa: BLE001
        try:
            send.send_bytes(_dumps(("error", traceback.format_exc())))
        except OSError:
            pass  # the build stopped reading
    finally:
        send.close()


def _dumps(message: tuple[Any, ...]) -> memoryview:
    """``message`` pickled; binary values (SQLite's driver takes them as ``memoryview``,
    which does not pickle) as ``bytes``."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(message)
    return buffer.getbuffer()


def _memoryview_as_bytes(view: memoryview) -> tuple[type[bytes], tuple[bytes]]:
    return bytes, (view.tobytes(),)


_DISPATCH = {**copyreg.dispatch_table, memoryview: _memoryview_as_bytes}
