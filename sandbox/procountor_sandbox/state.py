"""Mutable world of one sandbox: seed data, issued credentials and stored receipts.

Everything lives behind one re-entrant lock: handlers take it for a whole read-check-write
sequence, which is what makes races such as two concurrent refreshes resolve to exactly one
winner.
"""

from __future__ import annotations

import copy
import datetime
import hmac
import itertools
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .config import SandboxConfig
from .models import JOURNAL_RIGHTS, PERIOD_STATUSES, Company, User
from .receipt_view import full_view
from .seed import build_companies, build_users

TWO_PLACES = Decimal("0.01")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def timestamp() -> str:
    """Procountor datetimes carry no time zone (docs/procountor-api.md §6 [P4])."""
    return datetime.datetime.now().isoformat(timespec="milliseconds")


@dataclass
class AuthCode:
    code: str
    client_id: str
    username: str
    company_id: int
    redirect_uri: str
    expires_at: float
    used: bool = False


@dataclass
class Grant:
    """One user authorization (login or test helper); its refresh token rotates within it."""

    id: int
    client_id: str
    username: str
    company_id: int
    refresh_token: str
    alive: bool = True


@dataclass
class AccessToken:
    token: str
    client_id: str
    username: str
    company_id: int
    expires_at: float
    grant_id: int | None
    revoked: bool = False
    api_key: str | None = None  # set for client_credentials tokens: they die with their key


@dataclass
class ApiKey:
    key: str
    client_id: str
    username: str
    company_id: int
    revoked: bool = False


@dataclass
class LoginTicket:
    """Proof that the login page already checked the password, so step two needs no password."""

    ticket: str
    username: str
    expires_at: float


class SandboxState:
    def __init__(self, config: SandboxConfig, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.search_rights: dict[tuple[str, int], tuple[str, bool]] = {}
        self.clock = clock
        self.lock = threading.RLock()
        self.today = config.effective_today()  # fixed at construction: the seed is rebuilt from it
        self.companies: dict[int, Company] = build_companies(self.today, config.bureau_companies)
        self.users: dict[str, User] = build_users(config.bureau_companies)
        self.codes: dict[str, AuthCode] = {}
        self.grants: dict[int, Grant] = {}
        self.refresh_index: dict[str, int] = {}
        self.access: dict[str, AccessToken] = {}
        self.api_keys: dict[str, ApiKey] = {}
        self.tickets: dict[str, LoginTicket] = {}
        self.grant_ids = itertools.count(1)
        self.receipt_ids = itertools.count(40001)
        self.invoice_ids = itertools.count(70001)
        self.transaction_ids = itertools.count(500001)
        self.item_ids = itertools.count(9001)
        self.attachment_ids = itertools.count(80001)

    # --- users -------------------------------------------------------------------------
    def check_password(self, username: str, password: str) -> User | None:
        user = self.users.get(username)
        # Compare even for unknown users so timing does not reveal which usernames exist.
        expected = user.password if user is not None else "\x00unknown"
        ok = hmac.compare_digest(expected.encode(), password.encode())
        return user if ok and user is not None else None

    def user_companies(self, user: User) -> list[Company]:
        return [self.companies[cid] for cid in sorted(user.rights) if cid in self.companies]

    def journal_right(self, username: str, company_id: int) -> str:
        user = self.users.get(username)
        return user.rights.get(company_id, "NO_ACCESS") if user else "NO_ACCESS"

    def require_member(self, username: str, company_id: int) -> User:
        user = self.users.get(username)
        if user is None:
            raise ValueError(f"unknown user {username!r}")
        if company_id not in self.companies:
            raise ValueError(f"unknown company {company_id}")
        if company_id not in user.rights:
            raise ValueError(f"user {username!r} is not a member of company {company_id}")
        return user

    # --- credentials -------------------------------------------------------------------
    def issue_access(
        self, client_id: str, username: str, company_id: int, grant: int | None, api_key: str | None = None
    ) -> str:
        token = new_secret()
        self.access[token] = AccessToken(
            token,
            client_id,
            username,
            company_id,
            self.clock() + self.config.access_token_ttl,
            grant,
            api_key=api_key,
        )
        return token

    def new_grant(self, client_id: str, username: str, company_id: int) -> Grant:
        grant = Grant(next(self.grant_ids), client_id, username, company_id, new_secret())
        self.grants[grant.id] = grant
        self.refresh_index[grant.refresh_token] = grant.id
        return grant

    def token_response(self, grant: Grant, include_refresh: bool = True) -> dict[str, Any]:
        access = self.issue_access(grant.client_id, grant.username, grant.company_id, grant.id)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": self.config.access_token_ttl,
        }
        if include_refresh:
            body["refresh_token"] = grant.refresh_token
        return body

    def rotate(self, grant: Grant) -> None:
        self.refresh_index.pop(grant.refresh_token, None)
        grant.refresh_token = new_secret()
        self.refresh_index[grant.refresh_token] = grant.id

    def valid_access(self, token: str) -> AccessToken | None:
        found = self.access.get(token)
        if found is None or found.revoked or found.expires_at <= self.clock():
            return None
        if found.company_id not in self.users[found.username].rights:
            return None  # user removed from the company: the authorization dies with it
        if found.api_key is not None:
            key = self.api_keys.get(found.api_key)
            if key is None or key.revoked:
                return None  # a revoked API key takes its access tokens with it
        return found

    def issue_tokens(self, username: str, company_id: int) -> dict[str, Any]:
        with self.lock:
            self.require_member(username, company_id)
            grant = self.new_grant(self.config.client_id, username, company_id)
            return self.token_response(grant)

    def issue_api_key(self, username: str, company_id: int) -> str:
        with self.lock:
            self.require_member(username, company_id)
            key = new_secret()
            self.api_keys[key] = ApiKey(key, self.config.client_id, username, company_id)
            return key

    def revoke_api_key(self, key: str) -> None:
        with self.lock:
            found = self.api_keys.get(key)
            if found is None:
                raise ValueError("unknown API key")
            found.revoked = True
            for token in self.access.values():
                if token.api_key == key:
                    token.revoked = True

    def expire_access_tokens(self) -> None:
        with self.lock:
            for token in self.access.values():
                token.expires_at = min(token.expires_at, self.clock() - 1)

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            for grant in self.grants.values():
                grant.alive = False
            self.refresh_index.clear()

    # --- world edits used by tests -----------------------------------------------------
    def set_journal_rights(self, username: str, company_id: int, right: str) -> None:
        if right not in JOURNAL_RIGHTS:
            raise ValueError(f"right must be one of {JOURNAL_RIGHTS}")
        with self.lock:
            self.require_member(username, company_id)
            self.users[username].rights[company_id] = right

    def set_search_rights(self, username: str, company_id: int, level: str, personal_only: bool = False) -> None:
        """Give the user a journal receipt search right apart from the journal right (tests)."""
        if level not in JOURNAL_RIGHTS:
            raise ValueError(f"level must be one of {JOURNAL_RIGHTS}")
        with self.lock:
            self.require_member(username, company_id)
            self.search_rights[(username, company_id)] = (level, personal_only)

    def search_right(self, username: str, company_id: int, journal_right: str) -> str:
        """The search right: as set by a test, else viewing follows the journal right."""
        override = self.search_rights.get((username, company_id))
        if override is not None:
            return override[0]
        return journal_right if journal_right in ("ALL_RIGHTS", "VIEWING_RIGHTS") else "NO_ACCESS"

    def personal_receipts_only(self, username: str, company_id: int) -> bool:
        override = self.search_rights.get((username, company_id))
        return override is not None and override[1]

    def set_tracking_period_status(self, company_id: int, year: int, month: int, status: str) -> None:
        if status not in PERIOD_STATUSES:
            raise ValueError(f"status must be one of {PERIOD_STATUSES}")
        with self.lock:
            company = self.company(company_id)
            for fy in company.fiscal_years:
                for period in fy.periods:
                    if period.start.year == year and period.start.month == month:
                        period.status = status
                        period.modified = timestamp()
                        return
            raise ValueError(f"no tracking period {year}-{month:02d} in company {company_id}")

    def set_dimension_item_status(self, company_id: int, item_id: int, active: bool) -> None:
        with self.lock:
            for dimension in self.company(company_id).dimensions:
                item = dimension.item(item_id)
                if item is not None:
                    item.active = active
                    return
            raise ValueError(f"no dimension item {item_id} in company {company_id}")

    def company(self, company_id: int) -> Company:
        company = self.companies.get(company_id)
        if company is None:
            raise ValueError(f"unknown company {company_id}")
        return company

    def receipts(self, company_id: int) -> list[dict[str, Any]]:
        with self.lock:
            company = self.company(company_id)
            return [full_view(r) for _, r in sorted(company.receipts.items())]

    def count_receipts(self, company_id: int, name: str) -> int:
        """How many of the company's receipts are named ``name``, without copying any.

        Cheap enough to poll while the sandbox serves: :meth:`receipts` copies every receipt
        under the lock every request needs, and polled often it holds those requests up.
        """
        with self.lock:
            return sum(1 for receipt in self.company(company_id).receipts.values() if receipt.get("name") == name)

    def attachments(self, company_id: int) -> list[dict[str, Any]]:
        """Every stored attachment: the ``Attachment`` answer plus ``content`` (bytes) and ``filename``."""
        with self.lock:
            company = self.company(company_id)
            return [
                {**copy.deepcopy(a.meta), "content": a.content, "filename": a.filename, "contentType": a.content_type}
                for _, a in sorted(company.attachments.items())
            ]

    def delete_attachment(self, company_id: int, attachment_id: int) -> None:
        """What an accountant does by hand in Procountor: the document is gone from its receipt."""
        with self.lock:
            company = self.company(company_id)
            if company.attachments.pop(attachment_id, None) is None:
                raise ValueError(f"no attachment {attachment_id} in company {company_id}")
            for receipt in company.receipts.values():
                receipt["attachments"] = [a for a in receipt.get("attachments") or [] if a.get("id") != attachment_id]

    def invalidate_receipt(self, company_id: int, receipt_id: int) -> None:
        """What an accountant does by hand in Procountor's UI: the receipt becomes INVALIDATED."""
        with self.lock:
            receipt = self.company(company_id).receipts.get(receipt_id)
            if receipt is None:
                raise ValueError(f"no receipt {receipt_id} in company {company_id}")
            receipt["status"] = "INVALIDATED"
            receipt["version"] = timestamp()
