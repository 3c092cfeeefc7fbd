"""Values that must never be shown: a setting declared ``secret``, an OAuth callback's code and state.

A secret that is a plain ``str`` is one ``repr()`` away from a log line: pluggy's hook tracing
prints every argument of every hook call with ``str()``, a debugger shows dataclass fields, an
error message formats the offending value. :class:`Secret` is therefore *not* a ``str``: it
shows as ``********`` in ``repr``, ``str`` and ``format``, compares in constant time, and gives
its value only to a caller that asks by name (:meth:`Secret.reveal`). ``json.dumps`` refuses it,
so a host cannot store one in the clear without deciding to.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from typing import Final, final

MASK: Final = "********"

# Query parameters of an OAuth redirect that say what went wrong and hold nothing secret.
PUBLIC_CALLBACK_KEYS: Final = frozenset({"error", "error_description", "error_uri"})


@final
class Secret:
    """A secret text: hidden in every rendering, revealed only by :meth:`reveal`."""

    __slots__ = ("_value",)
    _value: str

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            # The value itself is not shown: it may be the secret in the wrong type.
            raise TypeError(f"Secret: expected str, got {type(value).__name__}")
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        """The secret itself, for the one call that needs it (a token request, encryption)."""
        return self._value

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Secret is immutable")

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return format(MASK, spec)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))


def reveal(value: object) -> str | None:
    """The text of a setting that may be a :class:`Secret` or (from a careless host) a plain str."""
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, str):
        return value
    return None


def masked(values: Mapping[str, object], secret_keys: Iterable[str] = ()) -> dict[str, object]:
    """``values`` with every secret (a :class:`Secret`, or a key listed as secret) shown as the mask."""
    hidden = set(secret_keys)
    return {k: (MASK if isinstance(v, Secret) or k in hidden else v) for k, v in values.items()}


class CallbackParams(dict[str, str]):
    """The query string of an OAuth redirect back to the host.

    A plain ``dict`` to the plugin that reads it, but its ``repr`` (and so pluggy's tracing of
    the callback hook) shows the authorization code and state as the mask: both are credentials
    until they are used.
    """

    def __repr__(self) -> str:
        shown = {k: (v if k in PUBLIC_CALLBACK_KEYS else MASK) for k, v in self.items()}
        return f"CallbackParams({shown!r})"

    __str__ = __repr__
