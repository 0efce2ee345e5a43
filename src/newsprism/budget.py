"""Per-document budgets: a document gets so many seconds in the stages, and lines of bounded
length; past its time it is reported ("over the time budget") and the batch goes on.

One document must never stall a run, whatever engine runs it, so the time limit is enforced
three ways, each where it works:

- in a main thread (`--workers 1`, and each process-pool worker) a `setitimer` alarm raises
  `OverBudget` inside the stage (SIGALRM only reaches a main thread);
- in any other thread (Dask runs tasks in threads) a watchdog thread raises it asynchronously
  in the worker thread (`PyThreadState_SetAsyncExc`), between two Python instructions;
- stages may also call `check()` in long loops (the cheapest and most precise of the three).

None of these can stop C code that never returns to Python. In worker processes (never in the
caller) the watchdog therefore also stops the whole process once a document is
`hard_stop_grace` seconds past its budget; the engine's worker-death recovery (engine/base.py)
then reports that document and stores the rest of its batch.
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import signal
import threading
import time
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

REFIRE = 0.5  # seconds between repeated interrupts, in case a library swallowed one
EXIT_OVER_BUDGET = 75  # exit status of a worker stopped by the hard stop


class OverBudget(BaseException):  # noqa: N818 - it is a signal, not an error
    """Raised inside a stage when its document's time is up. A BaseException, like
    KeyboardInterrupt, so that a library's own `except Exception` does not swallow it."""


@dataclass(frozen=True)
class Budget:
    """What one document may use. `seconds` 0 means no time limit."""

    seconds: float = 20.0
    max_line_chars: int = 5000
    hard_stop_grace: float = 10.0

    @classmethod
    def default(cls) -> Budget:
        return _default()

    def with_seconds(self, seconds: float | None) -> Budget:
        return self if seconds is None else dataclasses.replace(self, seconds=float(seconds))

    def over_time(self, stage: str | None = None) -> str:
        """The reason reported for a document that ran out of time (in `stage`)."""
        where = f" in the '{stage}' stage" if stage else ""
        return f"over the time budget of {self.seconds:g} s{where}"


@cache
def _default() -> Budget:
    text = resources.files("newsprism.data").joinpath("budgets.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return Budget(
        seconds=float(data["time"]["seconds_per_document"]),
        max_line_chars=int(data["input"]["max_line_chars"]),
        hard_stop_grace=float(data["time"]["hard_stop_grace"]),
    )


_local = threading.local()
_hard_stop = False


def check() -> None:
    """Raise `OverBudget` when the current document's time is up (cheap: call it in loops)."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise OverBudget


def enable_hard_stop() -> None:
    """In a worker process: stop the process when a document is stuck past its budget."""
    global _hard_stop
    _hard_stop = True


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in another thread at its next Python instruction (None: cancel)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else ctypes.c_void_p(0))


class limit:  # noqa: N801 - used like a function: `with limit(20):`
    """The time budget of one document, as a context manager; `expired` tells afterwards."""

    def __init__(self, seconds: float, hard_stop_grace: float = 10.0):
        self.seconds = seconds
        self.grace = hard_stop_grace
        self.deadline = float("inf")
        self._alarm = False
        self._watched = False
        self.thread_id = threading.get_ident()
        self.fired = False
        self.next_fire = 0.0

    @property
    def expired(self) -> bool:
        return time.monotonic() > self.deadline

    @property
    def hard_deadline(self) -> float | None:
        return self.deadline + self.grace if _hard_stop else None

    def __enter__(self) -> limit:
        if self.seconds <= 0:
            return self
        self.deadline = self.next_fire = time.monotonic() + self.seconds
        _local.deadline = self.deadline
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            _Alarm.arm(self.seconds)
            self._alarm = True
        if not self._alarm or _hard_stop:
            _watchdog().add(self, interrupt=not self._alarm)
            self._watched = True
        return self

    def __exit__(self, *exc: object) -> None:
        # An interrupt may arrive while this runs: it is the budget's own, so try again (the
        # caller then sees `expired`, or the OverBudget raised in its stage).
        while True:
            try:
                _local.deadline = None
                if self._alarm:
                    _Alarm.disarm()
                    self._alarm = False
                if self._watched:
                    _watchdog().remove(self)
                    self._watched = False
                return
            except OverBudget:
                continue


class _Alarm:
    """SIGALRM for the main thread. Our handler is installed once and stays: a late signal
    finds it disarmed and does nothing (restoring the default handler would end the process)."""

    armed = False
    previous: object = None
    installed = False

    @classmethod
    def arm(cls, seconds: float) -> None:
        if not cls.installed:
            cls.previous = signal.signal(signal.SIGALRM, cls._handler)
            cls.installed = True
        cls.armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE)

    @classmethod
    def disarm(cls) -> None:
        cls.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)

    @classmethod
    def _handler(cls, signum, frame) -> None:
        if cls.armed:
            raise OverBudget
        if callable(cls.previous):
            cls.previous(signum, frame)


class _Watchdog:
    """One daemon thread per process: interrupts worker threads past their deadline and, in
    worker processes, stops the process when a document is stuck past its hard deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._limits: dict[int, limit] = {}
        threading.Thread(target=self._loop, name="newsprism-budget", daemon=True).start()

    def add(self, lim: limit, interrupt: bool) -> None:
        lim.next_fire = lim.deadline if interrupt else float("inf")
        with self._cond:
            self._limits[id(lim)] = lim
            self._cond.notify()

    def remove(self, lim: limit) -> None:
        with self._cond:
            self._limits.pop(id(lim), None)
            if lim.fired:  # an interrupt sent but not yet raised must not hit later code
                _async_raise(lim.thread_id, None)

    def _loop(self) -> None:
        while True:
            with self._cond:
                now = time.monotonic()
                wake = float("inf")
                for lim in self._limits.values():
                    hard = lim.hard_deadline
                    if hard is not None and now >= hard:
                        os._exit(EXIT_OVER_BUDGET)
                    if now >= lim.next_fire:
                        _async_raise(lim.thread_id, OverBudget)
                        lim.fired = True
                        lim.next_fire = now + REFIRE
                    wake = min(wake, lim.next_fire, hard if hard is not None else wake)
                self._cond.wait(None if wake == float("inf") else max(0.01, wake - now))


_WATCHDOG: tuple[int, _Watchdog] | None = None
_WATCHDOG_LOCK = threading.Lock()


def _watchdog() -> _Watchdog:
    """This process's watchdog (a forked child has none running: it starts its own)."""
    global _WATCHDOG
    with _WATCHDOG_LOCK:
        if _WATCHDOG is None or _WATCHDOG[0] != os.getpid():
            _WATCHDOG = (os.getpid(), _Watchdog())
        return _WATCHDOG[1]
