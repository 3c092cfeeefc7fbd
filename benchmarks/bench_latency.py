"""The seed export over a slow network: requests, sequential round trips and time (a script, not a test).

Issue 13's figures: with 50 ms added to every round trip, the seed export (June with corrections
for January to May, P = 6 receipts) needs at most P + 3 sequential round trips and at most 5 + P
requests, with and without a token refresh; the journal documents (``attach_journal_lines``) add
one POST per receipt, so P more of each, and are measured apart. A delaying proxy on loopback sits between the plugin
and the embedded sandbox: it holds every chunk the client sends for 50 ms before passing it on
(so each request/answer exchange costs 50 ms more), and notes when each exchange on each
connection starts and ends. The sequential round trips are the longest chain of exchanges that
follow one another (the most exchanges no two of which overlap), connections the TCP connections
the proxy accepted.

Run: ``.venv/bin/python benchmarks/bench_latency.py [delay_ms] [requests_per_second]`` (the
host's request limiter; 20 by default, Procountor's documented limit, 60 for the production
figure one copy of the documentation gives). At 20/s the limiter, not the round trips, sets the
pace of a ten-request export: its quarter window admits five requests per 0.27 s. Each scenario runs on a fresh
sandbox, so every export is a first export (no receipt booked yet). "one by one" sends the
pre-flight reads sequentially, as before issue 13, for comparison.
"""

from __future__ import annotations

import queue
import socket
import sys
import threading
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from datetime import date

from nmbrs_hookspecs.host import ReferenceHost
from nmbrs_hookspecs.types import Actor, AdministrationMapping, DimensionMapping, ProviderConfig
from nmbrs_procountor_devtools.demo_data import COMPANY, june_run
from nmbrs_procountor_plugin import plugin
from nmbrs_procountor_plugin.api import parallel
from nmbrs_procountor_plugin.api.credentials import TokenRecord
from procountor_sandbox import Sandbox, SandboxConfig

ADMIN = Actor("bench", {"procountor": "write"})
CHUNK = 65536


@dataclass
class Exchange:
    start: float
    end: float


@dataclass
class _Link:
    """One client connection through the proxy, and the exchanges seen on it."""

    exchanges: list[Exchange] = field(default_factory=list)
    answering: bool = True  # True until the client sends: its next chunk starts an exchange
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client_sent(self, now: float) -> None:
        with self.lock:
            if self.answering:
                self.exchanges.append(Exchange(now, now))
                self.answering = False

    def server_sent(self, now: float) -> None:
        with self.lock:
            if self.exchanges:
                self.exchanges[-1].end = now
            self.answering = True


class DelayingProxy:
    """A loopback TCP proxy that delays the client-to-server direction by ``delay`` seconds."""

    def __init__(self, upstream: tuple[str, int], delay: float) -> None:
        self.upstream = upstream
        self.delay = delay
        self.links: list[_Link] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._sockets: list[socket.socket] = [self._listener]
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            for end in (client, server):
                end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _Link()
            self.links.append(link)
            self._sockets += [client, server]
            later: queue.Queue[tuple[float, bytes]] = queue.Queue()
            threading.Thread(target=self._read_client, args=(client, link, later), daemon=True).start()
            threading.Thread(target=self._send_later, args=(server, later), daemon=True).start()
            threading.Thread(target=self._answer, args=(server, client, link), daemon=True).start()

    def _read_client(self, client: socket.socket, link: _Link, later: queue.Queue[tuple[float, bytes]]) -> None:
        with suppress(OSError):
            while data := client.recv(CHUNK):
                now = time.monotonic()
                link.client_sent(now)
                later.put((now + self.delay, data))
        later.put((0.0, b""))

    @staticmethod
    def _send_later(server: socket.socket, later: queue.Queue[tuple[float, bytes]]) -> None:
        while True:
            due, data = later.get()
            if not data:
                with suppress(OSError):
                    server.shutdown(socket.SHUT_WR)
                return
            time.sleep(max(0.0, due - time.monotonic()))
            try:
                server.sendall(data)
            except OSError:
                return

    @staticmethod
    def _answer(server: socket.socket, client: socket.socket, link: _Link) -> None:
        with suppress(OSError):
            while data := server.recv(CHUNK):
                link.server_sent(time.monotonic())
                client.sendall(data)
        with suppress(OSError):
            client.shutdown(socket.SHUT_WR)

    def reset(self) -> None:
        self.links.clear()

    def sequential_round_trips(self) -> int:
        """The most exchanges that do not overlap: the chain the export had to wait through."""
        exchanges = sorted((e for link in list(self.links) for e in link.exchanges), key=lambda e: e.end)
        count, last_end = 0, float("-inf")
        for exchange in exchanges:
            if exchange.start >= last_end:
                count, last_end = count + 1, exchange.end
        return count

    def close(self) -> None:
        self._stop.set()
        for sock in self._sockets:
            with suppress(OSError):
                sock.close()


def run(label: str, delay: float, *, refresh: bool, reads_together: bool, rate: float, documents: bool = False) -> None:
    year = date.today().year
    journal = june_run(year)
    periods = len({line.period for line in journal.lines})
    parallel.max_parallel = parallel.MAX_PARALLEL if reads_together else 1
    with ExitStack() as stack:
        sb = stack.enter_context(Sandbox(SandboxConfig(rate_limit_per_second=None)))
        host_name, port = sb.base_url.removeprefix("http://").split(":")
        proxy = DelayingProxy((host_name, int(port)), delay)
        stack.callback(proxy.close)
        config = ProviderConfig(
            sb.client_id, sb.client_secret, sb.redirect_uri, "custom", proxy.url, requests_per_second=rate
        )
        host = ReferenceHost(
            provider_configs={"procountor": config}, load_entrypoints=False, plugins=[(plugin, "procountor")]
        )
        stack.callback(host.close)
        account = host.create_account(ADMIN, "procountor", "bench", {"attach_journal_lines": documents})
        issued = sb.issue_tokens("demo.admin", 10001)
        record = TokenRecord(
            "login", issued["access_token"], issued["refresh_token"], int(time.time()) + 3600, "10001", "Järvi"
        )
        host.credentials.put(account.id, record.to_data(), 0)
        dims = (
            DimensionMapping("cost_center", True, "Kustannuspaikka"),
            DimensionMapping("cost_unit", True, "Projekti"),
        )
        host.save_mapping(ADMIN, AdministrationMapping(account.id, COMPANY.id, "10001", dims), COMPANY)
        if refresh:  # the stored token now expires within the refresh leeway: the export renews it first
            stored = host.credentials.get(account.id)
            assert stored is not None
            expiring = TokenRecord.from_data(stored.data).to_data() | {"expires_at": int(time.time()) + 5}
            assert host.credentials.put(account.id, expiring, stored.version)
        # The set-up's own requests (the mapping check's reads) would still fill the limiter's window
        # and make the export wait for them: let the window pass, so the figures are the export's.
        time.sleep(1.2)
        sb.clear_request_log()
        proxy.reset()
        started = time.perf_counter()
        result = host.export_journal(ADMIN, account.id, COMPANY, journal)
        elapsed = time.perf_counter() - started
        log = sb.request_log
        tokens = sum(r.path == "/api/oauth/token" for r in log)
        extra = periods if documents else 0  # one POST /attachments per receipt, after it
        print(
            f"{label:<34} status={result.status:<6} requests={len(log):>2} (budget {5 + periods + extra}, "
            f"token calls {tokens})"
            f"  sequential round trips={proxy.sequential_round_trips():>2} (budget {periods + 3 + extra})"
            f"  connections={len(proxy.links)}  time={elapsed * 1000:5.0f} ms"
            f"  (= {elapsed / delay:4.1f} x {delay * 1000:.0f} ms)"
        )
    parallel.max_parallel = parallel.MAX_PARALLEL


def main(delay_ms: float = 50.0, rate: float = 20.0) -> None:
    delay = delay_ms / 1000
    print(
        f"seed export (P = 6), {delay_ms:.0f} ms added per round trip, the host's limiter at {rate:g} requests/s, "
        f"Python {sys.version.split()[0]}"
    )
    for refresh in (False, True):
        suffix = ", token refresh" if refresh else ""
        run(f"reads together{suffix}", delay, refresh=refresh, reads_together=True, rate=rate)
        run(f"reads one by one{suffix}", delay, refresh=refresh, reads_together=False, rate=rate)
    # The journal documents (on by default) add one POST per receipt, right after the receipt.
    run("reads together, documents", delay, refresh=False, reads_together=True, rate=rate, documents=True)
    run("reads together, refresh, documents", delay, refresh=True, reads_together=True, rate=rate, documents=True)


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:3]))
