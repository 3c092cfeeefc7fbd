"""A thin, strict HTTP client for the Procountor endpoints the plugin uses.

Why it is shaped this way:

* every call has a timeout (requests has none by default);
* retries are urllib3's ``Retry``, honouring ``Retry-After``: reads are retried on 429/5xx and
  connection errors; a write is retried only on 429 (Procountor refused it before processing)
  or when the connection could not even be opened. Any other failed write surfaces as
  :class:`ProcountorUnavailable` with ``uncertain=True`` so the caller looks before resending;
* a 401 triggers one token refresh and one retry; a 401 right after that is retried once more
  after a short pause (a new token is not valid everywhere behind Procountor's gateway at once).
  A 401 that lasts is reported as such, never as an expired authorization: only the token
  endpoint refusing the grant says that (tokens.py);
* GET requests never carry a body (Procountor's gateway answers 403 to that);
* JSON bodies go out as exact decimals with ``Content-Type: application/json`` and nothing else.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final, Protocol

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader, NewConnectionError
from urllib3.util.retry import Retry

from nmbrs_procountor_plugin.api import exact_json
from nmbrs_procountor_plugin.api.errors import (
    FieldError,
    ProcountorApiError,
    ProcountorForbidden,
    ProcountorRateLimited,
    ProcountorUnauthorized,
    ProcountorUnavailable,
)
from nmbrs_procountor_plugin.api.multipart import Multipart, attachment_form
from nmbrs_procountor_plugin.api.pacing import Pacer
from nmbrs_procountor_plugin.api.payloads import (
    Company,
    Dimension,
    FiscalYear,
    LedgerAccount,
    LedgerReceipt,
    UserRights,
    VatDefaults,
)
from nmbrs_procountor_plugin.api.summary import plain_reason, summarise

log = logging.getLogger(__name__)

CONNECT_TIMEOUT: Final = 5.0
MAX_BATCH: Final = 200
PAGE_SIZE: Final = 200
RETRY_AFTER_CAP: Final = 30.0
# How long a token the token endpoint has just issued may take to be accepted by every API node.
SETTLE_SECONDS: Final = 1.0


class TokenSource(Protocol):
    """Where the client gets a valid access token (the token lifecycle module implements it)."""

    def access_token(self) -> str:
        """A token valid for the next request, refreshed ahead of expiry when needed."""
        ...

    def refresh_after_rejection(self, rejected: str) -> str:
        """Procountor refused ``rejected`` (401): a fresh token, unless refreshing is impossible.

        Raises ``ProblemError`` (``procountor.auth.expired`` / ``api_key_refused``) when the
        token endpoint refuses the grant: the one thing that proves an authorization dead.
        """
        ...


class ProcountorRetry(Retry):
    """Retry reads freely; retry a write only when Procountor said "too many requests".

    A retry is a request to Procountor like any other, so with a :class:`Pacer` every retry waits
    on the host's limiter, and a 429's ``Retry-After`` becomes the limiter's shared pause (every
    worker of the client holds back) instead of one request's private sleep.
    """

    pacer: Pacer | None = None

    def new(self, **kw: Any) -> ProcountorRetry:
        # urllib3 makes a fresh Retry per attempt from its constructor arguments only.
        retry = super().new(**kw)
        retry.pacer = self.pacer
        return retry

    def sleep(self, response: Any = None) -> None:
        if self.pacer is None:
            super().sleep(response)
            return
        self.pacer.answered()  # the failed attempt's answer is in: it counts from now at the latest
        if response is not None and response.status == 429:
            self.pacer.refused(self.get_retry_after(response))
        else:
            super().sleep(response)
        self.pacer.wait()

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if method.upper() != "GET":
            return status_code == 429 and bool(self.total)
        return super().is_retry(method, status_code, has_retry_after)

    def get_retry_after(self, response: Any) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, RETRY_AFTER_CAP)


def retry_policy(total: int = 4, pacer: Pacer | None = None) -> ProcountorRetry:
    policy = ProcountorRetry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=0.3,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    policy.pacer = pacer
    return policy


def new_http_session(pacer: Pacer, retries: int = 4) -> requests.Session:
    """A requests session with Procountor's retry policy (paced retries) mounted for http and https."""
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry_policy(retries, pacer))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def retry_after(response: requests.Response) -> float | None:
    """The answer's ``Retry-After`` in seconds (capped), or None when absent or unreadable."""
    header = response.headers.get("Retry-After")
    if header is None:
        return None
    try:
        return min(retry_policy(0).parse_retry_after(header), RETRY_AFTER_CAP)
    except InvalidHeader:
        return None


def _never_sent(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the connection could not be opened at all, so the request never left."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, NewConnectionError)


def parse_errors(response: requests.Response) -> tuple[tuple[FieldError, ...], str]:
    """Procountor's error list, or a short excerpt when the body is not the documented shape."""
    try:
        body = response.json()
    except ValueError:
        return (), summarise(response)
    errors: list[FieldError] = []
    if isinstance(body, dict):
        for item in body.get("errors") or []:
            if isinstance(item, dict):
                errors.append(
                    FieldError(
                        status=int(item.get("status") or response.status_code),
                        field=item.get("field") or None,
                        message=str(item.get("message") or ""),
                    )
                )
        if not errors and body.get("error"):
            errors.append(FieldError(response.status_code, None, str(body.get("error_description") or body["error"])))
        if not errors and body.get("message"):
            errors.append(FieldError(response.status_code, None, str(body["message"])))
    return tuple(errors), ""


class ProcountorClient:
    """Calls to one Procountor company's API with one authorization."""

    def __init__(
        self,
        api_url: str,
        tokens: TokenSource,
        *,
        timeout: float = 30.0,
        pacer: Pacer,
        session: requests.Session | None = None,
    ) -> None:
        self._api = api_url.rstrip("/")
        self._pacer = pacer
        self._tokens = tokens
        self._timeout = (CONNECT_TIMEOUT, timeout)
        self._http = session or new_http_session(pacer)
        self.settle_seconds = SETTLE_SECONDS
        # What this client asked Procountor, for the attempt history (writes included in requests).
        self.request_count = 0
        self.write_count = 0

    # ------------------------------------------------------------------ transport

    def _send(
        self,
        method: str,
        path: str,
        token: str,
        params: Mapping[str, Any] | None,
        body: bytes | None,
        content_type: str = "application/json",
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = content_type
        self.request_count += 1
        if method != "GET":
            self.write_count += 1
        self._pacer.wait()
        try:
            response = self._http.request(
                method,
                f"{self._api}{path}",
                params=params,
                data=body,
                headers=headers,
                timeout=self._timeout,
            )
        except requests.exceptions.ConnectTimeout as exc:
            raise ProcountorUnavailable(
                f"{method} {path}: could not connect in time",
                uncertain=False,
                reason="connect",
                call=f"{method} {path}",
            ) from exc
        except requests.exceptions.Timeout as exc:
            raise ProcountorUnavailable(
                f"{method} {path}: no answer in time",
                uncertain=method != "GET",
                still_running=method != "GET",
                reason="timeout",
                call=f"{method} {path}",
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            # A refused connection means nothing was sent; a reset or a drop may come after the
            # request was processed, so a write must be looked up before it is sent again.
            raise ProcountorUnavailable(
                f"{method} {path}: connection failed",
                uncertain=method != "GET" and not _never_sent(exc),
                reason="connection",
                call=f"{method} {path}",
            ) from exc
        except requests.exceptions.RetryError as exc:
            raise ProcountorUnavailable(
                f"{method} {path}: gave up after retries",
                uncertain=method != "GET",
                reason="retries",
                call=f"{method} {path}",
            ) from exc
        finally:
            self._pacer.answered()  # answered or failed: Procountor has counted it by now, if at all
        if response.status_code == 429:  # the retries ran out: still, every worker must hold back
            self._pacer.refused(retry_after(response))
        return response

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Multipart | None = None,
        json_text: str | None = None,
    ) -> Any:
        """Send one call (refreshing the token once on 401) and return the parsed JSON answer.

        The body is ``json_body`` written here as exact JSON, ``json_text`` already written by
        ``exact_json.dumps`` (a receipt is written once, while planning), or a ready multipart
        ``form``. At most one of them.
        """
        if sum(x is not None for x in (json_body, json_text, form)) > 1:
            raise ValueError("give one of json_body, json_text or form")
        if method == "GET" and (json_body is not None or json_text is not None or form is not None):
            raise ValueError("GET requests must not carry a body (Procountor answers 403)")
        content_type = "application/json"
        body: bytes | None = None
        if form is not None:
            body = form.body
            content_type = form.content_type
        elif json_text is not None:
            body = json_text.encode("utf-8")
        elif json_body is not None:
            body = exact_json.dumps(json_body).encode("utf-8")
        token = self._tokens.access_token()
        response = self._send(method, path, token, params, body, content_type)
        if response.status_code == 401:
            token = self._tokens.refresh_after_rejection(token)
            response = self._send(method, path, token, params, body, content_type)
            if response.status_code == 401:
                # A 401 does not process the request, so a write may be sent again.
                log.info("procountor %s %s: a renewed token was refused; trying again once", method, path)
                time.sleep(self.settle_seconds)
                response = self._send(method, path, token, params, body, content_type)
        return self._answer(method, path, response)

    @staticmethod
    def _answer(method: str, path: str, response: requests.Response) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            if not response.content:
                return None
            try:
                return exact_json.loads(response.content)
            except ValueError as exc:
                raise ProcountorApiError(status, (), f"{method} {path}: answer is not JSON") from exc
        errors, excerpt = parse_errors(response)
        log.info("procountor %s %s -> %s %s", method, path, status, "; ".join(e.message for e in errors) or excerpt)
        if status == 401:
            raise ProcountorUnauthorized(status, errors, excerpt)
        if status == 403:
            raise ProcountorForbidden(status, errors, excerpt)
        if status == 429:
            raise ProcountorRateLimited(status, errors, excerpt)
        if status >= 500:
            # Only a summary (status, reason phrase, a short plain reason) reaches the log; the
            # admin reads the translated reason.
            summary = "; ".join(e.message for e in errors) if errors else summarise(response)
            if errors:
                summary = f"HTTP {status}: {plain_reason(summary)}"
            raise ProcountorUnavailable(
                f"{method} {path}: {summary}",
                uncertain=method != "GET",
                reason="server",
                call=f"{method} {path} HTTP {status}",
            )
        raise ProcountorApiError(status, errors, excerpt)

    # ------------------------------------------------------------------ endpoints

    def company(self) -> Company:
        answer: Company = self.request("GET", "/company")
        return answer

    def session_info(self) -> dict[str, Any]:
        return dict(self.request("GET", "/sessioninfo"))

    def user_rights(self) -> UserRights:
        answer: UserRights = self.request("GET", "/users/rights")
        return answer

    def chart_of_accounts(self) -> list[LedgerAccount]:
        return list(self.request("GET", "/coa").get("ledgerAccounts") or [])

    def dimensions(self) -> list[Dimension]:
        return list(self.request("GET", "/dimensions") or [])

    def create_dimension_item(self, dimension_id: int, code_name: str, description: str) -> dict[str, Any]:
        return dict(
            self.request(
                "POST",
                f"/dimensions/{dimension_id}/items",
                json_body={"codeName": code_name, "description": description},
            )
        )

    def vat_defaults(self) -> VatDefaults:
        """``GET /vats/default``: the VAT percentages and statuses enabled for sales and purchase."""
        answer: VatDefaults = self.request("GET", "/vats/default") or VatDefaults()
        return answer

    def fiscal_years(self) -> list[FiscalYear]:
        return list(self.request("GET", "/fiscalyears").get("fiscalYears") or [])

    def search_journal_receipts(self, start: date, end: date) -> list[LedgerReceipt]:
        """Every JOURNAL receipt dated in [start, end], all pages.

        Pages until a short or empty page: ``meta.totalCount`` is not relied on, since Procountor's
        definition does not promise it (docs/procountor-api.md §6, docs/ledger.md).
        """
        found: list[LedgerReceipt] = []
        page = 0
        while True:
            answer = self.request(
                "GET",
                "/ledgerreceipts",
                params={
                    "types": "JOURNAL",
                    "startDate": start.isoformat(),
                    "endDate": end.isoformat(),
                    "size": PAGE_SIZE,
                    "page": page,
                },
            )
            results = list((answer or {}).get("results") or [])
            found.extend(results)
            if len(results) < PAGE_SIZE:
                return found
            page += 1

    def ledger_receipts(self, ids: Iterable[int | str]) -> list[LedgerReceipt]:
        """Full receipts by id, in batches of at most 200 (one id answers an object, several a list)."""
        wanted = [str(i) for i in ids]
        receipts: list[LedgerReceipt] = []
        for start in range(0, len(wanted), MAX_BATCH):
            batch = wanted[start : start + MAX_BATCH]
            answer = self.request("GET", f"/ledgerreceipts/{','.join(batch)}")
            receipts.extend(answer if isinstance(answer, list) else [answer])
        return receipts

    def create_ledger_receipt(self, payload: Mapping[str, Any] | str) -> dict[str, Any]:
        """Create a receipt from its payload, or from its JSON text as planning wrote it."""
        if isinstance(payload, str):
            return dict(self.request("POST", "/ledgerreceipts", json_text=payload))
        return dict(self.request("POST", "/ledgerreceipts", json_body=payload))

    def approve_ledger_receipt(self, receipt_id: int | str) -> None:
        self.request("PUT", f"/ledgerreceipts/{receipt_id}/approve")

    def invalidate_ledger_receipt(self, receipt_id: int | str) -> None:
        """``PUT /ledgerreceipts/{id}/invalidate``: only in an open period (docs/procountor-api.md §3)."""
        self.request("PUT", f"/ledgerreceipts/{receipt_id}/invalidate")

    def post_attachment(
        self, meta: Mapping[str, Any], filename: str, content: bytes, media_type: str
    ) -> dict[str, Any]:
        """``POST /attachments`` (multipart: ``meta`` + ``file``); answers the stored ``Attachment``."""
        form = attachment_form(meta, filename, content, media_type)
        return dict(self.request("POST", "/attachments", form=form))
