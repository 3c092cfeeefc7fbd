"""Scripted failures, so clients can be tested against the outages Procountor really has.

Faults are matched before anything else (they stand for the network and the gateway in front
of Procountor) and are consumed one request at a time.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

# http_401: the gateway refuses a token it does not know yet (a race right after issuing it).
FAULT_KINDS = ("http_500_html", "http_503", "http_429", "http_401", "delay", "reset", "commit_then_drop")
COMMIT_PATH = "/api/ledgerreceipts"


@dataclass
class Fault:
    method: str
    path: str
    kind: str
    remaining: int
    retry_after: int | None = None
    delay: float | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method not in ("*", method.upper()):
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        method: str,
        path: str,
        kind: str,
        count: int = 1,
        *,
        retry_after: int | None = None,
        delay: float | None = None,
    ) -> Fault:
        """Validate eagerly: a typo in a test's fault must fail the test, not silently no-op."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {FAULT_KINDS}")
        if not isinstance(method, str) or not method:
            raise ValueError("method must be an HTTP method or '*'")
        if not isinstance(path, str) or not path.startswith("/"):
            raise ValueError("path must start with '/'")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError("count must be a positive integer")
        # retry_after and delay are ignored by kinds that do not use them, so one
        # parametrised test can pass the same arguments to every kind.
        if kind == "delay":
            if delay is None or isinstance(delay, bool) or not isinstance(delay, (int, float)):
                raise ValueError("a 'delay' fault needs delay=<seconds>")
            if delay < 0:
                raise ValueError("delay must not be negative")
        else:
            delay = None
        if kind in ("http_503", "http_429"):
            retry_after = 1 if retry_after is None else retry_after
            if isinstance(retry_after, bool) or not isinstance(retry_after, int) or retry_after < 0:
                raise ValueError("retry_after must be a non-negative integer")
        else:
            retry_after = None
        if kind == "commit_then_drop" and (method.upper() != "POST" or path != COMMIT_PATH):
            raise ValueError(f"commit_then_drop only applies to POST {COMMIT_PATH}")
        fault = Fault(method.upper(), path, kind, count, retry_after, float(delay) if delay is not None else None)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
