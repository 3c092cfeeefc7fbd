"""The exception that carries problems across the boundary.

Hooks that answer a value (a URL, an account status) cannot also return problems, so they raise
``ProblemError``. Its text is built from the problems' messages only, which never contain
secrets, so it is safe to log.
"""

from __future__ import annotations

from collections.abc import Iterable

from nmbrs_hookspecs.types import Problem


class ProblemError(Exception):
    """One or more problems that stop the requested action."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("ProblemError.problems: at least one problem is required")
        super().__init__("; ".join(f"{p.code}: {p.message}" for p in self.problems))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.problems)


class LimiterUnavailable(RuntimeError):
    """The host's request limiter cannot be reached (e.g. its Redis server is gone).

    Raised by the host's :class:`~nmbrs_hookspecs.protocols.RequestLimiter` *before* a request
    goes out, so nothing is sent without being counted; the message names where the limiter
    lives (a URL without credentials), so an operator knows what to bring back.
    """
