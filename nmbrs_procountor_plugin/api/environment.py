"""Where Procountor lives for a host's configuration, and the rule that it is reached over HTTPS.

Procountor moved its test host twice (2023, 2025), so the host can name ``production``, ``test``
or an explicit base URL; plain ``http`` is accepted only on loopback (the embedded sandbox).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.types import ProviderConfig
from nmbrs_procountor_plugin.messages import problem

PRODUCTION_URL: Final = "https://api.procountor.com"
TEST_URL: Final = "https://pts-api.procountor.com"


@dataclass(frozen=True)
class Endpoints:
    """The URLs of one Procountor environment (login and logout sit at the host root)."""

    base_url: str
    # Procountor serves its API at /api and at versioned paths (/latest, /supported, /vYYMM);
    # the token endpoint stays at /api/oauth/token whichever is chosen (docs/procountor-api.md §1, §2).
    api_path: str = "/api"

    @property
    def api(self) -> str:
        return f"{self.base_url}{self.api_path}"

    @property
    def login(self) -> str:
        return f"{self.base_url}/login"

    @property
    def token(self) -> str:
        return f"{self.base_url}/api/oauth/token"

    @property
    def logout(self) -> str:
        return f"{self.base_url}/logout"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_secure(url: str, locale: str | None) -> None:
    """Refuse a URL that would send tokens in the clear (anything but https, except loopback)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return
    raise ProblemError([problem("procountor.config.insecure_url", locale, url=url, field="base_url")])


def endpoints(config: ProviderConfig, locale: str | None = None) -> Endpoints:
    """The endpoints of the configured environment, checked for transport security."""
    if config.environment == "production":
        base = PRODUCTION_URL
    elif config.environment == "test":
        base = TEST_URL
    else:
        base = (config.base_url or "").rstrip("/")
    require_secure(base, locale)
    require_secure(config.redirect_uri, locale)
    if urlsplit(config.redirect_uri).query:
        raise ProblemError(
            [
                problem(
                    "procountor.config.invalid",
                    locale,
                    reason="redirect_uri_query",
                    field="redirect_uri",
                )
            ]
        )
    return Endpoints(base, config.api_path)
