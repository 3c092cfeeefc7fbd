"""The conformance kit: one scripted check per Procountor behaviour the product assumes but
Procountor does not document (docs/conformance.md).

``nmbrs-procountor conformance`` runs them against a Procountor environment given by URL and
credentials, or against the embedded sandbox with ``--sandbox``, and says for each behaviour what
was observed and whether the product's assumption holds.
"""
