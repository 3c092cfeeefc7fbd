"""``POST /api/oauth/token`` and ``POST /logout`` (docs/procountor-api.md §2).

The token endpoint is deliberately picky about transport (form body only, no charset
parameter, nothing in the query string) because Procountor's release notes 23.09 and 24.08
say so and generic OAuth libraries get exactly these things wrong by default.
"""

from __future__ import annotations

import hmac
import json

from werkzeug.wrappers import Request, Response

from .responses import error, json_response, oauth_error, unauthorized
from .state import SandboxState

FORM = "application/x-www-form-urlencoded"
GRANTS = ("authorization_code", "refresh_token", "client_credentials")


def token_request_client(request: Request) -> str | None:
    """The client a token request claims to be, for rate limiting and the request log."""
    if request.method != "POST" or request.mimetype != FORM:
        return None
    return request.form.get("client_id") or None


def bearer(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def token(state: SandboxState, request: Request) -> Response:
    """The token endpoint, its refusals in the shape ``SandboxConfig.token_error_shape`` picks."""
    response = _token(state, request)
    if response.status_code >= 400 and state.config.token_error_shape == "errors":  # noqa: S105 - a shape
        return _errors_shape(response)
    return response


def _errors_shape(response: Response) -> Response:
    """An RFC 6749 refusal re-told as ``{"errors": [{"status", "message"}]}`` (assumption, docs/sandbox.md).

    Clients in production read this shape from Procountor's token endpoint; the message is the
    description alone, as those clients show it: the OAuth error word is not in it.
    """
    body = json.loads(response.get_data(as_text=True))
    message = body.get("error_description") or body.get("error") or "Bad Request"
    shaped = json_response({"errors": [{"status": response.status_code, "message": message}]}, response.status_code)
    for name in ("Cache-Control", "Pragma", "Allow"):
        if name in response.headers:
            shaped.headers[name] = response.headers[name]
    return shaped


def _token(state: SandboxState, request: Request) -> Response:
    if request.method != "POST":
        response = oauth_error("invalid_request", "The token endpoint only accepts POST.", 405)
        response.headers["Allow"] = "POST"
        return response
    if request.query_string:
        return oauth_error(
            "invalid_request",
            "Parameters must be sent in the form body, not in the URL query string.",
        )
    if request.mimetype != FORM:
        return oauth_error("invalid_request", f"Content-Type must be {FORM}.", 415)
    if request.mimetype_params:
        return oauth_error(
            "invalid_request",
            f"Content-Type must be exactly {FORM}; parameters such as charset are not accepted.",
        )
    form = request.form
    repeated = [k for k in form if len(form.getlist(k)) > 1]
    if repeated:
        return oauth_error("invalid_request", f"Parameter repeated: {', '.join(repeated)}")
    grant_type = form.get("grant_type", "")
    if not grant_type:
        return oauth_error("invalid_request", "Missing grant_type.")
    if grant_type not in GRANTS:
        return oauth_error("unsupported_grant_type", f"Unsupported grant_type: {grant_type}")

    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    if not client_id or not secret:
        hint = (
            " HTTP Basic authentication is not supported."
            if request.headers.get("Authorization", "").lower().startswith("basic")
            else ""
        )
        return oauth_error("invalid_client", "client_id and client_secret must be sent in the form body." + hint)
    config = state.config
    if client_id != config.client_id or not hmac.compare_digest(secret.encode(), config.client_secret.encode()):
        return oauth_error("invalid_client", "Unknown client or wrong client secret.")

    if grant_type == "authorization_code":
        return _authorization_code(state, request)
    if grant_type == "refresh_token":
        return _refresh(state, request)
    return _client_credentials(state, request)


def _missing(request: Request, *names: str) -> Response | None:
    absent = [n for n in names if not request.form.get(n)]
    if absent:
        return oauth_error("invalid_request", f"Missing parameter(s): {', '.join(absent)}")
    return None


def _authorization_code(state: SandboxState, request: Request) -> Response:
    problem = _missing(request, "code", "redirect_uri")
    if problem is not None:
        return problem
    form = request.form
    with state.lock:
        code = state.codes.get(form["code"])
        if code is None or code.used or code.client_id != form["client_id"] or code.expires_at <= state.clock():
            return oauth_error("invalid_grant", "Authorization code is invalid, used or expired.")
        if form["redirect_uri"] != code.redirect_uri:
            return oauth_error("invalid_grant", "redirect_uri does not match the login request.")
        code.used = True
        if code.company_id not in state.users[code.username].rights:
            return oauth_error("invalid_grant", "The user no longer has access to the company.")
        grant = state.new_grant(code.client_id, code.username, code.company_id)
        return json_response(state.token_response(grant), headers=_NO_STORE)


def _refresh(state: SandboxState, request: Request) -> Response:
    problem = _missing(request, "refresh_token")
    if problem is not None:
        return problem
    form = request.form
    with state.lock:
        grant_id = state.refresh_index.get(form["refresh_token"])
        grant = state.grants.get(grant_id) if grant_id is not None else None
        if grant is None or not grant.alive or grant.client_id != form["client_id"]:
            return oauth_error("invalid_grant", "Refresh token is invalid or revoked.")
        if grant.company_id not in state.users[grant.username].rights:
            return oauth_error("invalid_grant", "The user no longer has access to the company.")
        rotate = state.config.rotate_refresh_tokens
        if rotate:
            state.rotate(grant)
        # Without rotation the old refresh token stays valid and is not repeated (sandbox
        # choice: Procountor does not document it, so clients must keep the old one).
        return json_response(state.token_response(grant, include_refresh=rotate), headers=_NO_STORE)


def _client_credentials(state: SandboxState, request: Request) -> Response:
    problem = _missing(request, "redirect_uri", "api_key")
    if problem is not None:
        return problem
    form = request.form
    if form["redirect_uri"] != state.config.redirect_uri:
        return oauth_error("invalid_grant", "redirect uri mismatch.")
    with state.lock:
        key = state.api_keys.get(form["api_key"])
        if key is None or key.revoked or key.client_id != form["client_id"]:
            return oauth_error("invalid_grant", "API key is invalid or revoked.")
        if key.company_id not in state.users[key.username].rights:
            return oauth_error("invalid_grant", "The API key's user is no longer in the company.")
        access = state.issue_access(key.client_id, key.username, key.company_id, None, api_key=key.key)
    body = {
        "access_token": access,
        "token_type": "bearer",
        "expires_in": state.config.access_token_ttl,
    }
    return json_response(body, headers=_NO_STORE)


_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def logout(state: SandboxState, request: Request) -> Response:
    if request.method != "POST":
        response = error(405, "Method Not Allowed")
        response.headers["Allow"] = "POST"
        return response
    value = bearer(request)
    with state.lock:
        access = state.valid_access(value) if value else None
        if access is None:
            return unauthorized()
        access.revoked = True
        if access.grant_id is not None:
            # Assumption: logging out ends the whole authorization, refresh token included.
            grant = state.grants[access.grant_id]
            grant.alive = False
            state.refresh_index.pop(grant.refresh_token, None)
            for other in state.access.values():
                if other.grant_id == grant.id:
                    other.revoked = True
    return json_response({"message": "Logged out"})
