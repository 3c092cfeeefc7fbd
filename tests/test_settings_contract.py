"""One error contract: a bad account setting is a problem with a code, a field and the value, in
every hook, in the admin's language, and nothing is sent because of it.

The reference host checks settings against the provider's fields when an account is created, so
these tests hand the plugin an account whose stored settings went bad behind the host's back
(an older host, a hand-edited database).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, IntegrationAccount
from nmbrs_procountor_plugin import plugin as procountor_plugin
from procountor_sandbox import Sandbox
from tests.conftest import store_tokens
from tests.test_mapping import BAKERY, make_mapping

BROKEN = [
    ({"authorization_method": "magic"}, "authorization_method", "magic"),
    ({"vat_type": "BOTH"}, "vat_type", "BOTH"),
    ({"vat_status": "twelve"}, "vat_status", "twelve"),
    ({"vat_status": -1}, "vat_status", "-1"),
]


@pytest.mark.parametrize(("settings", "key", "shown"), BROKEN)
def test_authorization_url_refuses_a_bad_setting_as_a_problem(
    host: ReferenceHost,
    sandbox: Sandbox,
    account: IntegrationAccount,
    settings: dict[str, object],
    key: str,
    shown: str,
) -> None:
    finn = Actor("fi-admin", rights={"procountor": "write"}, locale="fi-FI")
    with pytest.raises(ProblemError) as caught:
        procountor_plugin.nmbrs_authorization_url(account=replace(account, settings=settings), actor=finn, host=host)
    [bad] = caught.value.problems
    assert bad.code == f"procountor.settings.{key}"
    assert bad.field == f"settings.{key}"
    assert shown in bad.message
    assert "Integraatio" in (bad.hint or "")  # Finnish, with where to fix it
    assert sandbox.request_log == []


@pytest.mark.parametrize(("settings", "key", "shown"), BROKEN[1:])
def test_validate_mapping_reports_a_bad_setting_among_its_problems(
    host: ReferenceHost,
    sandbox: Sandbox,
    account: IntegrationAccount,
    admin: Actor,
    settings: dict[str, object],
    key: str,
    shown: str,
) -> None:
    store_tokens(host, sandbox, account)
    problems = procountor_plugin.nmbrs_validate_mapping(
        account=replace(account, settings=settings),
        mapping=make_mapping(account),
        company=BAKERY,
        actor=admin,
        host=host,
    )
    assert problems is not None
    found = [p for p in problems if p.code.startswith("procountor.settings.")]
    assert [(p.code, p.field) for p in found] == [(f"procountor.settings.{key}", f"settings.{key}")]
    assert shown in found[0].message
    assert found[0].blocking
