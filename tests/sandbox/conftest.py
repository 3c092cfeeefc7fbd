"""Fixtures of the sandbox tests; ``sandbox`` and ``sandbox_factory`` come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from procountor_sandbox import Sandbox

from .sandbox_helpers import TODAY, Api, api_for


@pytest.fixture
def quiet_sandbox(sandbox_factory: Callable[..., Sandbox]) -> Sandbox:
    """Pinned date and no rate limit, for tests that send many requests or need fixed dates."""
    return sandbox_factory(today=TODAY, rate_limit_per_second=None)


@pytest.fixture
def api(quiet_sandbox: Sandbox) -> Api:
    return api_for(quiet_sandbox)


@pytest.fixture
def allowed_hosts() -> list[str]:
    """--block-network stays on, but these tests must reach the sandbox on loopback."""
    return [r"127\.0\.0\.1$", r"localhost$"]
