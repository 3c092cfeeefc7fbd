"""Problems of the mapping area (filled in with its issue)."""

from nmbrs_procountor_plugin.messages import Entry

ENTRIES: list[Entry] = []
