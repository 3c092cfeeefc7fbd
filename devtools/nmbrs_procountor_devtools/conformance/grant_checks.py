"""The checks about the grant: the login page's host, the token endpoint's refusals, rotation, logout.

They need no company data and write nothing; logout runs last because it may end the grant.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from nmbrs_procountor_devtools.conformance.report import Finding
from nmbrs_procountor_devtools.conformance.run import KitError, Run, answer_json, refresh


def _shape(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return "errors"
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return "rfc"
    return "other"


# --------------------------------------------------------------------------- 1. login page host


def check_login_host(run: Run) -> Finding:
    c = run.credentials
    probe = run.probe
    expected = urlsplit(probe.base_url).netloc
    answer = probe.send(
        "GET",
        probe.base_url + "/login",
        params={
            "response_type": "code",
            "client_id": c.client_id,
            "redirect_uri": c.redirect_uri,
            "state": "conformance",
        },
    )
    location = answer.headers.get("Location", "")
    # A relative redirect stays on the same host.
    host = (urlsplit(location).netloc or expected) if answer.is_redirect and location else expected
    page = answer.status_code == 200 and "html" in answer.headers.get("Content-Type", "")
    holds = page or (answer.is_redirect and host == expected)
    observed = f"HTTP {answer.status_code} at {expected}/login" + (
        f", redirected to {host}" if answer.is_redirect else ""
    )
    return Finding(
        "login_host",
        observed,
        f"the login page is at {expected}/login",
        holds,
        host,
        "" if holds else "the product sends admins to <host>/login: it needs the real login URL as a setting",
    )


# --------------------------------------------------------------------------- 2. refusal shape


def check_token_error_shape(run: Run) -> Finding:
    c = run.credentials
    refusals = {
        "bad refresh token": run.probe.token(
            {
                "grant_type": "refresh_token",
                "refresh_token": "conformance-not-a-refresh-token",
                "client_id": c.client_id,
                "client_secret": c.client_secret,
            }
        ),
        "bad API key": run.probe.token(
            {
                "grant_type": "client_credentials",
                "api_key": "conformance-not-an-api-key",
                "redirect_uri": c.redirect_uri,
                "client_id": c.client_id,
                "client_secret": c.client_secret,
            }
        ),
    }
    shapes = {what: _shape(answer_json(answer)) for what, answer in refusals.items()}
    statuses = {what: answer.status_code for what, answer in refusals.items()}
    kinds = set(shapes.values())
    setting = kinds.pop() if len(kinds) == 1 else "mixed"
    observed = "; ".join(f"{what}: HTTP {statuses[what]} {shapes[what]}" for what in refusals)
    refused = all(400 <= s < 500 for s in statuses.values())
    holds = refused and all(s in ("rfc", "errors") for s in shapes.values())
    bodies = "; ".join(f"{what}: {answer.text[:120]}" for what, answer in refusals.items())
    return Finding(
        "token_error_shape",
        observed,
        'a refusal is a 4xx as {"error": ...} (RFC 6749) or {"errors": [...]}',
        holds,
        setting,
        bodies,
    )


# --------------------------------------------------------------------------- 3. rotation


def check_rotation(run: Run) -> Finding:
    first = run.credentials.refresh_token
    once = refresh(run, first)
    if once.status_code != 200:
        raise KitError(
            f"the refresh token given was refused (HTTP {once.status_code}): log in again and pass a fresh one"
        )
    body = answer_json(once)
    second_token = body.get("refresh_token") or first
    twice = refresh(run, second_token)
    if twice.status_code != 200:
        raise KitError(f"the second refresh was refused (HTTP {twice.status_code})")
    body = answer_json(twice)
    newest = body.get("refresh_token") or second_token
    run.access_token = str(body["access_token"])
    run.refresh_token = newest
    again = refresh(run, first)
    first_still_works = again.status_code == 200
    if first_still_works:
        body = answer_json(again)
        run.access_token = str(body["access_token"])
        run.refresh_token = body.get("refresh_token") or first
    rotated = not first_still_works
    returned_new = second_token != first
    observed = (
        "the first refresh token stops working after use (rotation on)"
        if rotated
        else "the first refresh token still works after two refreshes (rotation off)"
    )
    detail = "each refresh answered a new refresh token" if returned_new else "no new refresh token in the answers"
    return Finding(
        "refresh_rotation",
        observed,
        "the product works with and without rotation; it keeps the newest refresh token it is given",
        True,
        rotated,
        detail,
    )


# --------------------------------------------------------------------------- 6. logout


def check_logout(run: Run) -> Finding:
    assumption = "POST /logout ends the access token and the refresh token"
    probe = run.probe
    out = probe.send("POST", probe.base_url + "/logout", headers={"Authorization": f"Bearer {run.access_token}"})
    access_after = probe.api("GET", "/company", run.access_token).status_code
    refresh_after = refresh(run, run.refresh_token)
    ends_refresh = refresh_after.status_code != 200
    detail = ""
    if not ends_refresh:
        # Do not leave the new session open; the refresh token itself stays alive at Procountor.
        fresh = answer_json(refresh_after) or {}
        if fresh.get("access_token"):
            probe.send("POST", probe.base_url + "/logout", headers={"Authorization": f"Bearer {fresh['access_token']}"})
        detail = "the grant is still alive: end it in Procountor (API client sessions) after this run"
    observed = (
        f"logout HTTP {out.status_code}; access token afterwards HTTP {access_after}; "
        f"refresh token afterwards {'refused' if ends_refresh else 'still works'}"
    )
    holds = ends_refresh and access_after == 401
    return Finding(
        "logout", observed, assumption, holds, "ends_refresh_token" if ends_refresh else "keeps_refresh_token", detail
    )
