"""Every call to Procountor passes the one request limiter the host lends.

Procountor allows 20 requests per second per API client ("exceeding the limit may result in
suspending the service for the API client"; a second copy of the page says 60 per second in
production, docs/procountor-api.md §6). The limit counts the *client*, so it spans every worker
process and machine of the host: only the host can keep it, and it lends one
:class:`~nmbrs_hookspecs.protocols.RequestLimiter` for that. This module binds that limiter to
the account's API client (:class:`Pacer`); the client, its retries, the token endpoint and the
logout all wait on it before each request, and a 429 pauses the whole client, not one request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Final

from nmbrs_hookspecs.errors import LimiterUnavailable
from nmbrs_hookspecs.protocols import Admission, PluginHost, RequestLimiter
from nmbrs_hookspecs.types import ProviderConfig, RequestRate
from nmbrs_procountor_plugin.api.environment import Endpoints
from nmbrs_procountor_plugin.api.errors import ProcountorUnavailable

# The documented limit per environment (docs/procountor-api.md §6). Both copies of the page give
# 20/s for the test server; only one gives 60/s for production, so 20 is the safe default and a
# host that has Procountor's word for more sets ProviderConfig.requests_per_second.
DOCUMENTED_LIMITS: Final = {"production": 20.0, "test": 20.0, "custom": 20.0}

# Procountor does not document its over-limit answer (docs/procountor-api.md §6): a 429 without a
# usable Retry-After pauses the client for one window.
DEFAULT_PAUSE_SECONDS: Final = 1.0


def request_rate(config: ProviderConfig, urls: Endpoints) -> RequestRate:
    """The limit of this API client at this environment; the key is shared by all its accounts."""
    per_second = config.requests_per_second or DOCUMENTED_LIMITS[config.environment]
    return RequestRate.per_second(f"procountor:{urls.base_url}:{config.client_id}", per_second)


@dataclass(frozen=True)
class Pacer:
    """The host's limiter bound to one API client's rate.

    Each thread has at most one request out at a time, so the pacer keeps that request's
    admission per thread and tells the limiter when its answer came (:meth:`answered`): a request
    that reached Procountor late is then counted from its answer, not its admission
    (:class:`~nmbrs_hookspecs.protocols.Admission`).
    """

    limiter: RequestLimiter
    rate: RequestRate
    _out: threading.local = field(default_factory=threading.local, init=False, repr=False, compare=False)

    def wait(self) -> float:
        """Block until the next request to Procountor may go out; the seconds waited.

        A limiter the host cannot reach means the request is not sent: that surfaces as
        :class:`ProcountorUnavailable` (certainly not sent), so an export reports what it booked
        before and a rerun finishes the rest, as after any other outage.
        """
        self.answered()  # this thread's previous request has its answer, or it would not be here
        try:
            admission = self.limiter.acquire(self.rate)
        except LimiterUnavailable as exc:
            raise ProcountorUnavailable(
                f"not sent: {exc}", uncertain=False, reason="limiter", call=type(exc).__name__
            ) from None
        self._out.admission = admission
        return admission.waited

    def answered(self) -> None:
        """The answer to this thread's request out (if any) arrived, or the request failed."""
        admission: Admission | None = getattr(self._out, "admission", None)
        if admission is not None:
            self._out.admission = None
            admission.answered()

    def refused(self, retry_after: float | None) -> None:
        """Procountor answered 429: hold every worker of this client for ``Retry-After``."""
        try:
            self.limiter.pause(self.rate, retry_after if retry_after is not None else DEFAULT_PAUSE_SECONDS)
        except LimiterUnavailable as exc:
            raise ProcountorUnavailable(
                f"429 not shared: {exc}", uncertain=False, reason="limiter", call=type(exc).__name__
            ) from None


def pacer_for(host: PluginHost, config: ProviderConfig, urls: Endpoints) -> Pacer:
    """The pacer of the configured API client, on the limiter ``host`` lends."""
    return Pacer(host.request_limiter, request_rate(config, urls))
