"""The pluggy markers of project ``nmbrs``.

Plugins import ``hookimpl`` from here and never spell the project name: a marker bound to any
other name registers a plugin with zero hooks and no warning (pluggy checks the attribute
``nmbrs_impl`` only).
"""

from __future__ import annotations

from typing import Final

import pluggy

PROJECT_NAME: Final = "nmbrs"
ENTRY_POINT_GROUP: Final = "nmbrs.plugins"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
