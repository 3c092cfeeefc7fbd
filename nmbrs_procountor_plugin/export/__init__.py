"""The journal export, one module per step in the order data flows through them.

host journal -> :mod:`.gates` -> :mod:`.journal_checks` -> :mod:`.planning` (one receipt per
period, :mod:`.text`, :mod:`.fingerprint`) -> :mod:`.preflight` -> :mod:`.resend` -> send
(:mod:`.pipeline`) -> :mod:`.refusals` (Procountor's answers back as problems) -> result.
"""
