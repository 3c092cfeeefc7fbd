"""The reference host's request limiter: one sliding window per API client, shared by every worker.

A provider counts requests per API client, not per worker process: a bureau running many workers
on many machines must keep *all of them together* under the limit, or one burst gets the client
suspended for every customer. The window and the count live in one place every worker reaches:

* :class:`SqliteLimiterStore` — a file next to the host database, shared by every process on
  one machine (the embedded default, no server);
* :class:`RedisLimiterStore` — a Redis server, shared by every machine.

Both keep the window with pyrate-limiter's buckets (a sliding-window log: the bucket stores one
timestamp per request and admits a request only while fewer than ``requests`` lie in the last
``per_seconds``). Three of the library's behaviours are worked around here, on purpose (each was
seen as a 429 from the sandbox with several worker processes):

* its blocking ``Limiter.try_acquire`` re-tries with ``item.timestamp += planned sleep`` instead
  of reading the clock again, so a worker that oversleeps stamps its request earlier than it went
  out. :meth:`BucketRequestLimiter.acquire` takes a fresh timestamp on every try instead;
* the Redis bucket's script counts only ``window_start..now``: a request another worker stamped a
  moment *later* but stored first is not counted, and one extra request slips through per race.
  The Redis store runs the same script counting up to ``+inf``;
* the Redis bucket stamps requests with the worker's own clock; machines whose clocks disagree
  would see different windows, so the Redis store stamps with the Redis server's ``TIME``.

A request is stamped when it is admitted and reaches the provider a little later; the delay
varies (connection set-up, a busy machine), so two requests a window apart here may arrive less
than a window apart there. Two things keep that from ever adding up to one request too many:

* ``margin_seconds`` widens the window, so a request that arrives at most that late is covered
  by its admission stamp;
* a request whose answer comes later than the margin is *recounted*: its stamp moves to the
  answer's moment (less the margin). The provider counted it somewhere between admission and
  answer, so counting it from the answer on is never too early. With every stamp at or after
  the provider's own count, a window here holds at least what the provider's window holds, so
  the provider never sees more than the limit, however late requests arrive (the one exception,
  a request that reaches the provider more than a whole window after its admission, is a
  connection that hung and is timed out long before; docs/performance.md, "One limit").

A second window of 30 % of the requests per quarter of the time keeps an early burst from coming
back as a burst one window later.

The shared pause: a provider's ``429`` with ``Retry-After`` says the *client* is over its limit,
so every worker must hold back, not just the one that was refused. :meth:`pause` writes "paused
until" where every worker reads it before each request.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol, cast
from urllib.parse import urlsplit, urlunsplit

import redis
from filelock import FileLock
from pyrate_limiter import AbstractBucket, Rate, RateItem, SQLiteBucket
from pyrate_limiter.buckets.redis_bucket import LuaScript, RedisBucket

from nmbrs_hookspecs.errors import LimiterUnavailable
from nmbrs_hookspecs.types import RequestRate
from nmbrs_hookspecs.wal import use_wal

DEFAULT_MARGIN_SECONDS: Final = 0.075
LEAK_EVERY_SECONDS: Final = 2.0
QUARTER_SHARE: Final = 0.3  # of the requests, per quarter of the window (see BucketRequestLimiter.rates)
REDIS_TIMEOUT_SECONDS: Final = 5.0

logger = logging.getLogger(__name__)


def bucket_name(key: str, rates: list[Rate]) -> str:
    """The shared bucket of one client's key under these windows (a digest: keys may be long)."""
    text = "\0".join([key, *(f"{r.limit}/{r.interval}" for r in rates)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _pause_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class LimiterStore(Protocol):
    """Where the windows and the pauses of all workers live."""

    def bucket(self, rates: list[Rate], name: str) -> AbstractBucket:
        """The shared bucket ``name`` (created on first use) counting under every one of ``rates``."""
        ...

    def guard(self, bucket: AbstractBucket) -> contextlib.AbstractContextManager[Any]:
        """Held around one check-and-record, so it is atomic for every worker."""
        ...

    def recount(self, bucket: AbstractBucket, stamp_ms: int, to_ms: int) -> None:
        """Move one request stamped ``stamp_ms`` to ``to_ms``, or record it there if it left the log.

        Called inside :meth:`guard`, like a check-and-record.
        """
        ...

    def paused_for(self, key: str) -> float:
        """Seconds left of the client's shared pause (0 when none)."""
        ...

    def pause(self, key: str, seconds: float) -> None:
        """Pause the client for ``seconds`` from now, unless a longer pause is already set."""
        ...

    def close(self) -> None: ...


class SqliteLimiterStore:
    """Windows and pauses in one SQLite file: every process of one machine shares them."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path == ":memory:":
            raise ValueError("SqliteLimiterStore(path=':memory:'): processes share nothing in memory; give a file")
        self._lock = threading.Lock()
        self._buckets: dict[str, SQLiteBucket] = {}
        with contextlib.closing(self._connect()) as conn:
            use_wal(conn)
            conn.execute("CREATE TABLE IF NOT EXISTS limiter_pauses (key TEXT PRIMARY KEY, until REAL NOT NULL)")

    def __repr__(self) -> str:
        return f"SqliteLimiterStore({self.path!r})"

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def bucket(self, rates: list[Rate], name: str) -> AbstractBucket:
        with self._lock:
            bucket = self._buckets.get(name)
            if bucket is None:
                # One table per bucket: the library counts every row of a table, whatever its name.
                bucket = SQLiteBucket.init_from_file(rates, table=f"rate_{name}", db_path=self.path, use_file_lock=True)
                self._buckets[name] = bucket
            return bucket

    def guard(self, bucket: AbstractBucket) -> contextlib.AbstractContextManager[Any]:
        lock = bucket.limiter_lock()
        return lock if isinstance(lock, FileLock) else contextlib.nullcontext()

    def recount(self, bucket: AbstractBucket, stamp_ms: int, to_ms: int) -> None:
        assert isinstance(bucket, SQLiteBucket)
        # The library's table: (name, item_timestamp), one row per request (see bucket()).
        table = bucket.table
        moved = bucket.conn.execute(
            f'UPDATE "{table}" SET item_timestamp = ? '  # noqa: S608 - the table name is a hex digest
            f'WHERE rowid = (SELECT rowid FROM "{table}" WHERE item_timestamp = ? LIMIT 1)',
            (to_ms, stamp_ms),
        ).rowcount
        if moved == 0:
            bucket.conn.execute(f'INSERT INTO "{table}" (name, item_timestamp) VALUES (?, ?)', ("request", to_ms))  # noqa: S608
        bucket.conn.commit()

    def paused_for(self, key: str) -> float:
        with contextlib.closing(self._connect()) as conn:
            row = conn.execute("SELECT until FROM limiter_pauses WHERE key = ?", (_pause_digest(key),)).fetchone()
        return 0.0 if row is None else max(0.0, float(row[0]) - time.time())

    def pause(self, key: str, seconds: float) -> None:
        with contextlib.closing(self._connect()) as conn:
            conn.execute(
                "INSERT INTO limiter_pauses (key, until) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET until = max(until, excluded.until)",
                (_pause_digest(key), time.time() + seconds),
            )

    def close(self) -> None:
        with self._lock:
            for bucket in self._buckets.values():
                bucket.close()  # type: ignore[no-untyped-call]
            self._buckets.clear()


_BOUNDED_COUNT = "redis.call('ZCOUNT', bucket, window_start, now)"
if _BOUNDED_COUNT not in LuaScript.PUT_ITEM:  # pragma: no cover - guards a pyrate-limiter upgrade
    raise ImportError("pyrate-limiter's Redis script changed: review _ServerTimeRedisBucket before upgrading")
# Count every request since the window's start, including those other workers stamped *later* than
# this one (they took their timestamp after ours but reached Redis first): the library's script
# stops at ``now`` and so lets one extra request through for each such race.
_PUT_ITEM = LuaScript.PUT_ITEM.replace(_BOUNDED_COUNT, "redis.call('ZCOUNT', bucket, window_start, '+inf')")


# Move one request of the log from one stamp to a later one (a ZSET score), or record it anew if it
# already left the log; atomic on the server like the check-and-record.
_RECOUNT = """
local found = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
local member = found[1] or ('recounted:' .. ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], member)
return found[1] and 1 or 0
"""


class _ServerTimeRedisBucket(RedisBucket):
    """A Redis bucket stamped with the Redis server's clock and counting races in (see above)."""

    def now(self) -> int:
        seconds, micros = cast("tuple[int, int]", self.redis.time())
        return int(seconds) * 1000 + int(micros) // 1000

    @classmethod
    def init(cls, rates: list[Rate], redis: Any, bucket_key: str, algorithm: Any = None) -> _ServerTimeRedisBucket:
        return cls(rates, redis, bucket_key, redis.script_load(_PUT_ITEM), algorithm)


def shown_url(url: str) -> str:
    """``url`` with any password replaced, fit for an error message or a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisLimiterStore:
    """Windows and pauses in Redis: every worker on every machine shares them."""

    def __init__(self, url: str, *, prefix: str = "nmbrs:limiter") -> None:
        self.url = shown_url(url)
        self._prefix = prefix
        self._errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self._redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        self._lock = threading.Lock()
        self._buckets: dict[str, RedisBucket] = {}
        self._recount = self._redis.register_script(_RECOUNT)
        with self.reachable():
            self._redis.ping()

    def __repr__(self) -> str:
        return f"RedisLimiterStore({self.url!r})"

    @contextlib.contextmanager
    def reachable(self) -> Iterator[None]:
        """Turn a lost Redis into one error that names the URL."""
        try:
            yield
        except self._errors as exc:
            raise LimiterUnavailable(f"the request limiter's Redis at {self.url} cannot be reached: {exc}") from None

    def bucket(self, rates: list[Rate], name: str) -> AbstractBucket:
        with self._lock:
            bucket = self._buckets.get(name)
            if bucket is None:
                with self.reachable():
                    bucket = _ServerTimeRedisBucket.init(rates, self._redis, f"{self._prefix}:window:{name}")
                assert isinstance(bucket, RedisBucket)
                self._buckets[name] = bucket
            return bucket

    def guard(self, bucket: AbstractBucket) -> contextlib.AbstractContextManager[Any]:
        return self.reachable()  # the bucket's Lua script is atomic on the server

    def recount(self, bucket: AbstractBucket, stamp_ms: int, to_ms: int) -> None:
        assert isinstance(bucket, RedisBucket)
        with self.reachable():
            self._recount(keys=[bucket.bucket_key], args=[stamp_ms, to_ms, os.urandom(8).hex()])

    def paused_for(self, key: str) -> float:
        with self.reachable():
            left = int(self._redis.pttl(f"{self._prefix}:pause:{_pause_digest(key)}"))
        return max(0, left) / 1000

    def pause(self, key: str, seconds: float) -> None:
        name = f"{self._prefix}:pause:{_pause_digest(key)}"
        millis = max(1, int(seconds * 1000))
        with self.reachable():
            if int(self._redis.pttl(name)) < millis:
                self._redis.set(name, os.getpid(), px=millis)

    def close(self) -> None:
        self._redis.close()


class BucketRequestLimiter:
    """The host's :class:`~nmbrs_hookspecs.protocols.RequestLimiter` over a :class:`LimiterStore`."""

    def __init__(
        self,
        store: LimiterStore,
        *,
        margin_seconds: float = DEFAULT_MARGIN_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 0 <= margin_seconds < 1:
            raise ValueError(f"margin_seconds={margin_seconds!r}: must be in [0, 1)")
        self.store = store
        self._margin_ms = int(margin_seconds * 1000)
        self._sleep = sleep
        self._lock = threading.Lock()  # a bucket keeps its last verdict between put() and waiting()
        self._leaked_at = 0.0

    def __repr__(self) -> str:
        return f"BucketRequestLimiter({self.store!r}, margin_seconds={self._margin_ms / 1000})"

    def acquire(self, rate: RequestRate) -> BucketAdmission:
        waited = 0.0
        rates = self.rates(rate)
        bucket = self.store.bucket(rates, bucket_name(rate.key, rates))
        while True:
            paused = self.store.paused_for(rate.key)
            if paused > 0:
                self._sleep(paused)
                waited += paused
                continue
            stamp_ms, stamped_at, wait_ms = self._try(bucket)
            if wait_ms == 0:
                return BucketAdmission(self, bucket, stamp_ms, stamped_at, waited)
            self._sleep(wait_ms / 1000)
            waited += wait_ms / 1000

    def answered(self, admission: BucketAdmission) -> None:
        """Recount a request answered later than the margin from its answer (see the module doc).

        An answer within the margin changes nothing: the provider counted the request before the
        answer, so at most the margin after its stamp, and the widened window covers that. Only
        late answers cost a trip to the shared store.
        """
        late_ms = (time.monotonic() - admission.stamped_at) * 1000
        if late_ms <= self._margin_ms:
            return
        with self._lock, self.store.guard(admission.bucket):
            now = admission.bucket.now()  # type: ignore[no-untyped-call]
            assert isinstance(now, int)
            self.store.recount(admission.bucket, admission.stamp_ms, max(admission.stamp_ms, now - self._margin_ms))

    def rates(self, rate: RequestRate) -> list[Rate]:
        """The windows a request must fit: the provider's (widened by the margin) and its quarter.

        A sliding log alone keeps a burst a burst: 20 requests admitted at once come back as 20 at
        once one window later. The quarter window spreads them out. It allows 30 % of the
        requests per quarter of the time, a little more than the provider's rate, so that it
        only spreads bursts and never sets the pace: a recounted request (see the module doc)
        stays in *both* windows longer, by its lateness d, and a quarter window holding exactly a
        quarter (5 of 20) would then admit 5 per (268 ms + d), the binding limit for any d > 0
        (73 % of the limit at d = 75 ms). With 6 per quarter it stays looser than the provider's
        window up to d ≈ 78 ms (docs/performance.md, "One limit").
        """
        window_ms = int(rate.per_seconds * 1000)
        rates = [Rate(rate.requests, window_ms + self._margin_ms)]
        if rate.requests >= 4:
            quarter = Rate(math.ceil(rate.requests * QUARTER_SHARE), (window_ms + self._margin_ms) // 4)
            rates.insert(0, quarter)
        return rates

    def _try(self, bucket: AbstractBucket) -> tuple[int, float, int]:
        """Record one request if it fits: its stamp, when it was taken here, and 0; else the
        milliseconds until it may.

        The local moment is read *before* the stamp (a Redis ``TIME`` is a round trip later), so
        lateness measured from it is never less than the truth.
        """
        with self._lock, self.store.guard(bucket):
            stamped_at = time.monotonic()
            now = bucket.now()  # type: ignore[no-untyped-call]
            assert isinstance(now, int)
            item = RateItem("request", now)
            if bucket.put(item):
                self._maybe_leak(bucket, now)
                return now, stamped_at, 0
            wait = bucket.waiting(item)
            assert isinstance(wait, int)
            return now, stamped_at, max(1, wait)

    def _maybe_leak(self, bucket: AbstractBucket, now_ms: int) -> None:
        """Drop timestamps older than the window now and then, so the log stays small."""
        if time.monotonic() - self._leaked_at >= LEAK_EVERY_SECONDS:
            self._leaked_at = time.monotonic()
            bucket.leak(now_ms)

    def pause(self, rate: RequestRate, seconds: float) -> None:
        if seconds > 0:
            self.store.pause(rate.key, seconds)

    def close(self) -> None:
        self.store.close()


@dataclass(frozen=True)
class BucketAdmission:
    """One request :class:`BucketRequestLimiter` admitted: where it is stamped, and since when."""

    limiter: BucketRequestLimiter = field(repr=False)
    bucket: AbstractBucket = field(repr=False)
    stamp_ms: int
    stamped_at: float  # time.monotonic() of this process just before the stamp: lateness counts from here
    waited: float

    def answered(self) -> None:
        try:
            self.limiter.answered(self)
        except LimiterUnavailable:
            # The request is out; the next acquire() names the unreachable store (the contract).
            logger.warning("request limiter: a late answer could not be recounted", exc_info=False)
