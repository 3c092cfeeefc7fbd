"""Response shapes shared by every endpoint, so each error looks the same wherever it comes from."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Response

from . import jsonio
from .rules import Violation

JSON = "application/json"


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(jsonio.dumps(data), status=status, headers=headers, content_type=JSON)


def error(status: int, message: str, field: str | None = None, **headers: str) -> Response:
    """Procountor's ErrorMessage list (docs/procountor-api.md §6)."""
    entry: dict[str, Any] = {"status": status}
    if field is not None:
        entry["field"] = field
    entry["message"] = message
    return json_response({"errors": [entry]}, status, {k.replace("_", "-"): v for k, v in headers.items()})


def violations(items: Iterable[Violation], status: int = 400) -> Response:
    errors = []
    for v in items:
        entry: dict[str, Any] = {"status": status}
        if v.field is not None:
            entry["field"] = v.field
        entry["message"] = v.message
        errors.append(entry)
    return json_response({"errors": errors}, status)


def unauthorized() -> Response:
    # Verbatim body integrators report for expired or invalid credentials (§2.2 [BZ1]).
    return error(401, "Unauthorized")


def forbidden(message: str = "Insufficient user rights") -> Response:
    return error(403, message)


def oauth_error(code: str, description: str, status: int = 400) -> Response:
    """Token-endpoint failure; the shape is the sandbox's assumption (RFC 6749 §5.2)."""
    return json_response(
        {"error": code, "error_description": description},
        status,
        {"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


def html_page(title: str, body_html: str, status: int = 200) -> Response:
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}"
        "label{display:block;margin:.6em 0}.error{color:#a00}</style>"
        f"</head><body><h1>{html.escape(title)}</h1>\n{body_html}\n</body></html>\n"
    )
    return Response(page, status=status, content_type="text/html; charset=utf-8")


NGINX_500 = (
    "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
    "<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)

AZURE_403 = (
    "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
    "<center><h1>403 Forbidden</h1></center>\r\n"
    "<hr><center>Microsoft-Azure-Application-Gateway/v2</center>\r\n</body>\r\n</html>\r\n"
)


def raw_html(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    return Response(text, status=status, headers=headers, content_type="text/html")
