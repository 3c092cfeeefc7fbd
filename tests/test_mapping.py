"""Administration mapping against the sandbox: the 'New mapping' dialog and the check before saving.

The promise under test: an admin who maps a company gets, in one answer, every problem that
would later stop an export, each with what to do, in their language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import (
    Actor,
    Administration,
    AdministrationMapping,
    DimensionMapping,
    HostCompany,
    IntegrationAccount,
    Problem,
)
from nmbrs_procountor_plugin.api.credentials import STATE_EXPIRED, TokenRecord
from nmbrs_procountor_plugin.api.errors import (
    FieldError,
    ProcountorApiError,
    ProcountorForbidden,
    ProcountorRateLimited,
    ProcountorUnavailable,
)
from nmbrs_procountor_plugin.mapping import administrations as mapping_module
from nmbrs_procountor_plugin.messages import LANGUAGES, catalogue
from tests.conftest import COMPANY_1, COMPANY_2, store_tokens

if TYPE_CHECKING:
    from procountor_sandbox import Sandbox

BAKERY = HostCompany(
    id="nmbrs-1",
    name="Järvi Leipomo",
    cost_centers=(("100", "Helsinki"), ("200", "Tampere")),
    cost_units=(("P-10", "Bakery line"), ("P-20", "Café")),
)
OTHER = HostCompany(id="nmbrs-2", name="Kuusi Consulting")

# The sandbox listens on loopback; every other host stays blocked (--block-network).
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])


def make_mapping(
    account: IntegrationAccount,
    company: HostCompany = BAKERY,
    *,
    administration: str = str(COMPANY_1),
    cost_center: tuple[bool, str] | None = (True, "Kustannuspaikka"),
    cost_unit: tuple[bool, str] | None = (True, "Projekti"),
) -> AdministrationMapping:
    dims = []
    if cost_center is not None:
        dims.append(DimensionMapping("cost_center", *cost_center))
    if cost_unit is not None:
        dims.append(DimensionMapping("cost_unit", *cost_unit))
    return AdministrationMapping(account.id, company.id, administration, tuple(dims))


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def only(problems: list[Problem], code: str) -> list[Problem]:
    return [p for p in problems if p.code == code]


def dimension_reads(sandbox: Sandbox) -> int:
    return sum(1 for r in sandbox.request_log if r.method == "GET" and r.path.endswith("/dimensions"))


def expire_record(host: ReferenceHost, account: IntegrationAccount) -> None:
    stored = host.credentials.get(account.id)
    assert stored is not None
    record = TokenRecord.from_data(stored.data).with_state(STATE_EXPIRED)
    assert host.credentials.put(account.id, record.to_data(), stored.version)


# ----------------------------------------------------------------------------- administrations


def test_hook_nmbrs_administrations_lists_the_one_authorized_company(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    sandbox.clear_request_log()

    found = host.administrations(admin, authorized_account.id)

    assert found == [Administration(id="10001", name="Järvi Leipomo Oy", business_id="1234567-8")]
    assert [(r.method, r.path) for r in sandbox.request_log] == [("GET", "/api/company")]


def test_hook_nmbrs_administrations_follows_the_company_chosen_at_authorization(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    store_tokens(host, sandbox, account, company_id=COMPANY_2)

    assert host.administrations(admin, account.id) == [
        Administration(id="10002", name="Kuusi Consulting Oy", business_id="7654321-0")
    ]


def test_hook_nmbrs_administrations_readers_may_list(
    host: ReferenceHost, reader: Actor, authorized_account: IntegrationAccount
) -> None:
    assert [a.id for a in host.administrations(reader, authorized_account.id)] == ["10001"]


def test_hook_nmbrs_administrations_unauthorized_account_says_so(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    with pytest.raises(ProblemError) as caught:
        host.administrations(admin, account.id)

    assert caught.value.codes == ("procountor.auth.not_authorized",)
    assert "bureau-procountor" in caught.value.problems[0].message
    assert caught.value.problems[0].hint
    assert sandbox.request_log == []


def test_hook_nmbrs_administrations_expired_account_says_so(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    expire_record(host, authorized_account)

    with pytest.raises(ProblemError) as caught:
        host.administrations(admin, authorized_account.id)

    assert caught.value.codes == ("procountor.auth.expired",)


def test_hook_nmbrs_administrations_token_refused_by_procountor_is_expired(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    sandbox.expire_access_tokens()
    sandbox.revoke_refresh_tokens()

    with pytest.raises(ProblemError) as caught:
        host.administrations(admin, authorized_account.id)

    assert caught.value.codes == ("procountor.auth.expired",)


def test_hook_nmbrs_administrations_plugin_rechecks_read(
    host: ReferenceHost, outsider: Actor, authorized_account: IntegrationAccount
) -> None:
    # The host refuses first; the plugin refuses too when a host forgets to.
    with pytest.raises(ProblemError) as by_host:
        host.administrations(outsider, authorized_account.id)
    assert by_host.value.codes == ("nmbrs.rights.refused",)

    with pytest.raises(ProblemError) as by_plugin:
        mapping_module.administrations(authorized_account, outsider, host)
    assert by_plugin.value.codes == ("procountor.rights.read_required",)


# ----------------------------------------------------------------------------- dimension names


def test_hook_nmbrs_validate_mapping_sound_mapping_has_no_problems(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    problems = host.validate_mapping(admin, make_mapping(authorized_account), BAKERY)

    assert problems == []


def test_hook_nmbrs_validate_mapping_misspelled_dimension_names_the_closest_and_all(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    mapping = make_mapping(authorized_account, cost_center=(True, "Kustanuspaikka"))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    assert codes(problems) == ["procountor.mapping.dimension_not_found"]
    found = problems[0]
    assert found.blocking
    assert found.field == "dimensions.cost_center"
    assert "Kustanuspaikka" in found.message
    assert "Its dimensions are: 'Kustannuspaikka' and 'Projekti'." in found.message
    assert found.hint is not None
    assert "'Kustannuspaikka'" in found.hint


@pytest.mark.parametrize(
    ("cost_center", "cost_unit"),
    [
        ("  kustannuspaikka ", "PROJEKTI"),
        ("KUSTANNUSPAIKKA", "\tprojekti\n"),
        ("Kustannuspaikka", "  Projekti  "),
    ],
)
def test_hook_nmbrs_validate_mapping_ignores_case_and_whitespace(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount, cost_center: str, cost_unit: str
) -> None:
    mapping = make_mapping(authorized_account, cost_center=(True, cost_center), cost_unit=(True, cost_unit))

    assert host.validate_mapping(admin, mapping, BAKERY) == []


def test_hook_nmbrs_validate_mapping_repeated_inner_whitespace_is_one_space(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    # "Kustannus  paikka" is not "Kustannuspaikka" (a space is not nothing): reported, not guessed.
    mapping = make_mapping(authorized_account, cost_center=(True, "Kustannus  paikka"))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    assert codes(problems) == ["procountor.mapping.dimension_not_found"]
    assert "'Kustannus paikka'" in problems[0].message
    assert problems[0].hint is not None
    assert "'Kustannuspaikka'" in problems[0].hint


def test_hook_nmbrs_validate_mapping_refuses_one_dimension_for_both_kinds(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    mapping = make_mapping(authorized_account, cost_center=(True, "Projekti"), cost_unit=(True, " projekti"))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    used_twice = only(problems, "procountor.mapping.dimension_used_twice")
    assert len(used_twice) == 1
    assert used_twice[0].blocking
    assert used_twice[0].field == "dimensions.cost_unit"
    assert "'Projekti'" in used_twice[0].message  # Procountor's spelling, not the typed one
    assert "Cost Centers" in used_twice[0].message
    assert "Cost Units" in used_twice[0].message


def test_hook_nmbrs_validate_mapping_refuses_a_blank_description(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    mapping = make_mapping(authorized_account, cost_unit=(True, "   "))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    assert codes(problems) == ["procountor.mapping.dimension_description_missing"]
    assert problems[0].field == "dimensions.cost_unit"
    assert problems[0].blocking
    assert problems[0].hint is not None
    assert "Cost Units" in problems[0].hint


def test_hook_nmbrs_validate_mapping_ignores_a_disabled_kind(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    company = HostCompany(id=BAKERY.id, name=BAKERY.name, cost_centers=(("999", "Lahti"),))
    mapping = make_mapping(authorized_account, cost_center=(False, "no such dimension !!"), cost_unit=(False, ""))
    sandbox.clear_request_log()

    assert host.validate_mapping(admin, mapping, company) == []
    assert dimension_reads(sandbox) == 0  # nothing to look up, so Procountor is not asked


def test_hook_nmbrs_validate_mapping_disabled_kind_beside_an_enabled_one(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    mapping = make_mapping(authorized_account, cost_center=(True, "kustannuspaikka"), cost_unit=(False, "Kustanus"))

    assert host.validate_mapping(admin, mapping, BAKERY) == []


# ----------------------------------------------------------------------------- one administration per account


def test_hook_nmbrs_validate_mapping_refuses_a_second_company_on_one_account(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    assert host.save_mapping(admin, make_mapping(authorized_account), BAKERY) == []

    second = make_mapping(authorized_account, OTHER, cost_center=None, cost_unit=None)
    problems = host.validate_mapping(admin, second, OTHER)

    assert codes(problems) == ["procountor.mapping.one_per_account"]
    refused = problems[0]
    assert refused.blocking
    assert "nmbrs-1" in refused.message
    assert refused.hint is not None
    assert "another Procountor account" in refused.hint
    with pytest.raises(ProblemError) as caught:
        host.save_mapping(admin, second, OTHER)
    assert caught.value.codes == ("procountor.mapping.one_per_account",)
    assert host.mapping_for(authorized_account.id, OTHER.id) is None


def test_hook_nmbrs_validate_mapping_resaving_the_mapped_company_is_fine(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    host.save_mapping(admin, make_mapping(authorized_account), BAKERY)

    changed = make_mapping(authorized_account, cost_unit=(False, ""))
    assert host.save_mapping(admin, changed, BAKERY) == []
    assert host.mapping_for(authorized_account.id, BAKERY.id) == changed


def test_hook_nmbrs_validate_mapping_other_accounts_do_not_count(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    host.save_mapping(admin, make_mapping(authorized_account), BAKERY)
    second_account = host.create_account(admin, "procountor", "kuusi-procountor")
    store_tokens(host, sandbox, second_account, company_id=COMPANY_2)

    mapping = make_mapping(second_account, OTHER, administration=str(COMPANY_2))
    assert host.save_mapping(admin, mapping, OTHER) == []


def test_hook_nmbrs_validate_mapping_refuses_a_second_administration(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    # The account is authorized for 10001; 10002 can only be reached through another account.
    host.save_mapping(admin, make_mapping(authorized_account), BAKERY)
    mapping = make_mapping(authorized_account, administration=str(COMPANY_2))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    assert codes(problems) == ["procountor.mapping.administration_mismatch"]
    assert problems[0].field == "administration_id"
    assert "Järvi Leipomo Oy" in problems[0].message
    assert "10002" in problems[0].message
    with pytest.raises(ProblemError):
        host.save_mapping(admin, mapping, BAKERY)


def test_hook_nmbrs_validate_mapping_second_administration_on_a_second_company(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    host.save_mapping(admin, make_mapping(authorized_account), BAKERY)
    mapping = make_mapping(authorized_account, OTHER, administration=str(COMPANY_2), cost_center=None, cost_unit=None)

    problems = host.validate_mapping(admin, mapping, OTHER)

    assert codes(problems) == ["procountor.mapping.one_per_account", "procountor.mapping.administration_mismatch"]


# ----------------------------------------------------------------------------- coverage of cost objects


def test_hook_nmbrs_validate_mapping_reports_cost_centers_without_usable_items(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    company = HostCompany(
        id=BAKERY.id, name=BAKERY.name, cost_centers=(("100", "Helsinki"), ("300", "Oulu"), ("999", "Lahti"))
    )
    mapping = make_mapping(authorized_account, cost_unit=None)

    problems = host.validate_mapping(admin, mapping, company)

    assert codes(problems) == ["procountor.mapping.item_inactive", "procountor.mapping.item_missing"]
    inactive, missing = problems
    assert all(p.severity == "warning" and not p.blocking for p in problems)
    assert inactive.field == "cost_centers[1]"
    assert "300" in inactive.message
    assert "Oulu" in inactive.message
    assert "Kustannuspaikka" in inactive.message
    assert inactive.hint is not None
    assert "Reactivate" in inactive.hint
    assert missing.field == "cost_centers[2]"
    assert "999" in missing.message
    assert "Lahti" in missing.message
    assert "Kustannuspaikka" in missing.message
    assert missing.hint is not None
    assert "Create missing dimension items" in missing.hint
    # Warnings do not stop saving; the export refuses these cost centers later.
    assert codes(host.save_mapping(admin, mapping, company)) == codes(problems)
    assert host.mapping_for(authorized_account.id, company.id) == mapping


def test_hook_nmbrs_validate_mapping_reports_cost_units_too(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    company = HostCompany(id=BAKERY.id, name=BAKERY.name, cost_units=(("P-10", "Bakery line"), ("P-99", "Catering")))

    problems = host.validate_mapping(admin, make_mapping(authorized_account), company)

    assert codes(problems) == ["procountor.mapping.item_missing"]
    assert problems[0].field == "cost_units[1]"
    assert "Cost unit P-99" in problems[0].message
    assert "'Projekti'" in problems[0].message


def test_hook_nmbrs_validate_mapping_sees_an_item_deactivated_in_procountor(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    mapping = make_mapping(authorized_account)
    assert host.validate_mapping(admin, mapping, BAKERY) == []

    sandbox.set_dimension_item_status(COMPANY_1, 7001, active=False)

    problems = host.validate_mapping(admin, mapping, BAKERY)
    assert codes(problems) == ["procountor.mapping.item_inactive"]
    assert "100" in problems[0].message

    sandbox.set_dimension_item_status(COMPANY_1, 7001, active=True)
    assert host.validate_mapping(admin, mapping, BAKERY) == []  # nothing kept from the earlier call


def test_hook_nmbrs_validate_mapping_matches_items_by_description_when_codes_differ(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    company = HostCompany(id=BAKERY.id, name=BAKERY.name, cost_centers=(("TRE", "tampere"),))

    assert host.validate_mapping(admin, make_mapping(authorized_account), company) == []


def test_hook_nmbrs_validate_mapping_create_missing_setting_turns_missing_into_info(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor
) -> None:
    account = host.create_account(admin, "procountor", "creating-procountor", {"create_missing_dimension_items": True})
    store_tokens(host, sandbox, account)
    company = HostCompany(id=BAKERY.id, name=BAKERY.name, cost_centers=(("300", "Oulu"), ("999", "Lahti")))

    problems = host.validate_mapping(admin, make_mapping(account, cost_unit=None), company)

    assert [(p.code, p.severity) for p in problems] == [
        ("procountor.mapping.item_inactive", "warning"),  # the export never reactivates an item
        ("procountor.mapping.item_will_be_created", "info"),
    ]


# ----------------------------------------------------------------------------- one answer


def test_hook_nmbrs_validate_mapping_gives_every_problem_in_one_answer(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    host.save_mapping(admin, make_mapping(authorized_account), BAKERY)
    company = HostCompany(
        id=OTHER.id, name=OTHER.name, cost_centers=(("300", "Oulu"),), cost_units=(("P-99", "Catering"),)
    )
    mapping = make_mapping(
        authorized_account,
        company,
        administration=str(COMPANY_2),
        cost_center=(True, "kustannuspaikka"),
        cost_unit=(True, "Projekt"),
    )

    problems = host.validate_mapping(admin, mapping, company)

    assert codes(problems) == [
        "procountor.mapping.one_per_account",
        "procountor.mapping.administration_mismatch",
        "procountor.mapping.dimension_not_found",
        "procountor.mapping.item_inactive",
    ]
    assert all(p.hint for p in problems)


def test_hook_nmbrs_validate_mapping_reads_dimensions_once_per_call(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    company = HostCompany(
        id=BAKERY.id,
        name=BAKERY.name,
        cost_centers=(("100", "Helsinki"), ("300", "Oulu"), ("999", "Lahti")),
        cost_units=(("P-10", "Bakery line"), ("P-99", "x")),
    )
    sandbox.clear_request_log()

    host.validate_mapping(admin, make_mapping(authorized_account), company)
    assert dimension_reads(sandbox) == 1

    host.validate_mapping(admin, make_mapping(authorized_account, cost_center=(True, "Kustanus")), company)
    assert dimension_reads(sandbox) == 2  # read again, never cached between calls


# ----------------------------------------------------------------------------- languages


def test_hook_nmbrs_validate_mapping_speaks_finnish(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    finn = Actor(user_id="fi-1", rights={"procountor": "write"}, locale="fi-FI")
    company = HostCompany(id=BAKERY.id, name=BAKERY.name, cost_centers=(("999", "Lahti"),))
    mapping = make_mapping(authorized_account, company, cost_center=(True, "Kustanuspaikka"), cost_unit=(True, ""))
    company_ok = make_mapping(authorized_account, company, cost_unit=None)

    problems = host.validate_mapping(finn, mapping, company) + host.validate_mapping(finn, company_ok, company)

    assert codes(problems) == [
        "procountor.mapping.dimension_not_found",
        "procountor.mapping.dimension_description_missing",
        "procountor.mapping.item_missing",
    ]
    not_found, blank, missing = problems
    assert "ei ole dimensiota 'Kustanuspaikka'" in not_found.message
    assert not_found.hint is not None
    assert "Tarkoititko 'Kustannuspaikka'?" in not_found.hint
    assert "Kustannusyksiköt" in blank.message
    assert missing.message.startswith("Kustannuspaikka 999 (Lahti)")


def test_hook_nmbrs_validate_mapping_speaks_dutch(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    dutch = Actor(user_id="nl-1", rights={"procountor": "read"}, locale="nl")
    host.save_mapping(admin, make_mapping(authorized_account), BAKERY)
    company = HostCompany(id=OTHER.id, name=OTHER.name, cost_centers=(("300", "Oulu"),))

    problems = host.validate_mapping(dutch, make_mapping(authorized_account, company, cost_unit=None), company)

    assert codes(problems) == ["procountor.mapping.one_per_account", "procountor.mapping.item_inactive"]
    assert "is al gekoppeld aan bedrijf nmbrs-1" in problems[0].message
    assert problems[0].hint is not None
    assert "maak dan een ander Procountor-account aan" in problems[0].hint
    assert problems[1].message.startswith("Kostenplaats 300 (Oulu)")
    assert problems[1].hint is not None
    assert "Activeer item 300" in problems[1].hint


# ----------------------------------------------------------------------------- rights and authorization


def test_hook_nmbrs_validate_mapping_readers_may_validate_but_not_save(
    host: ReferenceHost, sandbox: Sandbox, reader: Actor, authorized_account: IntegrationAccount
) -> None:
    mapping = make_mapping(authorized_account)
    assert host.validate_mapping(reader, mapping, BAKERY) == []
    sandbox.clear_request_log()

    with pytest.raises(ProblemError) as caught:
        host.save_mapping(reader, mapping, BAKERY)

    assert caught.value.codes == ("nmbrs.rights.refused",)
    assert sandbox.request_log == []  # the hook never ran
    assert host.mapping_for(authorized_account.id, BAKERY.id) is None


def test_hook_nmbrs_validate_mapping_plugin_rechecks_read(
    host: ReferenceHost, outsider: Actor, authorized_account: IntegrationAccount
) -> None:
    with pytest.raises(ProblemError) as caught:
        mapping_module.validate_mapping(authorized_account, make_mapping(authorized_account), BAKERY, outsider, host)
    assert caught.value.codes == ("procountor.rights.read_required",)


def test_hook_nmbrs_validate_mapping_unauthorized_account(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, account: IntegrationAccount
) -> None:
    mapping = make_mapping(account, cost_unit=(True, ""))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    # What could be checked without Procountor is answered too.
    assert codes(problems) == ["procountor.auth.not_authorized", "procountor.mapping.dimension_description_missing"]
    assert sandbox.request_log == []
    with pytest.raises(ProblemError) as caught:
        host.save_mapping(admin, mapping, BAKERY)
    assert caught.value.codes[0] == "procountor.auth.not_authorized"


def test_hook_nmbrs_validate_mapping_expired_account(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    sandbox.expire_access_tokens()
    sandbox.revoke_refresh_tokens()

    problems = host.validate_mapping(admin, make_mapping(authorized_account), BAKERY)

    assert codes(problems) == ["procountor.auth.expired"]
    assert problems[0].blocking


def test_hook_nmbrs_validate_mapping_expired_record_keeps_offline_checks(
    host: ReferenceHost, sandbox: Sandbox, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    expire_record(host, authorized_account)
    sandbox.clear_request_log()
    mapping = make_mapping(authorized_account, cost_center=(True, "Projekti"), cost_unit=(True, "PROJEKTI "))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    assert codes(problems) == ["procountor.auth.expired", "procountor.mapping.dimension_used_twice"]
    assert sandbox.request_log == []


def test_hook_nmbrs_validate_mapping_the_same_unknown_name_twice(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount
) -> None:
    mapping = make_mapping(authorized_account, cost_center=(True, "Osasto"), cost_unit=(True, "osasto"))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    assert [(p.code, p.field) for p in problems] == [
        ("procountor.mapping.dimension_not_found", "dimensions.cost_center"),
        ("procountor.mapping.dimension_used_twice", "dimensions.cost_unit"),
    ]


class _FakeClient:
    """Stands in for ProcountorClient where the sandbox cannot produce the answer."""

    def __init__(self, answer: object = None, error: Exception | None = None) -> None:
        self.answer = answer
        self.error = error

    def dimensions(self) -> object:
        if self.error is not None:
            raise self.error
        return self.answer


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        (
            _FakeClient(error=ProcountorForbidden(403, (FieldError(403, None, "No access right to dimensions"),))),
            "procountor.mapping.dimensions_forbidden",
        ),
        (
            _FakeClient(error=ProcountorUnavailable("GET /dimensions: HTTP 503", uncertain=False)),
            "procountor.unavailable",
        ),
        (_FakeClient(error=ProcountorRateLimited(429, ())), "procountor.rate_limited"),
        (_FakeClient(error=ProcountorApiError(400, (), "bad")), "procountor.unexpected_response"),
        (_FakeClient(answer=[{"name": "no id"}]), "procountor.unexpected_response"),
    ],
)
def test_hook_nmbrs_validate_mapping_failed_dimension_read_is_one_problem_among_the_rest(
    host: ReferenceHost,
    admin: Actor,
    authorized_account: IntegrationAccount,
    monkeypatch: pytest.MonkeyPatch,
    client: _FakeClient,
    expected: str,
) -> None:
    monkeypatch.setattr(mapping_module, "open_client", lambda *args: client)
    mapping = make_mapping(authorized_account, administration=str(COMPANY_2), cost_unit=(True, ""))

    problems = host.validate_mapping(admin, mapping, BAKERY)

    assert codes(problems) == [
        "procountor.mapping.administration_mismatch",
        expected,
        "procountor.mapping.dimension_description_missing",
    ]
    assert all(p.blocking for p in problems)


def test_hook_nmbrs_validate_mapping_company_without_dimensions(
    host: ReferenceHost, admin: Actor, authorized_account: IntegrationAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapping_module, "open_client", lambda *args: _FakeClient(answer=[]))

    problems = host.validate_mapping(admin, make_mapping(authorized_account, cost_unit=None), BAKERY)

    assert codes(problems) == ["procountor.mapping.no_dimensions"]
    assert "Järvi Leipomo Oy" in problems[0].message


# ----------------------------------------------------------------------------- catalogue


MAPPING_CODES = [
    "procountor.mapping.one_per_account",
    "procountor.mapping.administration_mismatch",
    "procountor.mapping.dimension_description_missing",
    "procountor.mapping.dimension_not_found",
    "procountor.mapping.no_dimensions",
    "procountor.mapping.dimension_used_twice",
    "procountor.mapping.item_missing",
    "procountor.mapping.item_will_be_created",
    "procountor.mapping.item_inactive",
    "procountor.mapping.dimensions_forbidden",
]


@pytest.mark.parametrize("code", MAPPING_CODES)
def test_mapping_messages_exist_in_every_language_with_the_same_placeholders(code: str) -> None:
    entry = catalogue()[code]
    entry.check()  # every language, the same declared placeholders, complete plurals
    values = entry.sample_values(several=True)
    texts = {entry.render(language, language, values).message for language in LANGUAGES}
    assert len(texts) == len(LANGUAGES)  # really translated, not copied
