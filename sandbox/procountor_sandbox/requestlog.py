"""Record of the traffic a client really sent, so tests can assert on retries and call order."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

# Status recorded when the sandbox deliberately sent no answer (reset / commit_then_drop).
NO_RESPONSE = 0


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: str
    status: int
    at: float
    client_id: str | None
    connection: int = 0
    """Which TCP connection carried the request (1, 2, ... in the order the sandbox accepted
    them; 0 = unknown): requests sharing a number came over one kept-alive connection."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    """Append-only list shared by request threads; its own lock keeps logging off the state lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[LoggedRequest] = []

    def add(self, item: LoggedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
