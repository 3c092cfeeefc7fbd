"""The browser login page at ``{host}/login`` (authorization-code flow, docs/procountor-api.md §2a).

Two steps, both plain HTML forms so that a real browser and a form-posting HTTP client can
drive them: (1) username + password, (2) choose the company. A client that already knows the
company id may post ``username``, ``password`` and ``company`` in one go. Problems with the
client registration are shown as an error page and never redirected, because redirecting to
an unverified URI would leak the code or error to whoever forged the link.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from .models import User
from .responses import html_page
from .state import AuthCode, LoginTicket, SandboxState, new_secret

CLIENT_FIELDS = ("response_type", "client_id", "redirect_uri", "state")
TICKET_TTL = 600.0


def param(request: Request, name: str) -> str | None:
    """Form fields win; the query string is the fallback because the GET link carries them."""
    value = request.form.get(name) if request.method == "POST" else None
    return value if value is not None else request.args.get(name)


def _client_fields(request: Request) -> dict[str, str]:
    return {k: v for k in CLIENT_FIELDS if (v := param(request, k)) is not None}


def _registration_problem(state: SandboxState, fields: dict[str, str]) -> Response | None:
    config = state.config
    if fields.get("client_id") != config.client_id:
        return html_page("Unknown client", "<p class=error>Unknown or missing client_id.</p>", 400)
    if fields.get("redirect_uri") != config.redirect_uri:
        return html_page(
            "Redirect URI mismatch",
            "<p class=error>redirect uri mismatch: the redirect_uri does not match the one "
            "registered for this client.</p>",
            400,
        )
    if fields.get("response_type") != "code":
        return html_page("Unsupported response type", "<p class=error>response_type must be 'code'.</p>", 400)
    return None


def _hidden(fields: dict[str, str]) -> str:
    return "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items())


_BUTTONS = (
    '<p><button type="submit" name="action" value="login">{label}</button> '
    '<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button></p>'
)


def _credentials_page(fields: dict[str, str], message: str = "", status: int = 200) -> Response:
    note = f'<p class="error">{html.escape(message)}</p>' if message else ""
    body = (
        f'{note}<form method="post" action="/login">{_hidden(fields)}'
        '<label>Username <input name="username" autocomplete="username" required></label>'
        '<label>Password <input name="password" type="password" autocomplete="current-password"'
        " required></label>" + _BUTTONS.format(label="Log in") + "</form>"
    )
    return _no_store(html_page("Procountor sandbox login", body, status))


def _company_page(
    state: SandboxState,
    fields: dict[str, str],
    user: User,
    ticket: str,
    message: str = "",
    status: int = 200,
) -> Response:
    companies = state.user_companies(user)
    options = "".join(
        f'<option value="{c.id}"{" selected" if i == 0 else ""}>{html.escape(c.name)} ({c.id})</option>'
        for i, c in enumerate(companies)
    )
    note = f'<p class="error">{html.escape(message)}</p>' if message else ""
    body = (
        f"{note}<p>Logged in as {html.escape(user.username)}. Choose the company.</p>"
        f'<form method="post" action="/login">{_hidden(fields)}'
        f'<input type="hidden" name="username" value="{html.escape(user.username)}">'
        f'<input type="hidden" name="login_ticket" value="{html.escape(ticket)}">'
        f'<label>Company <select name="company" required>{options}</select></label>'
        + _BUTTONS.format(label="Continue")
        + "</form>"
    )
    return _no_store(html_page("Choose company", body, status))


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _redirect_with(state: SandboxState, params: dict[str, str]) -> Response:
    target = state.config.redirect_uri + "?" + urlencode(params)
    return _no_store(redirect(target, 302))


def login(state: SandboxState, request: Request) -> Response:
    fields = _client_fields(request)
    problem = _registration_problem(state, fields)
    if problem is not None:
        return problem
    if request.method == "GET":
        return _credentials_page(fields)
    if request.method != "POST":
        return html_page("Method not allowed", "<p>Use GET or POST.</p>", 405)
    extra = {"state": fields["state"]} if "state" in fields else {}
    if request.form.get("action") == "cancel":
        return _redirect_with(state, {"error": "access_denied", **extra})

    username = request.form.get("username", "")
    with state.lock:
        user = _authenticate(state, username, request)
        if user is None:
            return _credentials_page(fields, "Invalid username or password.", 401)
        company_raw = request.form.get("company", "").strip()
        if not company_raw:
            ticket = _new_ticket(state, user)
            return _company_page(state, fields, user, ticket)
        company_id = int(company_raw) if company_raw.isdigit() else -1
        if company_id not in user.rights or company_id not in state.companies:
            ticket = _new_ticket(state, user)
            return _company_page(state, fields, user, ticket, "You have no access to the chosen company.", 400)
        state.tickets.pop(request.form.get("login_ticket", ""), None)
        code = new_secret()
        state.codes[code] = AuthCode(
            code=code,
            client_id=fields["client_id"],
            username=user.username,
            company_id=company_id,
            redirect_uri=fields["redirect_uri"],
            expires_at=state.clock() + state.config.code_ttl,
        )
    return _redirect_with(state, {"code": code, **extra})


def _authenticate(state: SandboxState, username: str, request: Request) -> User | None:
    ticket_value = request.form.get("login_ticket")
    if ticket_value:
        ticket = state.tickets.get(ticket_value)
        if ticket is not None and ticket.username == username and ticket.expires_at > state.clock():
            return state.users.get(username)
        return None
    return state.check_password(username, request.form.get("password", ""))


def _new_ticket(state: SandboxState, user: User) -> str:
    now = state.clock()
    for key in [k for k, t in state.tickets.items() if t.expires_at <= now]:
        del state.tickets[key]
    ticket = new_secret()
    state.tickets[ticket] = LoginTicket(ticket, user.username, now + TICKET_TTL)
    return ticket
