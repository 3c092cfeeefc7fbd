"""The host's side of the accounting-integration contract.

``hookspecs`` holds what a host written against it and a plugin such as
``nmbrs_procountor_plugin`` share: the markers, the hook specifications (:mod:`hookspecs.specs`),
the boundary types (:mod:`hookspecs.types`), what the host lends (:mod:`hookspecs.protocols`)
and a small, real reference host (:mod:`hookspecs.host`).
"""

from hookspecs.errors import ProblemError
from hookspecs.markers import ENTRY_POINT_GROUP, PROJECT_NAME, hookimpl, hookspec

__all__ = ["ENTRY_POINT_GROUP", "PROJECT_NAME", "ProblemError", "hookimpl", "hookspec"]
