"""The answers one process computes at once: one limit shared by the chat and the API.

Threads (the chat's handlers, which Gradio runs in worker threads) wait with `acquire` or
`hold`; the API's coroutines wait with `acquire_async`, on the event loop, so a request
waiting for its turn holds no worker thread (and never delays `/v1/health`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, suppress

from qa.errors import QAError

ANSWER_SLOTS = 4  # answers computed at once per process, across the chat and the API
SLOT_WAIT_S = 120.0  # how long a question waits for its turn before it is refused


class Busy(QAError):
    """Every answering slot stayed taken for the whole wait."""

    def __init__(self) -> None:
        super().__init__("the server is busy answering; try again shortly")


class AnswerSlots:
    """A counting semaphore that threads and coroutines (of any event loop) share."""

    def __init__(self, size: int = ANSWER_SLOTS) -> None:
        if size < 1:
            raise ValueError("at least one answering slot")
        self.size = size
        self._busy = 0
        self._waiting = 0
        self._changed = threading.Condition()
        self._waiters: dict[asyncio.Future[None], asyncio.AbstractEventLoop] = {}

    @property
    def busy(self) -> int:
        """Slots held now."""
        return self._busy

    @property
    def waiting(self) -> int:
        """Threads and coroutines waiting for a slot now."""
        return self._waiting

    def _take(self) -> bool:  # under self._changed
        if self._busy < self.size:
            self._busy += 1
            return True
        return False

    def acquire(self, timeout: float = SLOT_WAIT_S) -> bool:
        """Take a slot, waiting up to `timeout` seconds (a thread's wait)."""
        with self._changed:
            if self._take():
                return True
            self._waiting += 1
            try:
                return self._changed.wait_for(self._take, timeout)
            finally:
                self._waiting -= 1

    async def acquire_async(
        self,
        timeout: float = SLOT_WAIT_S,
        abandoned: Callable[[], Awaitable[bool]] | None = None,
        check_every_s: float = 1.0,
    ) -> bool:
        """Take a slot, waiting up to `timeout` seconds without holding a thread. While it
        waits, `abandoned()` (the client hung up?) is asked every `check_every_s` seconds;
        False when the time ran out or the wait was abandoned."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        with self._changed:
            if self._take():
                return True
            self._waiting += 1
        try:
            while True:
                with self._changed:
                    if self._take():
                        return True
                    woken: asyncio.Future[None] = loop.create_future()
                    self._waiters[woken] = loop
                try:
                    remaining = deadline - loop.time()
                    if remaining <= 0:
                        return False
                    await asyncio.wait_for(woken, min(remaining, check_every_s))
                except TimeoutError:
                    if abandoned is not None and await abandoned():
                        return False
                finally:
                    with self._changed:
                        self._waiters.pop(woken, None)
        finally:
            with self._changed:
                self._waiting -= 1

    def release(self) -> None:
        with self._changed:
            if self._busy <= 0:
                raise ValueError("release of an answering slot that was not held")
            self._busy -= 1
            self._changed.notify_all()
            waiters = list(self._waiters.items())
        for woken, loop in waiters:  # each tries again; those that find none wait again
            with suppress(RuntimeError):  # its loop has closed
                loop.call_soon_threadsafe(_wake, woken)

    @contextmanager
    def hold(self, timeout: float = SLOT_WAIT_S) -> Iterator[None]:
        """A slot for the duration of the block; `Busy` when none came in `timeout`."""
        if not self.acquire(timeout):
            raise Busy()
        try:
            yield
        finally:
            self.release()


def _wake(woken: asyncio.Future[None]) -> None:
    if not woken.done():
        woken.set_result(None)
