"""The template right ``procountor`` and the plugin's own re-check of it.

The host enforces the right before calling a hook; the plugin checks again because a host bug
or a forgotten check must not let a read-only user book a journal.
"""

from __future__ import annotations

from typing import Final

from nmbrs_hookspecs.errors import ProblemError
from nmbrs_hookspecs.types import Actor, TemplateRight
from nmbrs_procountor_plugin.messages import language, problem

RIGHT_KEY: Final = "procountor"

PROCOUNTOR_RIGHT: Final = TemplateRight(key=RIGHT_KEY, label="Procountor")


def template_rights() -> list[TemplateRight]:
    return [PROCOUNTOR_RIGHT]


# What the refused actor was trying to do, in each catalogue language, so the message reads as
# one sentence in the admin's own language.
ACTIONS: Final[dict[str, dict[str, str]]] = {
    "authorize": {
        "en": "authorize this Procountor account",
        "nl": "dit Procountor-account te autoriseren",
        "sv": "auktorisera detta Procountor-konto",
        "fi": "valtuuttaa tämän Procountor-tilin",
    },
    "remove": {
        "en": "remove this Procountor account",
        "nl": "dit Procountor-account te verwijderen",
        "sv": "ta bort detta Procountor-konto",
        "fi": "poistaa tämän Procountor-tilin",
    },
    "send": {
        "en": "send journals to Procountor",
        "nl": "journaalposten naar Procountor te verzenden",
        "sv": "skicka journaler till Procountor",
        "fi": "lähettää kirjauksia Procountoriin",
    },
    "undo": {
        "en": "take back a run sent to Procountor",
        "nl": "een naar Procountor verzonden run ongedaan te maken",
        "sv": "ångra en körning som skickats till Procountor",
        "fi": "perua Procountoriin lähetettyä palkka-ajoa",
    },
}


def require_write(actor: Actor, action: str) -> None:
    """Refuse with ``procountor.rights.write_required`` unless the actor holds 'write'.

    ``action`` is a key of :data:`ACTIONS`.
    """
    if not actor.may(RIGHT_KEY, "write"):
        raise ProblemError(
            [
                problem(
                    "procountor.rights.write_required",
                    actor.locale,
                    action=ACTIONS[action][language(actor.locale)],
                    field=f"rights.{RIGHT_KEY}",
                )
            ]
        )


def require_read(actor: Actor) -> None:
    """Refuse with ``procountor.rights.read_required`` unless the actor holds 'read' or more."""
    if not actor.may(RIGHT_KEY, "read"):
        raise ProblemError([problem("procountor.rights.read_required", actor.locale, field=f"rights.{RIGHT_KEY}")])
