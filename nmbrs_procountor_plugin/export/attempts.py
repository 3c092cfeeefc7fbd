"""Recording each preview and export in the host's attempt history (the audit trail, newest first).

Kept apart from the booking ledger: an attempt never changes what the run shows as sent.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from nmbrs_hookspecs.booking import Attempt, AttemptKind, RunKey
from nmbrs_hookspecs.protocols import PluginHost
from nmbrs_hookspecs.types import Actor, Problem
from nmbrs_procountor_plugin.api.client import ProcountorClient

log = logging.getLogger(__name__)


@dataclass
class AttemptRecorder:
    """One attempt in progress: its id (also written into the ledger's intents) and what it cost."""

    host: PluginHost
    run: RunKey
    kind: AttemptKind
    actor: Actor
    attempt_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started_at: float = field(default_factory=time.time)
    client: ProcountorClient | None = None

    def finish(self, outcome: str, problems: Sequence[Problem]) -> Attempt:
        """Record the attempt; a history the host cannot write is logged, never fatal to the export."""
        requests = self.client.request_count if self.client is not None else 0
        writes = self.client.write_count if self.client is not None else 0
        attempt = Attempt(
            attempt_id=self.attempt_id,
            run=self.run,
            kind=self.kind,
            actor_id=self.actor.user_id,
            started_at=self.started_at,
            finished_at=max(time.time(), self.started_at),
            outcome=outcome,
            problems=tuple(problems),
            requests=requests,
            writes=writes,
        )
        try:
            self.host.attempts.record(attempt)
        except Exception:  # the booking happened; losing its audit line must not hide that
            log.exception("could not record attempt %s of run %s", attempt.attempt_id, self.run.run_id)
        return attempt
