"""The multipart body of ``POST /attachments``: a ``meta`` part (JSON) and a ``file`` part.

Procountor's definition (docs/procountor-api.md §3c): "Content-type for the request is
multipart/form-data. Type for the meta data is application/json, see Attachment model." The body
is built here rather than by requests, for one reason: requests picks a random boundary, so the
same attachment would never be the same bytes twice and a recorded cassette could not match it.
The boundary is derived from the content instead (and checked not to occur in it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from urllib3.fields import RequestField
from urllib3.filepost import encode_multipart_formdata

from nmbrs_procountor_plugin.api import exact_json


@dataclass(frozen=True)
class Multipart:
    """A ready multipart/form-data body and its ``Content-Type`` (with the boundary)."""

    body: bytes
    content_type: str

    def __repr__(self) -> str:
        return f"Multipart({len(self.body)} bytes, {self.content_type!r})"


def _boundary(meta: bytes, content: bytes) -> str:
    seed = hashlib.sha256(meta + b"\x00" + content).hexdigest()
    for salt in range(100):
        candidate = f"nmbrs-{seed[:32]}-{salt}"
        if candidate.encode("ascii") not in content and candidate.encode("ascii") not in meta:
            return candidate
    raise ValueError("no multipart boundary found that the content does not contain")  # pragma: no cover


def attachment_form(meta: Mapping[str, Any], filename: str, content: bytes, media_type: str) -> Multipart:
    """The body for ``POST /attachments``: ``meta`` as application/json, then the file."""
    meta_bytes = exact_json.dumps(meta).encode("utf-8")
    meta_part = RequestField(name="meta", data=meta_bytes)
    meta_part.make_multipart(content_type="application/json")
    file_part = RequestField(name="file", data=content, filename=filename)
    file_part.make_multipart(content_type=media_type)
    body, content_type = encode_multipart_formdata([meta_part, file_part], boundary=_boundary(meta_bytes, content))
    return Multipart(body, content_type)
