"""Login throttling: too many failures lock a user name, or a client address, for a while.

Each failed login counts against both the name tried and the address it came from.
``max_failures`` failures within ``window_seconds`` lock that key for ``lock_seconds``;
every further lock of the same key doubles, up to ``max_lock_seconds``.  While a key is
locked every attempt is refused (``LoginLocked``, HTTP 429 with Retry-After) before any
password is checked, the right one included, so guessing costs the server nothing.
A lock is temporary by design: a permanent one would let anyone shut a user out.

State lives in the server process's memory (a restart forgets it), bounded to
``max_keys`` entries: when full, idle entries go first, then the least recently used.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from footfall.errors import LoginLocked

DEFAULT_MAX_FAILURES = 5
DEFAULT_WINDOW_SECONDS = 15 * 60.0
DEFAULT_LOCK_SECONDS = 60.0
DEFAULT_MAX_LOCK_SECONDS = 60 * 60.0
DEFAULT_MAX_KEYS = 10_000


@dataclass(slots=True)
class _Record:
    failures: list[float] = field(default_factory=list)  # times within the window
    locks: int = 0  # locks so far: the next one lasts lock_seconds * 2**locks
    locked_until: float = 0.0
    seen: float = 0.0


class LoginThrottle:
    """Counts failed logins per user name and per client address; thread-safe."""

    def __init__(
        self,
        max_failures: int = DEFAULT_MAX_FAILURES,
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
        lock_seconds: float = DEFAULT_LOCK_SECONDS,
        max_lock_seconds: float = DEFAULT_MAX_LOCK_SECONDS,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.lock_seconds = lock_seconds
        self.max_lock_seconds = max(max_lock_seconds, lock_seconds)
        self.max_keys = max_keys
        self.clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _keys(name: str, address: str) -> tuple[str, str]:
        return "user:" + name.casefold(), "addr:" + address

    def check(self, name: str, address: str) -> None:
        """Raise ``LoginLocked`` if the name or the address is locked now."""
        now = self.clock()
        with self._lock:
            wait = max((self._records[k].locked_until - now for k in self._keys(name, address)
                        if k in self._records), default=0.0)  # fmt: skip
        if wait > 0:
            raise LoginLocked("too many failed logins: try again later", math.ceil(wait))

    def failed(self, name: str, address: str) -> bool:
        """Count a failure; True if it locked the name or the address."""
        now = self.clock()
        locked = False
        with self._lock:
            for key in self._keys(name, address):
                record = self._record(key, now)
                record.failures = [t for t in record.failures if now - t < self.window_seconds]
                record.failures.append(now)
                if len(record.failures) >= self.max_failures:
                    lock = min(self.lock_seconds * 2**record.locks, self.max_lock_seconds)
                    record.locked_until, record.failures = now + lock, []
                    record.locks += 1
                    locked = True
        return locked

    def succeeded(self, name: str) -> None:
        """The name's count starts again; the address's does not (it may guess other names)."""
        with self._lock:
            self._records.pop(self._keys(name, "")[0], None)

    def _record(self, key: str, now: float) -> _Record:
        record = self._records.get(key)
        if record is None:
            if len(self._records) >= self.max_keys:
                self._evict(now)
            record = self._records[key] = _Record()
        else:
            self._records.move_to_end(key)
            if now - record.seen > self.window_seconds and now >= record.locked_until:
                record.locks = 0  # quiet for a whole window: the next lock is short again
        record.seen = now
        return record

    def _evict(self, now: float) -> None:
        idle = [k for k, r in self._records.items()
                if now >= r.locked_until and now - r.seen > self.window_seconds]  # fmt: skip
        for key in idle:
            del self._records[key]
        while len(self._records) >= self.max_keys:
            self._records.popitem(last=False)

    def __len__(self) -> int:
        return len(self._records)
