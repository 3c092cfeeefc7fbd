"""The demo's last act: an account stops working and the host hears about it at once.

A second account authorized with an API key loses that key (a Procountor admin revokes it);
the next call finds out, the account turns ``revoked`` and the plugin hands the host one
notice, which the reference host records and the demo prints. The account is then removed,
which ends what is left of its grant. Also here: where the demo's host keeps its key for
encrypting stored credentials.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from nmbrs_hookspecs.at_rest import KEYS_VARIABLE, CredentialCipher
from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor
from procountor_sandbox import Sandbox

ROBOT_USERNAME = "payroll-robot"
PROCOUNTOR_USER = "demo.admin"
COMPANY_ID = 10001


def credential_keys(key_file: Path | None) -> list[str] | None:
    """The host's encryption keys: the environment's, else a key file next to a kept database.

    A real host takes the key from its configuration or secret store; the demo keeps one
    owner-only file beside ``--db`` so that a second run can read what the first stored.
    """
    if os.environ.get(KEYS_VARIABLE):
        return None  # the host reads the environment itself
    if key_file is None:
        return [CredentialCipher.generate_key()]  # a throw-away database: a throw-away key
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(CredentialCipher.generate_key())
    return [key_file.read_text().strip()]


def show_a_broken_account(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, say: Callable[[str], None]
) -> dict[str, Any]:
    """Authorize an API-key account, revoke its key at Procountor, and return the notice the host got."""
    key = sandbox.issue_api_key(PROCOUNTOR_USER, COMPANY_ID)
    robot = host.create_account(
        admin, "procountor", ROBOT_USERNAME, {"authorization_method": "api_key", "api_key": key}
    )
    params = dict(parse_qsl(urlsplit(host.authorization_url(admin, robot.id)).query))
    host.authorization_callback(admin, robot.id, params)
    say(f"account '{ROBOT_USERNAME}' authorized with an API key; a Procountor admin now revokes that key")
    sandbox.revoke_api_key(key)
    try:
        host.administrations(admin, robot.id)
    except ProblemError as refused:
        say(f"the next call is refused: {refused.codes[0]}")
    status = host.account_status(admin, robot.id)
    notices = host.notices.for_account(robot.id)
    warnings = host.remove_account(admin, robot.id)
    say(f"account '{ROBOT_USERNAME}' removed ({'its grant ended' if not warnings else warnings[0].message})")
    return {
        "username": ROBOT_USERNAME,
        "state": status.state,
        "notices": [
            {"state": n.state, "code": n.code, "message": n.message, "hint": n.hint, "locale": n.locale}
            for n in notices
        ],
    }
