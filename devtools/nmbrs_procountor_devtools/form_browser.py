"""A minimal browser for the demo: follows Procountor's login page by reading and posting its forms.

The demo must run the real authorization flow, not a shortcut: GET the login page, fill in the
form it shows (credentials, then the company choice), post it, and stop at the redirect back to
the host's callback URL, whose query string the host hands to the plugin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests

TIMEOUT = 10.0


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    selects: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._option: str | None = None
        self._label: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").upper()))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") not in ("submit", "button"):
                self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.forms[-1].selects[self._select] = []
        elif tag == "option" and self._select:
            self._option = a.get("value", "")
            self._label = []

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._label.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select and self._option is not None:
            self.forms[-1].selects[self._select].append((self._option, "".join(self._label).strip()))
            self._option = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class LoginFailed(RuntimeError):
    pass


def log_in(authorization_url: str, username: str, password: str, company_name: str) -> dict[str, str]:
    """Log in at the login page, choose ``company_name``, and return the callback's query parameters."""
    with requests.Session() as browser:
        page = browser.get(authorization_url, timeout=TIMEOUT)
        url = page.url
        values = {"username": username, "password": password, "action": "login"}
        for _ in range(4):  # credentials page, company page; a little slack for an extra step
            if page.status_code >= 400:
                raise LoginFailed(f"login page answered HTTP {page.status_code}")
            found = forms_of(page.text)
            if not found:
                raise LoginFailed("the login page has no form")
            form = found[0]
            data = dict(form.fields)
            data.update({k: v for k, v in values.items() if k in data or k in ("action",)})
            data.setdefault("username", username)
            if "password" in form.fields:
                data["password"] = password
            for name, options in form.selects.items():
                chosen = [value for value, label in options if label.startswith(company_name) or company_name in label]
                if not chosen:
                    raise LoginFailed(f"company {company_name!r} is not offered: {[label for _, label in options]}")
                data[name] = chosen[0]
            target = urljoin(url, form.action) if form.action else url
            page = browser.post(target, data=data, allow_redirects=False, timeout=TIMEOUT)
            if page.status_code in (302, 303):
                return dict(parse_qsl(urlsplit(page.headers["Location"]).query))
            url = target
        raise LoginFailed("the login did not redirect back")
