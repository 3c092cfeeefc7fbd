"""A local, strict re-implementation of Procountor's REST API for demos, tests and cassettes.

Independent of the rest of ``nmbrs_procountor_plugin`` on purpose: it is a second reading of
Procountor's documented rules, so a misunderstanding in the client cannot be mirrored here.
"""

from .config import SandboxConfig
from .persist import StateFileError
from .requestlog import LoggedRequest
from .server import ListenError, Sandbox

__all__ = ["ListenError", "LoggedRequest", "Sandbox", "SandboxConfig", "StateFileError"]
