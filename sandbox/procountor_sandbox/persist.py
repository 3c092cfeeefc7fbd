"""Saving and restoring the mutable part of a sandbox (``SandboxConfig.state_file``).

Only what differs from the seed is stored: issued credentials, receipts, id counters and the
world edits (dimension items, item and tracking-period status, journal rights). On start the
seed is rebuilt as usual and these changes are applied on top. Decimals are written as tagged
strings so amounts round-trip exactly; expiries are absolute epoch seconds so they survive a
restart. Authorization codes and login tickets are short-lived and are not kept.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import json
import os
import tempfile
import threading
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .models import JOURNAL_RIGHTS, PERIOD_STATUSES, DimensionItem
from .seed import build_companies, build_users
from .state import AccessToken, ApiKey, Grant, SandboxState

FORMAT = 1
_DECIMAL = "$decimal"
_DICT = "$dict"  # escapes a user dict that would look like a tagged decimal
_COUNTERS = ("grant_ids", "receipt_ids", "invoice_ids", "transaction_ids", "item_ids")


class StateFileError(ValueError):
    """The state file exists but cannot be read or understood."""


# --- exact JSON encoding of receipts --------------------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {_DECIMAL: format(value, "f")}
    if isinstance(value, dict):
        encoded = {str(k): _encode(v) for k, v in value.items()}
        return {_DICT: encoded} if set(encoded) in ({_DECIMAL}, {_DICT}) else encoded
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_DECIMAL}:
            return Decimal(_expect(value[_DECIMAL], str))
        if set(value) == {_DICT}:
            return {k: _decode(v) for k, v in _expect(value[_DICT], dict).items()}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _expect(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value


# --- snapshot ---------------------------------------------------------------------------------
def _peek(state: SandboxState, name: str) -> int:
    """Next value of an ``itertools.count`` attribute, without consuming it."""
    value = next(getattr(state, name))
    setattr(state, name, itertools.count(value))
    return int(value)


def snapshot(state: SandboxState) -> dict[str, Any]:
    """The saved form of ``state``; the caller holds ``state.lock``."""
    seed_companies = build_companies(state.today, state.config.bureau_companies)
    seed_users = build_users(state.config.bureau_companies)
    companies: dict[str, Any] = {}
    for cid, company in state.companies.items():
        seed = seed_companies.get(cid)
        items: list[dict[str, Any]] = []
        for dimension in company.dimensions:
            seed_dimension = seed.dimension(dimension.id) if seed is not None else None
            for item in dimension.items:
                original = seed_dimension.item(item.id) if seed_dimension is not None else None
                if original is None or original != item:
                    items.append(
                        {
                            "dimensionId": dimension.id,
                            "id": item.id,
                            "codeName": item.code_name,
                            "description": item.description,
                            "active": item.active,
                        }
                    )
        seed_periods = {p.start: p for fy in seed.fiscal_years for p in fy.periods} if seed is not None else {}
        periods = [
            {"start": p.start.isoformat(), "status": p.status, "modified": p.modified}
            for fy in company.fiscal_years
            for p in fy.periods
            if p.start not in seed_periods or seed_periods[p.start] != p
        ]
        companies[str(cid)] = {
            "nextReceiptNumber": company.next_receipt_number,
            "receipts": [_encode(r) for _, r in sorted(company.receipts.items())],
            "dimensionItems": items,
            "trackingPeriods": periods,
        }
    rights = {
        name: {str(cid): right for cid, right in user.rights.items()}
        for name, user in state.users.items()
        if name not in seed_users or seed_users[name].rights != user.rights
    }
    return {
        "format": FORMAT,
        "counters": {name: _peek(state, name) for name in _COUNTERS},
        "grants": [
            {
                "id": g.id,
                "clientId": g.client_id,
                "username": g.username,
                "companyId": g.company_id,
                "refreshToken": g.refresh_token,
                "alive": g.alive,
            }
            for g in state.grants.values()
        ],
        "refreshIndex": dict(state.refresh_index),
        "accessTokens": [
            {
                "token": t.token,
                "clientId": t.client_id,
                "username": t.username,
                "companyId": t.company_id,
                "expiresAt": t.expires_at,
                "grantId": t.grant_id,
                "apiKey": t.api_key,
                "revoked": t.revoked,
            }
            for t in state.access.values()
        ],
        "apiKeys": [
            {
                "key": k.key,
                "clientId": k.client_id,
                "username": k.username,
                "companyId": k.company_id,
                "revoked": k.revoked,
            }
            for k in state.api_keys.values()
        ],
        "journalRights": rights,
        "companies": companies,
    }


# --- restore ----------------------------------------------------------------------------------
def _optional_int(value: Any) -> int | None:
    return None if value is None else int(_expect(value, int))


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(_expect(value, str))


def apply(state: SandboxState, data: Any) -> None:
    """Apply a snapshot to a freshly seeded ``state``; raises on malformed data.

    Entries naming users or companies the seed no longer has are dropped.
    """
    _expect(data, dict)
    if data.get("format") != FORMAT:
        raise ValueError(f"unsupported format {data.get('format')!r} (expected {FORMAT})")
    with state.lock:
        counters = _expect(data["counters"], dict)
        for name in _COUNTERS:
            setattr(state, name, itertools.count(_expect(counters[name], int)))

        def known(username: str, company_id: int) -> bool:
            return username in state.users and company_id in state.companies

        for raw in _expect(data["grants"], list):
            grant = Grant(
                _expect(raw["id"], int),
                _expect(raw["clientId"], str),
                _expect(raw["username"], str),
                _expect(raw["companyId"], int),
                _expect(raw["refreshToken"], str),
                alive=_expect(raw["alive"], bool),
            )
            if known(grant.username, grant.company_id):
                state.grants[grant.id] = grant
        for token, grant_id in _expect(data["refreshIndex"], dict).items():
            if _expect(grant_id, int) in state.grants:
                state.refresh_index[token] = grant_id
        for raw in _expect(data["apiKeys"], list):
            key = ApiKey(
                _expect(raw["key"], str),
                _expect(raw["clientId"], str),
                _expect(raw["username"], str),
                _expect(raw["companyId"], int),
                revoked=_expect(raw["revoked"], bool),
            )
            if known(key.username, key.company_id):
                state.api_keys[key.key] = key
        for raw in _expect(data["accessTokens"], list):
            expires = raw["expiresAt"]
            if isinstance(expires, bool) or not isinstance(expires, (int, float)):
                raise TypeError("expiresAt must be a number of epoch seconds")
            access = AccessToken(
                _expect(raw["token"], str),
                _expect(raw["clientId"], str),
                _expect(raw["username"], str),
                _expect(raw["companyId"], int),
                float(expires),
                _optional_int(raw["grantId"]),
                revoked=_expect(raw["revoked"], bool),
                api_key=_optional_str(raw["apiKey"]),
            )
            if not known(access.username, access.company_id):
                continue
            if access.grant_id is not None and access.grant_id not in state.grants:
                continue
            state.access[access.token] = access

        for username, rights in _expect(data["journalRights"], dict).items():
            user = state.users.get(username)
            if user is None:
                continue
            restored: dict[int, str] = {}
            for cid, right in _expect(rights, dict).items():
                if right not in JOURNAL_RIGHTS:
                    raise ValueError(f"unknown journal right {right!r}")
                if int(cid) in state.companies:
                    restored[int(cid)] = right
            user.rights = restored

        for cid_text, raw in _expect(data["companies"], dict).items():
            company = state.companies.get(int(cid_text))
            if company is None:
                continue
            _expect(raw, dict)
            company.next_receipt_number = _expect(raw["nextReceiptNumber"], int)
            for encoded in _expect(raw["receipts"], list):
                receipt = _expect(_decode(encoded), dict)
                company.receipts[_expect(receipt["id"], int)] = receipt
            for item in _expect(raw["dimensionItems"], list):
                dimension = company.dimension(_expect(item["dimensionId"], int))
                if dimension is None:
                    continue
                restored_item = DimensionItem(
                    _expect(item["id"], int),
                    _expect(item["codeName"], str),
                    _expect(item["description"], str),
                    active=_expect(item["active"], bool),
                )
                existing = dimension.item(restored_item.id)
                if existing is None:
                    dimension.items.append(restored_item)
                else:
                    existing.code_name = restored_item.code_name
                    existing.description = restored_item.description
                    existing.active = restored_item.active
            periods = {p.start: p for fy in company.fiscal_years for p in fy.periods}
            for period in _expect(raw["trackingPeriods"], list):
                found = periods.get(datetime.date.fromisoformat(_expect(period["start"], str)))
                if found is None:
                    continue  # the fiscal years moved on with ``today``
                if period["status"] not in PERIOD_STATUSES:
                    raise ValueError(f"unknown tracking period status {period['status']!r}")
                found.status = period["status"]
                found.modified = _expect(period["modified"], str)


# --- files ------------------------------------------------------------------------------------
def load_file(state: SandboxState, path: Path) -> bool:
    """Apply ``path`` to ``state`` if the file exists; False when there is nothing to load."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError) as exc:
        raise StateFileError(f"cannot read sandbox state file {path}: {exc}") from exc
    try:
        apply(state, json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError, InvalidOperation) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc) or type(exc).__name__
        raise StateFileError(f"sandbox state file {path} is corrupt or not a sandbox state: {detail}") from exc
    return True


class StateFile:
    """Atomic saves of one state to one file (temporary file in the same folder, then replace)."""

    def __init__(self, state: SandboxState, path: Path) -> None:
        self.state = state
        self.path = path
        self._lock = threading.Lock()  # saves are serialised, so a newer snapshot is never overwritten

    def save(self) -> None:
        with self._lock:
            with self.state.lock:
                text = json.dumps(snapshot(self.state), ensure_ascii=False, indent=1)
            folder = self.path.parent
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
