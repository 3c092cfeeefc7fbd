"""The token record the plugin keeps in ``host.credentials``, and its (de)serialisation.

One record per account: how it was authorized, the tokens, when the access token expires, and
which Procountor company the authorization belongs to (one authorization is one company). The
``state`` survives a failed refresh so the icon can say "expired" without calling Procountor.
Tokens never appear in ``repr``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Final

STATE_AUTHORIZED: Final = "authorized"
STATE_EXPIRED: Final = "expired"
STATE_REVOKED: Final = "revoked"


@dataclass(frozen=True)
class TokenRecord:
    method: str
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: int
    company_id: str
    company_name: str
    business_id: str = ""
    state: str = STATE_AUTHORIZED

    def to_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> TokenRecord:
        return cls(
            method=str(data["method"]),
            access_token=str(data["access_token"]),
            refresh_token=None if data.get("refresh_token") is None else str(data["refresh_token"]),
            expires_at=int(data["expires_at"]),
            company_id=str(data["company_id"]),
            company_name=str(data["company_name"]),
            business_id=str(data.get("business_id") or ""),
            state=str(data.get("state") or STATE_AUTHORIZED),
        )

    def with_state(self, state: str) -> TokenRecord:
        return replace(self, state=state)
