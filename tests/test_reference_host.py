"""The reference host enforces template rights before a hook runs and validates what plugins declare."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from nmbrs_hookspecs import ProblemError, hookimpl
from nmbrs_hookspecs.host import HostError, ReferenceHost
from nmbrs_hookspecs.secret import Secret
from nmbrs_hookspecs.types import (
    AccountNotice,
    AccountStatus,
    Actor,
    AdministrationMapping,
    ExportResult,
    HostCompany,
    IntegrationAccount,
    IntegrationProvider,
    Journal,
    JournalLine,
    Period,
    Problem,
    SentReceipt,
    SettingField,
    TemplateRight,
)


class SpyPlugin:
    """A second provider that records every call it receives."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    @hookimpl
    def nmbrs_template_rights(self) -> list[TemplateRight]:
        return [TemplateRight("spy", "Spy")]

    @hookimpl
    def nmbrs_integration_providers(self) -> list[IntegrationProvider]:
        return [
            IntegrationProvider(
                "spy",
                "Spy",
                "spy",
                (
                    SettingField("token", "Token", kind="secret"),
                    SettingField("flag", "Flag", kind="bool", default=False),
                ),
            )
        ]

    @hookimpl
    def nmbrs_authorization_url(self, account: IntegrationAccount) -> str | None:
        self.calls.append("authorization_url")
        return "https://spy.example/login" if account.provider == "spy" else None

    @hookimpl
    def nmbrs_account_status(self, account: IntegrationAccount) -> AccountStatus | None:
        self.calls.append("account_status")
        return AccountStatus("unauthorized") if account.provider == "spy" else None

    @hookimpl
    def nmbrs_journal_export(self, account: IntegrationAccount, journal: Journal) -> ExportResult | None:
        self.calls.append("journal_export")
        receipt = SentReceipt(
            journal.period, "1", journal.booking_date, journal.reference, Decimal("1.00"), "UNFINISHED"
        )
        return ExportResult("sent", (receipt,)) if account.provider == "spy" else None


@pytest.fixture
def spy() -> SpyPlugin:
    return SpyPlugin()


@pytest.fixture
def spy_host(spy: SpyPlugin) -> ReferenceHost:
    return ReferenceHost(load_entrypoints=False, plugins=[(spy, "spy")])


WRITER = Actor("w", {"spy": "write"})
READER = Actor("r", {"spy": "read"})
NOBODY = Actor("n")


def test_actor_without_write_is_refused_and_the_hook_is_not_called(spy_host: ReferenceHost, spy: SpyPlugin) -> None:
    account = spy_host.create_account(WRITER, "spy", "user")
    with pytest.raises(ProblemError) as refused:
        spy_host.authorization_url(READER, account.id)
    assert refused.value.codes == ("nmbrs.rights.refused",)
    assert "needs 'write'" in refused.value.problems[0].message
    assert spy.calls == []
    assert spy_host.authorization_url(WRITER, account.id) == "https://spy.example/login"
    assert spy.calls == ["authorization_url"]


def test_reading_status_needs_read(spy_host: ReferenceHost, spy: SpyPlugin) -> None:
    account = spy_host.create_account(WRITER, "spy", "user")
    with pytest.raises(ProblemError):
        spy_host.account_status(NOBODY, account.id)
    assert spy.calls == []
    assert spy_host.account_status(READER, account.id).state == "unauthorized"


def test_creating_an_account_needs_write_and_a_username(spy_host: ReferenceHost) -> None:
    with pytest.raises(ProblemError):
        spy_host.create_account(READER, "spy", "user")
    with pytest.raises(ValueError, match=r"username='   '"):
        spy_host.create_account(WRITER, "spy", "   ")
    account = spy_host.create_account(WRITER, "spy", "  any name at all  ")
    assert account.username == "any name at all"
    assert dict(account.settings) == {"flag": False}


def test_settings_are_checked_against_the_provider_fields(spy_host: ReferenceHost) -> None:
    with pytest.raises(ValueError, match=r"unknown setting\(s\) \['colour'\]"):
        spy_host.create_account(WRITER, "spy", "u", {"colour": "red"})
    with pytest.raises(ValueError, match=r"settings\.flag='yes': expected a bool"):
        spy_host.create_account(WRITER, "spy", "u", {"flag": "yes"})
    with pytest.raises(ValueError, match=r"settings\.token=<hidden>") as caught:
        spy_host.create_account(WRITER, "spy", "u", {"token": 12345})
    assert "12345" not in str(caught.value)


def test_two_plugins_declaring_one_right_are_refused(spy: SpyPlugin) -> None:
    with pytest.raises(HostError, match="template right 'spy' is declared by two plugins"):
        ReferenceHost(load_entrypoints=False, plugins=[(spy, "spy"), (SpyPlugin(), "spy-2")])


def test_export_needs_a_saved_mapping_and_keeps_the_sent_status(spy_host: ReferenceHost, spy: SpyPlugin) -> None:
    account = spy_host.create_account(WRITER, "spy", "user")
    company = HostCompany("c1", "Bakery")
    journal = Journal(
        "c1",
        "run-6",
        Period(2026, 6),
        "June",
        date(2026, 6, 25),
        (JournalLine("5000", Decimal("1.00"), "w", Period(2026, 6)),),
    )
    with pytest.raises(ProblemError) as missing:
        spy_host.export_journal(WRITER, account.id, company, journal)
    assert missing.value.codes == ("nmbrs.mapping.missing",)
    assert spy.calls == []
    spy_host.mappings.save(AdministrationMapping(account.id, "c1", "adm-1"))
    with pytest.raises(ProblemError):
        spy_host.export_journal(READER, account.id, company, journal)
    assert spy.calls == []
    result = spy_host.export_journal(WRITER, account.id, company, journal)
    assert result.status == "sent"
    assert spy_host.sent_status(READER, account.id, "c1", "run-6") == result


class WrongAnswerPlugin(SpyPlugin):
    @hookimpl
    def nmbrs_account_status(self, account: IntegrationAccount) -> Any:
        return "authorized"  # a str, not an AccountStatus


def test_a_plugin_answer_of_the_wrong_type_is_refused_by_the_host() -> None:
    plugin = WrongAnswerPlugin()
    host = ReferenceHost(load_entrypoints=False, plugins=[(plugin, "wrong")])
    account = host.create_account(WRITER, "spy", "user")
    with pytest.raises(HostError, match="nmbrs_account_status: a plugin answered str"):
        host.account_status(READER, account.id)


class RemovalWarner:
    """A provider whose removal hook answers a warning, and a secret setting it records."""

    def __init__(self) -> None:
        self.seen: list[IntegrationAccount] = []

    @hookimpl
    def nmbrs_template_rights(self) -> list[TemplateRight]:
        return [TemplateRight("warn", "Warn")]

    @hookimpl
    def nmbrs_integration_providers(self) -> list[IntegrationProvider]:
        return [IntegrationProvider("warn", "Warn", "warn", (SettingField("key", "Key", kind="secret"),))]

    @hookimpl
    def nmbrs_account_removed(self, account: IntegrationAccount) -> list[Problem] | None:
        self.seen.append(account)
        if account.provider != "warn":
            return None
        return [Problem("warn.auth.logout_failed", "Could not end it.", severity="warning")]


def test_remove_account_answers_the_plugins_warnings_and_hands_secret_settings_wrapped() -> None:
    plugin = RemovalWarner()
    host = ReferenceHost(load_entrypoints=False, plugins=[(plugin, "warn")])
    admin = Actor("u1", {"warn": "write"})
    account = host.create_account(admin, "warn", "acc", {"key": "k-0123456789abcdef"})
    assert isinstance(host.accounts.get(account.id).settings["key"], Secret)  # type: ignore[union-attr]
    warnings = host.remove_account(admin, account.id)
    assert [w.code for w in warnings] == ["warn.auth.logout_failed"]
    assert host.accounts.get(account.id) is None
    [seen] = plugin.seen
    assert seen.secret_keys == frozenset({"key"})
    assert seen.settings["key"] == Secret("k-0123456789abcdef")
    assert "k-0123456789abcdef" not in repr(seen)


def test_the_host_records_account_notices_per_account() -> None:
    host = ReferenceHost(load_entrypoints=False)
    notice = AccountNotice(
        account_id="a1",
        provider="warn",
        username="acc",
        state="expired",
        code="warn.auth.expired",
        message="The authorization expired.",
        hint="Log in again.",
        locale="en",
        translations={"en": "The authorization expired. Log in again."},
    )
    host.notices.account_notice(notice)
    assert host.notices.for_account("a1") == [notice]
    assert host.notices.for_account("a2") == []
    with pytest.raises(ValueError, match=r"AccountNotice\.state='authorized'"):
        AccountNotice("a1", "warn", "acc", "authorized", "warn.auth.ok", "m", "h", "en")  # type: ignore[arg-type]
