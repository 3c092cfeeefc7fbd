"""The bearer-protected REST resources under ``/api`` (docs/procountor-api.md §3-§6).

Every handler runs with the caller's token already resolved to (user, company, client); each
token sees only its own company, as in Procountor where one token equals one company.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import attachments, jsonio
from .ledger import basic_info, store_receipt
from .models import Company, Dimension, DimensionItem, User
from .receipt_view import full_view
from .responses import error, forbidden, json_response, violations
from .rules import (
    RECEIPT_STATUSES,
    RECEIPT_TYPES_GET,
    Violation,
    check_text,
    date_is_open,
    parse_date,
    validate_receipt,
)
from .state import AccessToken, SandboxState, timestamp

MAX_PAGE_SIZE = 200
MAX_BATCH = 200
READ_RIGHTS = ("ALL_RIGHTS", "VIEWING_RIGHTS")


@dataclass
class Ctx:
    state: SandboxState
    request: Request
    token: AccessToken
    company: Company
    user: User

    @property
    def journal_right(self) -> str:
        return self.user.rights.get(self.company.id, "NO_ACCESS")


Handler = Callable[..., Response]
_ROUTES: list[tuple[str, str, Handler]] = []


def route(path: str, method: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _ROUTES.append((path, method, func))
        return func

    return register


def _json_body(request: Request) -> Any | Response:
    if request.mimetype != "application/json":
        return error(415, "Unsupported Media Type: Content-Type must be application/json")
    try:
        return jsonio.loads(request.get_data())
    except ValueError as exc:
        return error(400, f"Malformed JSON: {exc}")


def _needs_write(ctx: Ctx) -> Response | None:
    return None if ctx.journal_right == "ALL_RIGHTS" else forbidden()


def _needs_read(ctx: Ctx) -> Response | None:
    return None if ctx.journal_right in READ_RIGHTS else forbidden()


# --- company, user, session --------------------------------------------------------------


SEARCHING_RIGHTS = ("ALL_RIGHTS", "VIEWING_RIGHTS")


@route("/company", "GET")
def company(ctx: Ctx) -> Response:
    c = ctx.company
    return json_response(
        {
            "id": c.id,
            "name": c.name,
            "country": "FINLAND",
            # A Finnish Y-tunnus is brnType "FI" in the official list (docs/sandbox.md).
            "businessIdentifier": {"brnType": "FI", "code": c.business_id},
            "companyCurrency": "EUR",
        }
    )


@route("/sessioninfo", "GET")
def sessioninfo(ctx: Ctx) -> Response:
    return json_response(
        {
            "companyId": ctx.company.id,
            "name": ctx.company.name,
            "country": "FINLAND",
            "userId": ctx.user.id,
            "userName": ctx.user.username,
        }
    )


@route("/users", "GET")
def users(ctx: Ctx) -> Response:
    u = ctx.user
    return json_response(
        {
            "id": u.id,
            "username": u.username,
            "companyId": ctx.company.id,
            "firstName": u.first_name,
            "lastName": u.last_name,
            "email": u.email,
            "mobilePhone": u.mobile_phone,
        }
    )


@route("/users/rights", "GET")
def rights(ctx: Ctx) -> Response:
    right = ctx.journal_right
    return json_response(
        {
            "role": "ADMIN" if right == "ALL_RIGHTS" else "USER",
            "rights": {
                "accounting": {
                    "journalReceipts": right,
                    "journalReceiptSearch": ctx.state.search_right(ctx.user.username, ctx.company.id, right),
                    "personalJournalReceiptsOnly": ctx.state.personal_receipts_only(ctx.user.username, ctx.company.id),
                }
            },
        }
    )


@route("/status", "GET")
def status(ctx: Ctx) -> Response:
    return json_response({"name": "Procountor sandbox", "version": "sandbox", "status": "OK"})


# --- chart, dimensions, periods, VAT -----------------------------------------------------


@route("/coa", "GET")
def coa(ctx: Ctx) -> Response:
    accounts = [
        {
            "ledgerAccountCode": a.code,
            "name": a.name,
            "active": a.active,
            "translations": [{"languageCode": "en", "translation": a.english}],
        }
        for a in sorted(ctx.company.accounts.values(), key=lambda a: a.code)
    ]
    return json_response({"ledgerAccounts": accounts})


def _item_json(item: DimensionItem) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.id, "codeName": item.code_name, "description": item.description}
    if not item.active:
        out["status"] = "P"
    return out


def _dimension_json(d: Dimension) -> dict[str, Any]:
    return {"id": d.id, "name": d.name, "items": [_item_json(i) for i in d.items]}


@route("/dimensions", "GET")
def dimensions(ctx: Ctx) -> Response:
    name = (ctx.request.args.get("name") or "").lower()
    code = (ctx.request.args.get("codeName") or "").lower()
    out = []
    for d in ctx.company.dimensions:
        if name and name not in d.name.lower():
            continue
        item_list = [i for i in d.items if code in i.code_name.lower()]
        if code and not item_list:
            continue
        view = _dimension_json(d)
        view["items"] = [_item_json(i) for i in item_list]
        out.append(view)
    return json_response(out)


@route("/dimensions/<int:dimension_id>", "GET")
def dimension(ctx: Ctx, dimension_id: int) -> Response:
    found = ctx.company.dimension(dimension_id)
    if found is None:
        return error(404, "Dimension not found")
    return json_response(_dimension_json(found))


@route("/dimensions/<int:dimension_id>/items", "POST")
def create_dimension_item(ctx: Ctx, dimension_id: int) -> Response:
    # Assumption: managing dimensions is modelled with the journal-receipt right.
    denied = _needs_write(ctx)
    if denied is not None:
        return denied
    found = ctx.company.dimension(dimension_id)
    if found is None:
        return error(404, "Dimension not found")
    body = _json_body(ctx.request)
    if isinstance(body, Response):
        return body
    if not isinstance(body, dict):
        return error(400, "Request body must be a JSON object (DimensionItem)")
    problems: list[Violation] = []
    problems += check_text("codeName", body.get("codeName"), 255, required=True)
    problems += check_text("description", body.get("description"), 255)
    code_name = body.get("codeName")
    if not problems and any(i.code_name == code_name for i in found.items):
        problems.append(Violation("codeName", f"Dimension item with codeName '{code_name}' already exists"))
    if problems:
        return violations(problems)
    assert isinstance(code_name, str)
    item = DimensionItem(next(ctx.state.item_ids), code_name, body.get("description") or "")
    found.items.append(item)
    return json_response(_item_json(item))


@route("/fiscalyears", "GET")
def fiscalyears(ctx: Ctx) -> Response:
    years = [
        {
            "id": fy.id,
            "startDate": fy.start.isoformat(),
            "endDate": fy.end.isoformat(),
            "modified": fy.modified,
            "isOpen": fy.is_open,
            "trackingPeriods": [
                {
                    "id": p.id,
                    "startDate": p.start.isoformat(),
                    "endDate": p.end.isoformat(),
                    "status": p.status,
                    "modified": p.modified,
                }
                for p in sorted(fy.periods, key=lambda p: p.start)
            ],
        }
        for fy in sorted(ctx.company.fiscal_years, key=lambda fy: fy.start, reverse=True)
    ]
    return json_response({"fiscalYears": years})


@route("/vats/default", "GET")
def vats_default(ctx: Ctx) -> Response:
    c = ctx.company
    return json_response(
        {
            "vatInformation": [
                {
                    "country": "FINLAND",
                    "percentages": [{"vatPercent": p, "sales": True, "purchase": True} for p in c.vat_percents],
                }
            ],
            "vatStatuses": [
                {"vatStatus": v.code, "description": v.description, "sales": v.sales, "purchase": v.purchase}
                for v in c.vat_statuses
            ],
        }
    )


# --- ledger receipts ---------------------------------------------------------------------


@route("/ledgerreceipts", "POST")
def create_receipt(ctx: Ctx) -> Response:
    denied = _needs_write(ctx)
    if denied is not None:
        return denied
    body = _json_body(ctx.request)
    if isinstance(body, Response):
        return body
    flag = ctx.request.args.get("createReconciliation", "false").lower()
    if flag not in ("true", "false"):
        return error(400, f"Invalid createReconciliation: {flag}", "createReconciliation")
    reconcile = flag == "true"
    config = ctx.state.config
    problems = validate_receipt(ctx.company, body, reconcile, accept_pending=config.pending_periods == "accept")
    if problems:
        return violations(problems)
    if not config.keep_invoice_notes:
        body = {key: value for key, value in body.items() if key != "invoiceNotes"}
    receipt = store_receipt(ctx.state, ctx.company, body, reconcile)
    return json_response(full_view(receipt))


def _int_arg(ctx: Ctx, name: str, default: int, low: int, high: int | None) -> int | Response:
    raw = ctx.request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        return error(400, f"Value of the '{name}' field is invalid: {raw}", name)
    value = int(raw)
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        return error(400, f"Value of the '{name}' must be {bound}", name)
    return value


_ORDERINGS = {
    "orderById": "id",
    "orderByDate": "receiptDate",
    "orderByCreated": "created",
    "orderByVersion": "version",
}


@route("/ledgerreceipts", "GET")
def search_receipts(ctx: Ctx) -> Response:
    denied = _needs_read(ctx)
    if denied is not None:
        return denied
    # Assumption (docs/sandbox.md): a user without journalReceiptSearch may not search at all.
    if ctx.state.search_right(ctx.user.username, ctx.company.id, ctx.journal_right) not in SEARCHING_RIGHTS:
        return forbidden()
    args = ctx.request.args
    size = _int_arg(ctx, "size", 50, 1, MAX_PAGE_SIZE)
    if isinstance(size, Response):
        return size
    page = _int_arg(ctx, "page", 0, 0, None)
    if isinstance(page, Response):
        return page
    types = [t for t in (args.get("types") or "").split(",") if t]
    bad_types = [t for t in types if t not in RECEIPT_TYPES_GET]
    if bad_types:
        return error(400, f"Value of the 'types' field is invalid: {','.join(bad_types)}", "types")
    status_filter = args.get("status") or None
    if status_filter is not None and status_filter not in RECEIPT_STATUSES:
        return error(400, f"Value of the 'status' field is invalid: {status_filter}", "status")
    dates = {}
    for key in ("startDate", "endDate"):
        raw = args.get(key)
        if raw:
            parsed = parse_date(raw)
            if parsed is None:
                return error(400, f"Value of the '{key}' field is invalid: {raw}", key)
            dates[key] = parsed
    sort_key, descending = "id", True
    for param, field in _ORDERINGS.items():
        direction = args.get(param)
        if direction is not None:
            if direction not in ("ASC", "DESC"):
                return error(400, f"Value of the '{param}' field is invalid: {direction}", param)
            sort_key, descending = field, direction == "DESC"
            break

    matches = []
    for receipt in ctx.company.receipts.values():
        day = parse_date(receipt["receiptDate"])
        assert day is not None
        if types and receipt["type"] not in types:
            continue
        if status_filter and receipt["status"] != status_filter:
            continue
        if "startDate" in dates and day < dates["startDate"]:
            continue
        if "endDate" in dates and day > dates["endDate"]:
            continue
        matches.append(receipt)
    matches.sort(key=lambda r: (r[sort_key], r["id"]), reverse=descending)
    chunk = matches[page * size : (page + 1) * size]
    return json_response(
        {
            "results": [basic_info(r) for r in chunk],
            "meta": {
                "pageNumber": page,
                "pageSize": size,
                "resultCount": len(chunk),
                "totalCount": len(matches),
            },
        }
    )


@route("/ledgerreceipts/<ids>", "GET")
def get_receipts(ctx: Ctx, ids: str) -> Response:
    denied = _needs_read(ctx)
    if denied is not None:
        return denied
    parts = ids.split(",")
    if not all(p.isdigit() for p in parts):
        return error(400, f"Invalid receipt id list: {ids}", "receiptId")
    if len(parts) > MAX_BATCH:
        return error(400, f"At most {MAX_BATCH} ids can be requested at once", "receiptId")
    # Several ids answer a list "ordered by resource ID" without duplicates, even when only one
    # is found (published definition, docs/sandbox.md).
    wanted = sorted({int(p) for p in parts})
    found = [full_view(ctx.company.receipts[i]) for i in wanted if i in ctx.company.receipts]
    if not found:
        return error(404, "Ledger receipt not found")
    return json_response(found[0] if len(parts) == 1 else found)


_BAD_STATUS = "Insufficient user rights or invalid receipt status"


def _receipt_action(
    ctx: Ctx, receipt_id: int, allowed: tuple[str, ...], target: str, needs_open_period: bool
) -> Response:
    denied = _needs_write(ctx)
    if denied is not None:
        return denied
    receipt = ctx.company.receipts.get(receipt_id)
    if receipt is None:
        return error(404, "Ledger receipt not found")
    if receipt["type"] != "JOURNAL" or receipt["status"] not in allowed:
        return forbidden(_BAD_STATUS)
    if needs_open_period:
        day = parse_date(receipt["receiptDate"])
        assert day is not None
        if not date_is_open(ctx.company, day, ctx.state.config.pending_periods == "accept"):
            return forbidden("CLOSED_FISCAL_PERIOD")
    receipt["status"] = target
    receipt["version"] = timestamp()
    return json_response({"message": f"Ledger receipt {receipt_id} is now {target}"})


@route("/ledgerreceipts/<int:receipt_id>/approve", "PUT")
def approve(ctx: Ctx, receipt_id: int) -> Response:
    return _receipt_action(ctx, receipt_id, ("UNFINISHED",), "APPROVED", False)


@route("/ledgerreceipts/<int:receipt_id>/invalidate", "PUT")
def invalidate(ctx: Ctx, receipt_id: int) -> Response:
    return _receipt_action(ctx, receipt_id, ("UNFINISHED", "APPROVED"), "INVALIDATED", True)


@route("/ledgerreceipts/<int:receipt_id>/unfinished", "PUT")
def unfinished(ctx: Ctx, receipt_id: int) -> Response:
    return _receipt_action(ctx, receipt_id, ("APPROVED", "INVALIDATED"), "UNFINISHED", True)


# --- attachments --------------------------------------------------------------------------


@route("/attachments", "POST")
def save_attachment(ctx: Ctx) -> Response:
    denied = _needs_write(ctx)
    if denied is not None:
        return denied
    if ctx.request.mimetype != "multipart/form-data":
        return error(415, "Unsupported Media Type: Content-Type must be multipart/form-data")
    try:
        stored = attachments.save(ctx.company, ctx.request, next(ctx.state.attachment_ids))
    except attachments.Refused as refused:
        return violations(refused.violations)
    return json_response(stored)


# --- dispatch ----------------------------------------------------------------------------

_HANDLERS: dict[str, Handler] = {f"{m} {p}": h for p, m, h in _ROUTES}
URL_MAP = Map(
    [Rule(p, endpoint=f"{m} {p}", methods=[m]) for p, m, _ in _ROUTES],
    strict_slashes=False,
    merge_slashes=False,
)


def dispatch(state: SandboxState, request: Request, token: AccessToken) -> Response:
    """Route an authenticated request; the caller has checked the token and holds no lock."""
    prefix_end = request.path.find("/", 1)
    adapter = URL_MAP.bind("sandbox", path_info=request.path[prefix_end:] if prefix_end > 0 else "/")
    try:
        endpoint, values = adapter.match(method=request.method)
    except MethodNotAllowed as exc:
        response = error(405, "Method Not Allowed")
        response.headers["Allow"] = ", ".join(exc.valid_methods or [])
        return response
    except NotFound:
        return error(404, "Not Found")
    except HTTPException as exc:  # e.g. a redirect the map wants; treat as unknown path
        return error(exc.code or 404, exc.description or "Not Found")
    request.get_data(cache=True)  # read the socket before taking the lock
    with state.lock:
        user = state.users[token.username]
        ctx = Ctx(state, request, token, state.companies[token.company_id], user)
        return _HANDLERS[endpoint](ctx, **values)
