"""Telling the host that an account stopped working, so an admin hears it before month-end.

The token lifecycle calls :func:`tell_host` once per transition to ``expired`` (a refused
refresh token) or ``revoked`` (a refused API key): only the worker whose compare-and-swap wrote
the new state does. The notice carries the message in the actor's language and in every
language of the catalogue, because the admin who reads the mail may not be the one whose export
found out.
"""

from __future__ import annotations

import logging
from typing import Final

from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import AccountNotice, IntegrationAccount, NoticeState
from nmbrs_procountor_plugin.messages import LANGUAGES, language, problem

log = logging.getLogger(__name__)

CODES: Final[dict[NoticeState, str]] = {
    "expired": "procountor.auth.expired",
    "revoked": "procountor.auth.api_key_refused",
}


def account_notice(account: IntegrationAccount, state: NoticeState, locale: str | None) -> AccountNotice:
    """The notice for ``account`` having turned ``state``, in ``locale`` and every other language."""
    code = CODES[state]
    found = problem(code, locale, username=account.username)
    translations = {}
    for lang in LANGUAGES:
        each = problem(code, lang, username=account.username)
        translations[lang] = f"{each.message} {each.hint}" if each.hint else each.message
    return AccountNotice(
        account_id=account.id,
        provider=account.provider,
        username=account.username,
        state=state,
        code=code,
        message=found.message,
        hint=found.hint or "",
        locale=language(locale),
        translations=translations,
    )


def tell_host(host: PluginHost, account: IntegrationAccount, state: NoticeState, locale: str | None) -> None:
    """Hand the notice to ``host.notices``; a host without it, or failing to take it, is only logged."""
    notice = account_notice(account, state, locale)
    board = getattr(host, "notices", None)
    if board is None:
        log.warning("procountor account %s turned %s; the host takes no notices", account.id, state)
        return
    try:
        board.account_notice(notice)
    except Exception as exc:  # a notice must never turn a refused renewal into a crash
        log.warning("procountor account %s turned %s; the host refused the notice: %s", account.id, state, exc)
