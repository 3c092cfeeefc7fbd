"""What leaves the plugin for the host: exceptions that hold no secret anywhere in their chain.

A ``ProblemError`` raised deep inside keeps, in ``__context__`` or ``__cause__``, whatever was
being handled: a requests exception with the request (a bearer token, a form body with the
client secret and refresh token), an authlib error with the answer. ``raise ... from None``
only hides that chain from printed tracebacks; it is still there for any host that logs
``exc.__context__`` or walks the chain. So every hookimpl passes through :func:`clean_boundary`:
a ``ProblemError`` leaves as a fresh one carrying only its problems, and any other exception (a
bug) leaves with its chain cut and no request or response attached.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from nmbrs_hookspecs.errors import ProblemError

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
# Attributes through which requests/urllib3/authlib exceptions reach a request or an answer.
_CARRIERS = ("request", "response", "_request", "_response")


def scrub(exc: BaseException) -> BaseException:
    """``exc`` without a chain and without a request or answer attached; returned for chaining."""
    dropped: list[str] = []
    link = exc.__cause__ or exc.__context__
    while link is not None and len(dropped) < 20:
        dropped.append(type(link).__name__)
        link = link.__cause__ or link.__context__
    if dropped:
        log.debug("dropped the chain of %s before it reached the host: %s", type(exc).__name__, dropped)
    exc.__cause__ = None
    exc.__context__ = None
    exc.__suppress_context__ = True
    for name in _CARRIERS:
        if getattr(exc, name, None) is not None:
            try:
                setattr(exc, name, None)
            except AttributeError:  # a read-only property: nothing we can drop
                continue
    return exc


def clean_boundary(hook: Callable[P, R]) -> Callable[P, R]:
    """Wrap a hookimpl so that what it raises carries nothing but the problems (or the bug)."""

    @functools.wraps(hook)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        problems = None
        try:
            return hook(*args, **kwargs)
        except ProblemError as refused:
            problems = refused.problems
        except Exception as bug:
            raise scrub(bug)  # noqa: B904 - the chain is what must not leave
        # Raised outside the except block: the new exception has no __context__.
        raise ProblemError(problems)

    return guarded
