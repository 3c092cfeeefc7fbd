"""Talking to Procountor: the HTTP client, tokens, environments, errors and exact JSON.

Everything that crosses the wire goes through :mod:`.client`; the areas above it (authorization,
mapping, export) never build a request themselves.
"""
