"""Many requests at once: the single state lock must make races resolve like Procountor."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from procountor_sandbox import Sandbox

from .sandbox_helpers import ADMIN, BAKERY, Api, api_for, receipt, token_request

THREADS = 8


def test_concurrent_refresh_with_rotation_has_exactly_one_winner(
    sandbox_factory: Callable[..., Sandbox],
) -> None:
    sb = sandbox_factory(rate_limit_per_second=None)
    refresh = sb.issue_tokens(ADMIN, BAKERY)["refresh_token"]
    barrier = threading.Barrier(THREADS)

    def attempt(_: int) -> requests.Response:
        barrier.wait()
        return token_request(sb, grant_type="refresh_token", refresh_token=refresh)

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(attempt, range(THREADS)))
    winners = [a for a in answers if a.status_code == 200]
    losers = [a for a in answers if a.status_code != 200]
    assert len(winners) == 1
    assert {(a.status_code, a.json()["error"]) for a in losers} == {(400, "invalid_grant")}
    new_refresh = winners[0].json()["refresh_token"]
    assert token_request(sb, grant_type="refresh_token", refresh_token=new_refresh).ok


def test_concurrent_posts_get_unique_sequential_numbers(quiet_sandbox: Sandbox) -> None:
    apis = [api_for(quiet_sandbox) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def post_two(client: Api) -> list[int]:
        barrier.wait()
        return [client.post("/ledgerreceipts", json=receipt()).json()["receiptNumber"] for _ in range(2)]

    with ThreadPoolExecutor(THREADS) as pool:
        numbers = sorted(n for pair in pool.map(post_two, apis) for n in pair)
    assert numbers == list(range(1, 2 * THREADS + 1))
    assert len({r["id"] for r in quiet_sandbox.receipts(BAKERY)}) == 2 * THREADS


def test_concurrent_rate_limit_allows_exactly_the_limit(
    sandbox_factory: Callable[..., Sandbox],
) -> None:
    sb = sandbox_factory(rate_limit_per_second=10)
    client = api_for(sb)
    barrier = threading.Barrier(16)

    def hit(_: int) -> int:
        barrier.wait()
        return client.get("/company").status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(hit, range(16)))
    assert statuses.count(200) == 10
    assert statuses.count(429) == 6
