"""The host's side of the accounting-integration contract.

``nmbrs_hookspecs`` holds what a host written against it and an accounting-integration plugin
share: the markers, the hook specifications (:mod:`nmbrs_hookspecs.specs`),
the boundary types (:mod:`nmbrs_hookspecs.types`), what the host lends (:mod:`nmbrs_hookspecs.protocols`)
and a small, real reference host (:mod:`nmbrs_hookspecs.host`).
"""

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.markers import ENTRY_POINT_GROUP, PROJECT_NAME, hookimpl, hookspec

__all__ = ["ENTRY_POINT_GROUP", "PROJECT_NAME", "ProblemError", "hookimpl", "hookspec"]
