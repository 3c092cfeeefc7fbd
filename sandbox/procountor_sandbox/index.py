"""``GET /``: a small page of what this sandbox serves, so its base URL answers instead of a 404.

Procountor's own host root has no such page; this is a convenience for a person who opens the
URL the sandbox command prints. The API routes are read from the router itself, so the page
cannot list an endpoint that is not served.
"""

from __future__ import annotations

import html

from werkzeug.wrappers import Request, Response

from .api import URL_MAP
from .responses import html_page
from .state import SandboxState

_FIXED = (
    ("GET", "/login?response_type=code&client_id=…&redirect_uri=…&state=…", "browser login: user, password, company"),
    ("POST", "/api/oauth/token", "tokens: authorization_code, refresh_token, client_credentials (form body)"),
    ("POST", "/logout", "ends the bearer token's session"),
)
_CONTROL = (
    ("GET POST DELETE", "/_sandbox/faults", "inject network and server faults"),
    ("GET DELETE", "/_sandbox/requests", "what arrived, in order"),
    ("GET", "/_sandbox/receipts?companyId=…", "the receipts a company holds"),
)


def _rows(items: list[tuple[str, str, str]]) -> str:
    return "\n".join(
        f"<tr><td>{html.escape(m)}</td><td><code>{html.escape(p)}</code></td><td>{html.escape(w)}</td></tr>"
        for m, p, w in items
    )


def _api_routes() -> list[tuple[str, str, str]]:
    found = []
    for rule in URL_MAP.iter_rules():
        methods = " ".join(sorted(m for m in rule.methods or () if m not in ("HEAD", "OPTIONS")))
        found.append((methods, "/api" + rule.rule, "bearer token required"))
    return sorted(found, key=lambda r: (r[1], r[0]))


def page(state: SandboxState, request: Request) -> Response:
    """The index: endpoints, the client to configure, and the demo users."""
    config = state.config
    with state.lock:
        users = [u.username for u in state.users.values()]
    body = (
        "<p>A local, strict copy of the parts of Procountor's API a payroll-journal integration uses "
        f"(see <code>docs/sandbox.md</code>). Base URL <code>{html.escape(request.host_url.rstrip('/'))}</code>.</p>\n"
        f"<p>Client id <code>{html.escape(config.client_id)}</code>, registered redirect URI "
        f"<code>{html.escape(config.redirect_uri)}</code>; demo users: {html.escape(', '.join(users))}.</p>\n"
        "<h2>Procountor endpoints</h2>\n<table>\n"
        + _rows([*_FIXED, *_api_routes()])
        + "\n</table>\n<h2>Sandbox controls (not Procountor's)</h2>\n<table>\n"
        + _rows(list(_CONTROL))
        + "\n</table>"
    )
    return html_page("Procountor sandbox", body)
