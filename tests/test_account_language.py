"""The account's status and its notices speak the admin's language: English, Dutch, Swedish, Finnish."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, IntegrationAccount
from nmbrs_procountor_plugin.api.connection import open_client
from nmbrs_procountor_plugin.messages import LANGUAGES, problem
from tests.conftest import COMPANY_1, store_tokens

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

STATE_CODES = {
    "unauthorized": "procountor.auth.not_authorized",
    "authorized": "procountor.auth.authorized",
    "expired": "procountor.auth.expired",
    "revoked": "procountor.auth.api_key_refused",
}


def expected(code: str, language: str, account: IntegrationAccount) -> str:
    # Only the authorized text names the company; an entry refuses parameters it does not declare.
    if code == "procountor.auth.authorized":
        found = problem(
            code, language, username=account.username, company_name="Järvi Leipomo Oy", company_id=str(COMPANY_1)
        )
    else:
        found = problem(code, language, username=account.username)
    return f"{found.message} {found.hint}"


def put_state(host: ReferenceHost, sandbox: Sandbox, account: IntegrationAccount, state: str) -> None:
    if state == "unauthorized":
        return
    record = store_tokens(host, sandbox, account)
    if state in ("expired", "revoked"):
        found = host.credentials.get(account.id)
        assert found is not None
        method = "api_key" if state == "revoked" else "login"
        data = {**record.with_state(state).to_data(), "method": method}
        assert host.credentials.put(account.id, data, found.version)


@pytest.mark.parametrize("state", list(STATE_CODES))
@pytest.mark.parametrize("language", LANGUAGES)
def test_hook_nmbrs_account_status_speaks_the_admins_language(
    host: ReferenceHost, sandbox: Sandbox, account: IntegrationAccount, state: str, language: str
) -> None:
    put_state(host, sandbox, account, state)
    actor = Actor(user_id="viewer", rights={"procountor": "read"}, locale=language)
    status = host.account_status(actor, account.id)
    assert status.state == state
    assert status.message == expected(STATE_CODES[state], language, account)
    if language != "en":
        english = Actor(user_id="viewer", rights={"procountor": "read"}, locale="en")
        assert status.message != host.account_status(english, account.id).message


def test_a_regional_locale_picks_its_language(host: ReferenceHost, account: IntegrationAccount) -> None:
    status = host.account_status(Actor(user_id="v", rights={"procountor": "read"}, locale="sv_FI"), account.id)
    assert status.message == expected("procountor.auth.not_authorized", "sv", account)


def test_the_notice_comes_in_the_actors_language_with_every_translation(
    host: ReferenceHost, sandbox: Sandbox, account: IntegrationAccount
) -> None:
    store_tokens(host, sandbox, account, expires_in=0)
    sandbox.revoke_refresh_tokens()
    with pytest.raises(ProblemError):
        open_client(account, host, "fi-FI").company()
    [notice] = host.notices.for_account(account.id)
    finnish = problem("procountor.auth.expired", "fi", username=account.username)
    assert (notice.account_id, notice.provider, notice.username) == (account.id, "procountor", account.username)
    assert (notice.state, notice.code, notice.locale) == ("expired", "procountor.auth.expired", "fi")
    assert (notice.message, notice.hint) == (finnish.message, finnish.hint)
    assert set(notice.translations) == set(LANGUAGES)
    for language in LANGUAGES:
        assert notice.translations[language] == expected("procountor.auth.expired", language, account)
    assert len(set(notice.translations.values())) == len(LANGUAGES)
