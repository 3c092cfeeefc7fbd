"""Keep the cyclic garbage collector out of the planning loops.

Planning a 100,000-line journal allocates a few hundred thousand small objects (rows, dicts,
Decimals) that all stay alive until the receipts are sent. Each allocation burst triggers a
young-generation collection that walks every object still alive, so a quarter of the planning time
at 100k lines was the collector finding nothing to free (benchmarks/bench_planning.py). None of
these objects form reference cycles, so pausing the collector loses nothing.

``gc.disable`` is process-wide: a counter shared by all threads re-enables it only when the last
loop ends, and only if it was enabled when the first began (a host that runs with the collector
off keeps it off). ``gc.freeze`` is not used: it is process-wide too, and ``gc.unfreeze`` would
undo a host's own freeze (pre-fork servers freeze to keep pages shared), while with collections
paused there is nothing for a freeze to save.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the garbage collector off; restore its previous state afterwards."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
