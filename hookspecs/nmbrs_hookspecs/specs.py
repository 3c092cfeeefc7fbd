"""Hook specifications: the host's extension points for accounting integrations.

Every hook is called by keyword. Provider hooks are ``firstresult=True`` and receive the
:class:`~nmbrs_hookspecs.types.IntegrationAccount`; a plugin answers ``None`` for accounts of another
provider, and the first non-``None`` answer wins. Hookimpls must not give their parameters
defaults (pluggy 1.6 never passes a defaulted argument) and may take fewer arguments than the
spec lists.

Problem codes named below are written ``<provider>.<area>.<reason>``: each plugin prefixes them
with its provider key and documents their messages, in the actor's language, and what to do about
each in its own error catalogue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nmbrs_hookspecs.markers import hookspec

if TYPE_CHECKING:
    from nmbrs_hookspecs.protocols import PluginHost
    from nmbrs_hookspecs.secret import CallbackParams
    from nmbrs_hookspecs.types import (
        AccountStatus,
        Actor,
        Administration,
        AdministrationMapping,
        ExportPlan,
        ExportResult,
        HostCompany,
        IntegrationAccount,
        IntegrationProvider,
        Journal,
        Problem,
        TemplateRight,
    )
    from nmbrs_hookspecs.undo import UndoPlan, UndoResult

# ----------------------------------------------------------------------------- template rights


@hookspec
def nmbrs_template_rights() -> list[TemplateRight]:
    """Declare the rights a template can grant for this plugin's features.

    Called once at host start-up to build the template editor. The host stores each user's
    level and enforces it before calling the hooks below: the level a hook needs is given in
    its docstring. Plugins check again and refuse with ``<provider>.rights.write_required``
    when a call slipped through.

    :return: the plugin's rights; the host refuses two plugins declaring the same key.

    Not firstresult: every plugin's list is collected.
    """


# ----------------------------------------------------------------------------- integration settings


@hookspec
def nmbrs_integration_providers() -> list[IntegrationProvider]:
    """Declare the accounting providers this plugin adds to the master-level Integration page.

    The host renders each provider's :class:`~nmbrs_hookspecs.types.SettingField` list for every
    account and stores the values in ``IntegrationAccount.settings``. A ``secret`` field is masked
    in the UI, stored encrypted, and handed to plugins as a :class:`~nmbrs_hookspecs.secret.Secret`
    (the account is built with its ``secret_keys``), so no repr, log or hook trace shows it.

    :return: the providers; the host refuses two plugins declaring the same provider key.

    Not firstresult: every plugin's list is collected.
    """


@hookspec(firstresult=True)
def nmbrs_authorization_url(account: IntegrationAccount, actor: Actor, host: PluginHost) -> str | None:
    """Start authorizing ``account``: the URL of the provider's login page (the "click the icon" step).

    Right needed: write. The plugin creates a fresh single-use ``state`` bound to the account
    through ``host.authorization_states``; the host redirects the user's browser to the URL.

    :param account: the master-level account being authorized.
    :param actor: the admin clicking the icon.
    :param host: the host's services.
    :return: the absolute login URL, or ``None`` when the account is not this plugin's.
    :raises nmbrs_hookspecs.errors.ProblemError: with ``<provider>.rights.write_required``,
        ``<provider>.config.invalid`` or ``<provider>.config.insecure_url``.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def nmbrs_authorization_callback(
    account: IntegrationAccount, actor: Actor, params: CallbackParams, host: PluginHost
) -> AccountStatus | None:
    """Finish authorizing ``account`` when the provider redirects back with ``code`` and ``state``.

    Right needed: write. The plugin checks that ``state`` is one it issued for this very
    account and has not been used or expired, exchanges the code for tokens, stores them through
    ``host.credentials`` and learns which company the user chose. A grant the new login replaces
    is ended at the provider; when that fails, the status carries a warning
    (``<provider>.auth.logout_failed``) telling the admin to end it there.

    :param account: the account the host's callback URL names.
    :param actor: the admin whose browser came back.
    :param params: the callback's query string (``code``, ``state``, or ``error``), as a
        :class:`~nmbrs_hookspecs.secret.CallbackParams` so that tracing shows no code or state.
    :param host: the host's services.
    :return: ``authorized`` with the chosen administration, or ``unauthorized`` with a message
        saying what went wrong; ``None`` when the account is not this plugin's.
    :raises nmbrs_hookspecs.errors.ProblemError: with ``<provider>.rights.write_required``,
        ``<provider>.auth.state_invalid``, ``<provider>.auth.denied``,
        ``<provider>.auth.provider_error``, ``<provider>.auth.code_missing``,
        ``<provider>.auth.exchange_failed``, ``<provider>.auth.company_changed`` (a mapped account
        re-authorized for another company) or ``<provider>.unavailable``; nothing is stored then.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def nmbrs_account_status(account: IntegrationAccount, actor: Actor, host: PluginHost) -> AccountStatus | None:
    """What the account's icon shows: ``unauthorized``, ``authorized``, ``expired`` or ``revoked``.

    Right needed: read. Called on every page view, so it must be cheap: with nothing stored the
    plugin answers ``unauthorized`` without calling the provider.

    :param account: the account whose icon is drawn.
    :param actor: the admin looking at the icon; the message comes in their language.
    :param host: the host's services.
    :return: the status with a message telling the admin what to do, or ``None`` when the
        account is not this plugin's.

    Stops at first non-None result.
    """


@hookspec
def nmbrs_account_removed(account: IntegrationAccount, actor: Actor, host: PluginHost) -> list[Problem] | None:
    """The admin removed ``account``: end its grant at the provider and forget its tokens.

    Right needed: write. The grant is ended even when its access token is no longer accepted
    (the plugin renews it to log out). The credentials are forgotten even when the provider
    cannot be reached; the plugin then logs and returns a warning
    (``<provider>.auth.logout_failed``, in the actor's language, saying to end the session at
    the provider) and the host finishes removing the account.

    :param account: the account being removed.
    :param actor: the admin removing it.
    :param host: the host's services.
    :return: warnings for the admin (empty when the grant was ended), or ``None`` for accounts
        that are not the plugin's.

    Not firstresult: every plugin is told; plugins ignore accounts that are not theirs.
    """


# ----------------------------------------------------------------------------- administration mapping


@hookspec(firstresult=True)
def nmbrs_administrations(account: IntegrationAccount, actor: Actor, host: PluginHost) -> list[Administration] | None:
    """The administrations ``account`` may be mapped to, for the 'New mapping' dialog.

    Right needed: read. Where the provider grants one company per authorization, the list has
    exactly one element.

    :param account: the authorized account whose administrations are listed.
    :param actor: the admin opening the dialog; problems come in their language.
    :param host: the host's services.
    :return: the administrations, or ``None`` when the account is not this plugin's.
    :raises nmbrs_hookspecs.errors.ProblemError: with ``<provider>.auth.not_authorized``,
        ``<provider>.auth.expired`` or ``<provider>.unavailable``.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def nmbrs_validate_mapping(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    actor: Actor,
    host: PluginHost,
) -> list[Problem] | None:
    """Check a mapping before the host saves it: every problem that would later stop an export.

    Right needed: read (the host needs write to save). Blocking problems (severity ``error``)
    make the host refuse to save; warnings are shown and saved with the mapping.

    :param account: the account the mapping belongs to.
    :param mapping: the proposed mapping; ``mapping.company_id == company.id``.
    :param company: the host company with its cost centers and cost units.
    :param actor: the admin; problems come in their language.
    :param host: the host's services (``host.mappings`` holds the saved mappings).
    :return: the problems (empty when the mapping is sound), or ``None`` when the account is not
        this plugin's. Codes: ``<provider>.mapping.one_per_account``,
        ``<provider>.mapping.administration_mismatch``,
        ``<provider>.mapping.dimension_description_missing``,
        ``<provider>.mapping.dimension_not_found``, ``<provider>.mapping.dimension_used_twice``,
        ``<provider>.mapping.no_dimensions``, ``<provider>.mapping.dimensions_forbidden``,
        ``<provider>.mapping.item_missing`` (warning), ``<provider>.mapping.item_inactive``
        (warning), ``<provider>.mapping.item_will_be_created`` (info),
        ``<provider>.auth.not_authorized``, ``<provider>.auth.expired``, ``<provider>.unavailable``.

    Stops at first non-None result.
    """


# ----------------------------------------------------------------------------- journal export


@hookspec(firstresult=True)
def nmbrs_journal_export_preview(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> ExportPlan | None:
    """What exporting ``journal`` would send, and every reason it would not, without writing.

    Right needed: read. Reads ``host.ledger`` and records the call in ``host.attempts``, but
    writes nothing. Runs the export's pipeline up to the first write, including the reads
    of the provider's master data, so the problems are the ones a real export would meet.

    :param account: the account the company is mapped through.
    :param mapping: the saved mapping of ``company`` on ``account``.
    :param company: the host company, with its Test-company and blocked-debtor flags.
    :param journal: the frozen journal of one payroll run, corrections included.
    :param actor: the admin; problems come in their language.
    :param host: the host's services.
    :return: the planned receipts (exact payloads, in booking order) and problems, or ``None``
        when the account is not this plugin's. Codes: as for :func:`nmbrs_journal_export`.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def nmbrs_journal_export(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> ExportResult | None:
    """Book ``journal`` in the accounting system: the company-level Journal entries Export.

    Right needed: write. Safe to call again: each period is booked exactly once. The plugin
    records an intent in ``host.ledger`` before it sends a period and the receipt after, reads
    the ledger first on every call (a renamed reference, a moved date or reordered lines book
    nothing again), and finishes a partial export on the next call. It records the call in
    ``host.attempts``. The journal's sent status is derived from the ledger, never from this
    answer, so a later failed call cannot hide what is booked.

    :param account: the account the company is mapped through.
    :param mapping: the saved mapping of ``company`` on ``account``.
    :param company: the host company, with its Test-company and blocked-debtor flags.
    :param journal: the frozen journal of one payroll run, corrections included.
    :param actor: the admin; problems come in their language.
    :param host: the host's services.
    :return: this call's outcome, with every booked receipt of the run it knows and the problems:
        ``sent`` / ``already_sent`` (all booked; ``sent`` when this call booked some),
        ``partially_sent`` (this call booked some, then stopped), ``blocked`` (nothing booked:
        something must be fixed first, whether found before sending or in the provider's refusal
        of the first write) or ``failed`` (nothing booked: the provider was
        unavailable or answered unexpectedly; try later); or ``None`` when the account is
        not this plugin's. Codes: gates ``<provider>.rights.write_required``,
        ``<provider>.export.test_company``, ``<provider>.export.debtor_blocked``,
        ``<provider>.auth.not_authorized``, ``<provider>.export.not_mapped``; journal
        ``<provider>.journal.*``; provider master data ``<provider>.account.*``,
        ``<provider>.dimension.*``, ``<provider>.period.*`` (``pending`` included),
        ``<provider>.rights.journal_receipts``, ``<provider>.rights.receipt_search``;
        sending ``<provider>.export.*``, ``<provider>.unavailable``, ``<provider>.rate_limited``.

    Stops at first non-None result.
    """


# ----------------------------------------------------------------------------- after sending: undo


@hookspec(firstresult=True)
def nmbrs_journal_undo_preview(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> UndoPlan | None:
    """What undoing the sent run of ``journal`` would do: the confirmation the admin reads first.

    Right needed: write (it is the first step of a write; the host shows it only to those who may
    confirm). Writes nothing. Lists every receipt the booking ledger (``host.ledger``) holds for the
    run with its period and whether the accounting system will let it go (an open period), read
    from the accounting system at that moment.

    :param account: the account the company is mapped through.
    :param mapping: the saved mapping of ``company`` on ``account``.
    :param company: the host company.
    :param journal: the journal of the run (its ``run_id`` names the run in the ledger).
    :param actor: the admin; problems come in their language.
    :param host: the host's services (the ledger says what is booked).
    :return: the receipts with their :class:`~nmbrs_hookspecs.undo.UndoState` and the problems
        (blocking ones mean the undo would invalidate nothing), or ``None`` when the account is not
        this plugin's. Codes: as for :func:`nmbrs_journal_undo`.

    Stops at first non-None result.
    """


@hookspec(firstresult=True)
def nmbrs_journal_undo(
    account: IntegrationAccount,
    mapping: AdministrationMapping,
    company: HostCompany,
    journal: Journal,
    actor: Actor,
    host: PluginHost,
) -> UndoResult | None:
    """Take the sent run of ``journal`` back: invalidate its receipts in the accounting system.

    Right needed: write. All or nothing where the accounting system allows it: when one receipt's
    period is not open, nothing is invalidated. Each invalidation is recorded in ``host.ledger``
    (the period then counts as not booked, so the run can be sent again as new) and the attempt in
    ``host.attempts``. A receipt invalidated by hand beforehand counts as undone. Safe to repeat: an
    undo that stopped halfway is finished by the next call, and nothing else is touched.

    :param account: the account the company is mapped through.
    :param mapping: the saved mapping of ``company`` on ``account``.
    :param company: the host company.
    :param journal: the journal of the run (its ``run_id`` names the run in the ledger).
    :param actor: the admin confirming the undo; problems come in their language.
    :param host: the host's services.
    :return: the :class:`~nmbrs_hookspecs.undo.UndoResult` (``undone``, ``partially_undone``,
        ``nothing_to_undo``, ``failed`` or ``blocked``) with each receipt's state, or ``None`` when
        the account is not this plugin's. Codes: ``<provider>.rights.write_required``,
        ``<provider>.auth.not_authorized``, ``<provider>.export.not_mapped``,
        ``<provider>.undo.period_closed``, ``<provider>.undo.period_pending``,
        ``<provider>.undo.receipt_missing``, ``<provider>.undo.rights``, ``<provider>.undo.refused``,
        ``<provider>.undo.incomplete``, ``<provider>.undo.in_progress``,
        ``<provider>.undo.already_invalidated`` (info), ``<provider>.undo.nothing_booked`` (info),
        ``<provider>.unavailable``.

    Stops at first non-None result.
    """
