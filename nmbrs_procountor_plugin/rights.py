"""The template right ``procountor`` and the plugin's own re-check of it.

The host enforces the right before calling a hook; the plugin checks again because a host bug
or a forgotten check must not let a read-only user book a journal.
"""

from __future__ import annotations

from typing import Final

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.types import Actor, TemplateRight
from nmbrs_procountor_plugin.messages import problem

RIGHT_KEY: Final = "procountor"

PROCOUNTOR_RIGHT: Final = TemplateRight(key=RIGHT_KEY, label="Procountor")


def template_rights() -> list[TemplateRight]:
    return [PROCOUNTOR_RIGHT]


def require_write(actor: Actor, action: str) -> None:
    """Refuse with ``procountor.rights.write_required`` unless the actor holds 'write'.

    ``action`` is a key of the ``action`` terms (``messages/terms.py``): authorize, remove, send.
    """
    if not actor.may(RIGHT_KEY, "write"):
        raise ProblemError(
            [
                problem(
                    "procountor.rights.write_required",
                    actor.locale,
                    action=action,
                    field=f"rights.{RIGHT_KEY}",
                )
            ]
        )


def require_read(actor: Actor) -> None:
    """Refuse with ``procountor.rights.read_required`` unless the actor holds 'read' or more."""
    if not actor.may(RIGHT_KEY, "read"):
        raise ProblemError([problem("procountor.rights.read_required", actor.locale, field=f"rights.{RIGHT_KEY}")])
