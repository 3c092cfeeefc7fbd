"""The reference host's encryption of stored credentials (tokens and secret settings).

Stored tokens let whoever reads them act as the authorized user at the provider, so the
reference host never writes them in the clear: every value is a Fernet token (AES-128-CBC with
an HMAC-SHA256, from the well-kept ``cryptography`` library). The key comes from the host's
configuration (``ReferenceHost(credential_keys=...)``) or its environment
(:data:`KEYS_VARIABLE`), never from the database it protects.

Rotation: the keys are a list, newest first. The newest encrypts; every key decrypts
(``MultiFernet``), so a host adds a new key in front, restarts its workers, calls
``ReferenceHost.rotate_credential_keys()`` to re-encrypt what is stored, and then drops the old key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Final

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEYS_VARIABLE: Final = "NMBRS_CREDENTIAL_KEYS"
"""Environment variable with the Fernet keys, comma-separated, newest (the encrypting one) first."""


class CredentialKeyError(ValueError):
    """The configured keys are missing, malformed, or cannot read what is stored."""


class CredentialCipher:
    """Encrypts and decrypts stored credential texts with a list of Fernet keys, newest first."""

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        if isinstance(keys, str | bytes) or not keys:
            raise CredentialKeyError(
                f"credential keys: give a list of Fernet keys, newest first (or set {KEYS_VARIABLE})"
            )
        fernets: list[Fernet] = []
        for index, key in enumerate(keys):
            try:
                fernets.append(Fernet(key))
            except (ValueError, TypeError):
                # The key is not shown: a malformed key may still be most of a real one.
                raise CredentialKeyError(
                    f"credential keys[{index}]: not a Fernet key (32 url-safe base64-encoded bytes; "
                    "make one with CredentialCipher.generate_key())"
                ) from None
        self._fernet = MultiFernet(fernets)
        self.key_count = len(fernets)

    def __repr__(self) -> str:
        return f"CredentialCipher(keys={self.key_count})"

    @staticmethod
    def generate_key() -> str:
        """A new random key, for the host's configuration."""
        return Fernet.generate_key().decode("ascii")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> CredentialCipher | None:
        """The cipher of :data:`KEYS_VARIABLE`, or ``None`` when it is not set."""
        raw = (environ if environ is not None else os.environ).get(KEYS_VARIABLE, "")
        keys = [k.strip() for k in raw.split(",") if k.strip()]
        return cls(keys) if keys else None

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise CredentialKeyError(
                "stored credentials cannot be decrypted with the configured keys: "
                f"was a key dropped from {KEYS_VARIABLE} before rotate_credential_keys() ran?"
            ) from None

    def rotate(self, token: str) -> str:
        """``token`` re-encrypted with the newest key (what ``rotate_credential_keys`` runs per value)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise CredentialKeyError("a stored value cannot be decrypted with any configured key") from None
