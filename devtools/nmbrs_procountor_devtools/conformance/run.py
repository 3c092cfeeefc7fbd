"""What one conformance run carries from check to check, and the grant calls every check shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import requests

from nmbrs_procountor_devtools.conformance.http import Probe
from nmbrs_procountor_plugin.api import exact_json


class KitError(RuntimeError):
    """The kit cannot go on (e.g. the grant it was given is refused); the message says why."""


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    refresh_token: str = field(repr=False)


@dataclass(frozen=True)
class Plan:
    """What the run may do. ``company`` is the company the user named for writes."""

    write: bool
    company: str | None
    # Sandbox only: put one tracking period into PENDING (year, month) so the check can run.
    make_pending: Callable[[int, int], None] | None = None
    today: date = field(default_factory=date.today)


@dataclass
class Run:
    """State carried between the checks; ``secrets`` are every live secret seen (for the leak check)."""

    probe: Probe
    credentials: Credentials
    plan: Plan
    access_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    company_id: str = ""
    company_name: str = ""
    writes_allowed: bool = False
    writes_note: str = ""
    created: list[int] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set, repr=False)

    def keep(self, *values: object) -> None:
        self.secrets.update(str(v) for v in values if isinstance(v, str) and v)


def answer_json(response: requests.Response) -> Any:
    try:
        return exact_json.loads(response.content)
    except ValueError:
        return None


def refresh(run: Run, refresh_token: str) -> requests.Response:
    c = run.credentials
    answer = run.probe.token(
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": c.client_id,
            "client_secret": c.client_secret,
        }
    )
    body = answer_json(answer)
    if isinstance(body, dict):
        run.keep(body.get("access_token"), body.get("refresh_token"))
    return answer
