"""``/_sandbox/*``: loopback-only control endpoints for demos and out-of-process tests.

They mirror the Python helpers so a client running in another process (the CLI demo, a
recorded-cassette run) can script faults and inspect what arrived, without authentication.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from .responses import json_response

if TYPE_CHECKING:
    from .app import SandboxApp


def _problem(message: str, status: int = 400) -> Response:
    return json_response({"error": message}, status)


def handle(app: SandboxApp, request: Request) -> Response:
    path = request.path.rstrip("/")
    method = request.method
    if path == "/_sandbox/faults":
        if method == "POST":
            return _add_fault(app, request)
        if method == "GET":
            return json_response([f.to_json() for f in app.faults.pending()])
        if method == "DELETE":
            app.faults.clear()
            return json_response({"cleared": True})
    elif path == "/_sandbox/requests":
        if method == "GET":
            return json_response([r.to_json() for r in app.log.snapshot()])
        if method == "DELETE":
            app.log.clear()
            return json_response({"cleared": True})
    elif path == "/_sandbox/receipts" and method == "GET":
        raw = request.args.get("companyId", "")
        if not raw.isdigit():
            return _problem("companyId query parameter (integer) is required")
        try:
            return json_response(app.state.receipts(int(raw)))
        except ValueError as exc:
            return _problem(str(exc), 404)
    else:
        return _problem("unknown sandbox endpoint", 404)
    return _problem("method not allowed", 405)


def _add_fault(app: SandboxApp, request: Request) -> Response:
    try:
        body: Any = json.loads(request.get_data() or b"null")
    except ValueError as exc:
        return _problem(f"malformed JSON: {exc}")
    if not isinstance(body, dict):
        return _problem("body must be a JSON object")
    unknown = set(body) - {"method", "path", "kind", "count", "retry_after", "delay"}
    if unknown:
        return _problem(f"unknown fields: {sorted(unknown)}")
    try:
        fault = app.faults.add(
            body.get("method", ""),
            body.get("path", ""),
            body.get("kind", ""),
            body.get("count", 1),
            retry_after=body.get("retry_after"),
            delay=body.get("delay"),
        )
    except ValueError as exc:
        return _problem(str(exc))
    return json_response(fault.to_json())
