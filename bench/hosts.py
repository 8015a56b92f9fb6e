"""The production shape on one machine: four hosts as network namespaces, one worker host cut off mid-run.

    as root: .venv/bin/python bench/hosts.py [--docs 2000] [--cut-after 0.3] [--hold 75]

Hosts (network namespaces joined by veth pairs to one bridge, 10.213.0.0/24; every service binds
to its own host's address, so the others reach it only over the bridge):

    data  10.213.0.1  a throw-away PostgreSQL (initdb into a temp dir) and a Redis without persistence
    web   10.213.0.2  gunicorn serving the portal
    w1    10.213.0.3  `flask --app wsgi worker`
    w2    10.213.0.4  `flask --app wsgi worker`

The driver (this process, on the bridge's 10.213.0.254) logs in as four suppliers and uploads
--docs small generated files (CMRTs and text certificates, each one distinct) through the
portal's upload form over HTTP, while both worker hosts work. Once --cut-after of them are
final it takes w2's link down (the switch port: `ip link set … down`), holds it down for
--hold seconds (longer than STUCK_AFTER_S, so the sweeper has to hand w2's job to w1), then
brings it back up. It reports documents per hour with two and with one worker host, and checks
from the database that every document ended in exactly one final state with exactly one
result event, that none stayed "extracting" beyond STUCK_AFTER_S plus a sweep, and that w2
worked again after its link came back. Exit status 1 when a check fails.

Everything it made (namespaces, bridge, processes, the database files unless --keep; the logs
stay in the temp dir it prints) is removed on exit, on Ctrl-C and on SIGTERM; `--cleanup`
removes what a run killed with SIGKILL left.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import psycopg
import requests

from _stack import csrf_token, login, wait_until_up  # bench/ is on sys.path when a bench runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SUBNET = "10.213.0"
HOSTS = {"data": 1, "web": 2, "w1": 3, "w2": 4}
DRIVER_IP = f"{SUBNET}.254"
PASSWORD = "bench-hosts-password-1"
SUPPLIERS = 4
FINAL = ("extracted", "needs_review", "failed")


def ip_of(host: str) -> str:
    return f"{SUBNET}.{HOSTS[host]}"


def sh(*cmd: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


# --- the network ---------------------------------------------------------------------------------

class Network:
    """Namespaces `<prefix>-<host>`, a bridge `<prefix>-br`, a veth pair per host (`<prefix>-<host>` on
    the bridge, eth0 inside). Interface names stay under Linux's 15 characters."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.bridge = f"{prefix}-br"

    def ns(self, host: str) -> str:
        return f"{self.prefix}-{host}"

    def port(self, host: str) -> str:
        return f"{self.prefix}-{host}"

    def up(self) -> None:
        sh("ip", "link", "add", self.bridge, "type", "bridge")
        sh("ip", "addr", "add", f"{DRIVER_IP}/24", "dev", self.bridge)
        sh("ip", "link", "set", self.bridge, "up")
        for host, last in HOSTS.items():
            ns, port = self.ns(host), self.port(host)
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "add", port, "type", "veth", "peer", "name", f"{port}-n")
            sh("ip", "link", "set", f"{port}-n", "netns", ns)
            sh("ip", "-n", ns, "link", "set", f"{port}-n", "name", "eth0")
            sh("ip", "-n", ns, "addr", "add", f"{SUBNET}.{last}/24", "dev", "eth0")
            sh("ip", "-n", ns, "link", "set", "eth0", "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "link", "set", port, "master", self.bridge)
            sh("ip", "link", "set", port, "up")

    def cut(self, host: str) -> None:
        sh("ip", "link", "set", self.port(host), "down")

    def restore(self, host: str) -> None:
        sh("ip", "link", "set", self.port(host), "up")

    def exec(self, host: str) -> list[str]:
        return ["ip", "netns", "exec", self.ns(host)]

    def down(self) -> None:
        """Kill whatever still runs in our namespaces (only processes this run started live there),
        then delete namespaces, ports and bridge. Safe to call twice and after a partial setup."""
        for host in HOSTS:
            pids = sh("ip", "netns", "pids", self.ns(host), check=False).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            sh("ip", "netns", "del", self.ns(host), check=False)
            sh("ip", "link", "del", self.port(host), check=False)
        sh("ip", "link", "del", self.bridge, check=False)


# --- the services --------------------------------------------------------------------------------

@dataclass
class Stack:
    net: Network
    scratch: Path
    stuck_after_s: int
    sweep_interval_s: int
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return f"postgresql+psycopg://postgres@{ip_of('data')}:5432/portal"

    @property
    def base(self) -> str:
        return f"http://{ip_of('web')}:8000"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME", "TZ")}
        return {**keep, "DATABASE_URL": self.database_url, "REDIS_URL": f"redis://{ip_of('data')}:6379/0",
                "QUEUE_PREFIX": "hosts", "SECRET_KEY": "bench-hosts", "PUBLIC_URL": self.base,
                "PASSPORT_API_URL": self.base + "/api/v1", "UPLOADS_PER_HOUR": "1000000",
                "STUCK_AFTER_S": str(self.stuck_after_s), "SWEEP_INTERVAL_S": str(self.sweep_interval_s),
                "PYTHONUNBUFFERED": "1"}

    def start(self, name: str, host: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.scratch / f"{name}.log", "wb")
        self.procs[name] = subprocess.Popen(self.net.exec(host) + cmd, cwd=ROOT, env=env or self.env(),
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def data_host(self) -> None:
        pgdata = self.scratch / "pg"
        pgdata.mkdir()
        shutil.chown(self.scratch, "postgres")
        shutil.chown(pgdata, "postgres")
        as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups"]
        subprocess.run(as_postgres + ["initdb", "-D", str(pgdata), "-U", "postgres", "-A", "trust", "--no-sync"],
                       check=True, capture_output=True)
        with open(pgdata / "pg_hba.conf", "a") as hba:
            hba.write(f"host all all {SUBNET}.0/24 trust\n")
        self.start("postgres", "data", as_postgres + [
            "postgres", "-D", str(pgdata), "-c", f"listen_addresses={ip_of('data')}", "-p", "5432",
            "-c", f"unix_socket_directories={pgdata}", "-c", "max_connections=200"])
        self.start("redis", "data", ["redis-server", "--bind", ip_of("data"), "--port", "6379", "--save", "",
                                     "--appendonly", "no", "--protected-mode", "no"])
        for _ in range(100):
            if sh("pg_isready", "-q", "-h", ip_of("data"), "-p", "5432", check=False).returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"PostgreSQL on the data host did not start: see {self.scratch / 'postgres.log'}")
        with psycopg.connect(f"postgresql://postgres@{ip_of('data')}:5432/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE portal")

    def flask(self, *args: str) -> None:
        """A CLI command run on the web host, the way an operator would."""
        subprocess.run(self.net.exec("web") + [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                       env=self.env(), check=True, capture_output=True)

    def web_host(self) -> None:
        self.flask("db", "upgrade")
        for n in range(SUPPLIERS):
            self.flask("users", "create", "--email", f"supplier{n}@hosts.test", "--password", PASSWORD,
                       "--role", "supplier", "--supplier", f"Hosts Supplier {n}")
        self.start("web", "web", [str(BIN / "gunicorn"), "--bind", f"{ip_of('web')}:8000", "--workers", "2",
                                  "wsgi:app"])
        wait_until_up(self.base)

    def worker_host(self, host: str) -> None:
        self.start(host, host, [str(BIN / "flask"), "--app", "wsgi", "worker"])

    def stop(self) -> None:
        # workers and the web first (SIGTERM: RQ finishes its job's bookkeeping), the data host last
        for name in [n for n in self.procs if n not in ("postgres", "redis")] + ["redis", "postgres"]:
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGINT if name == "postgres" else signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


# --- the documents -------------------------------------------------------------------------------

def documents(n: int, scratch: Path) -> list[tuple[str, bytes]]:
    """Small distinct files from the test builders: three CMRTs to one text certificate. A few
    CMRTs from different companies are built (openpyxl is slow), each sent many times with its
    own zip comment, so every upload is a new file (its own sha256) with real content."""
    from tests.ingestion.builders import COMPANY, rmi_workbook
    from tests.ingestion.pdf_writer import PdfWriter
    from tests.ingestion.scans import ENGLISH
    smelters = [{"B": "Tin", "C": "China Tin Group Co., Ltd.", "D": "China Tin Group Co., Ltd.",
                 "E": "CHINA", "F": "CID001070", "G": "RMI"}]
    bases = [rmi_workbook(scratch / f"cmrt-{k}.xlsx", declaration={**COMPANY, "D8": f"Hosts Bench {k} GmbH"},
                          smelters=smelters, title_cached=True).read_bytes() for k in range(8)]
    for k in range(8):
        (scratch / f"cmrt-{k}.xlsx").unlink()
    out = []
    for k in range(n):
        if k % 4 == 3:
            writer, top = PdfWriter(), 90.0
            page = writer.page()
            for text, size, bold in ENGLISH:
                page.text(72, top, f"Certificate No.: Q73-{100000 + k}" if text.startswith("Certificate No") else text,
                          size, bold=bold)
                top += size * 2.4
            out.append((f"certificate-{k}.pdf", writer.build()))
        else:
            out.append((f"cmrt-{k}.xlsx", with_comment(bases[k % len(bases)], f"hosts bench {k}")))
    return out


def with_comment(xlsx: bytes, comment: str) -> bytes:
    """The same workbook with a zip comment: other bytes, same sheets."""
    src = io.BytesIO(xlsx)
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item))
        zout.comment = comment.encode()
    return out.getvalue()


def upload_all(base: str, files: list[tuple[str, bytes]], ids: list[int], errors: list[str]) -> None:
    """One thread per supplier, each posting its share through the upload form."""
    def one_supplier(n: int) -> None:
        http = login(base, f"supplier{n}@hosts.test", PASSWORD)
        token = csrf_token(http, base + "/documents/")
        for name, content in files[n::SUPPLIERS]:
            try:
                response = http.post(base + "/documents/", data={"csrf_token": token}, files={"file": (name, content)},
                                     timeout=60)
                found = re.search(r"/documents/(\d+)$", response.url)
                if found:
                    ids.append(int(found.group(1)))
                else:
                    errors.append(f"{name}: HTTP {response.status_code} at {response.url}")
            except requests.RequestException as exc:
                errors.append(f"{name}: {exc}")
    threads = [threading.Thread(target=one_supplier, args=(n,)) for n in range(SUPPLIERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- watching and checking -----------------------------------------------------------------------

def db() -> psycopg.Connection:
    return psycopg.connect(f"postgresql://postgres@{ip_of('data')}:5432/portal", autocommit=True)


def count_final(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM document WHERE status = ANY(%s)", (list(FINAL),)).fetchone()[0]


@dataclass
class Watch:
    """Polls the database once a second: the longest any document stayed in one 'extracting' spell."""
    longest_extracting_s: float = 0.0
    spells: dict[tuple[int, datetime], float] = field(default_factory=dict)

    def poll(self, conn: psycopg.Connection) -> None:
        now = time.monotonic()
        for doc_id, started in conn.execute("SELECT id, extraction_started_at FROM document "
                                            "WHERE status = 'extracting'").fetchall():
            first = self.spells.setdefault((doc_id, started), now)
            self.longest_extracting_s = max(self.longest_extracting_s, now - first)


def worker_names(stack: Stack) -> dict[str, str]:
    """RQ worker name → host, matched by the pid each worker registered with."""
    from redis import Redis
    from rq import Worker
    pids = {stack.procs[h].pid: h for h in ("w1", "w2")}
    names = {}
    for worker in Worker.all(connection=Redis(host=ip_of("data"), port=6379)):
        if worker.pid in pids:
            names[worker.name] = pids[worker.pid]
    return names


def busy(names: dict[str, str], host: str) -> bool:
    """Is that host's worker in the middle of a job? (The cut should catch one mid-job.)"""
    from redis import Redis
    from rq import Worker
    return any(names.get(worker.name) == host and worker.get_current_job_id()
               for worker in Worker.all(connection=Redis(host=ip_of("data"), port=6379)))


def job_hosts(ids: list[int], names: dict[str, str]) -> dict[int, tuple[str, datetime | None]]:
    """Which worker host ran each document's last job and when it started (RQ keeps it result_ttl)."""
    from redis import Redis
    from rq.exceptions import NoSuchJobError
    from rq.job import Job
    conn = Redis(host=ip_of("data"), port=6379)
    out = {}
    for doc_id in ids:
        try:
            job = Job.fetch(f"hosts-extract-document-{doc_id}", connection=conn)
        except NoSuchJobError:
            continue
        out[doc_id] = (names.get(job.worker_name or "", "?"), job.started_at)
    return out


def per_hour(conn: psycopg.Connection, start: datetime, end: datetime) -> tuple[int, float]:
    done = conn.execute("SELECT count(*) FROM document WHERE status = ANY(%s) AND updated_at >= %s AND "
                        "updated_at < %s", (list(FINAL), start, end)).fetchone()[0]
    span = (end - start).total_seconds()
    return done, done / span * 3600 if span > 0 else 0.0


def utc() -> datetime:
    return datetime.now(timezone.utc)


def aware(moment: datetime) -> datetime:
    """PostgreSQL hands the portal's timestamps back with or without a zone; both are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def file_round_trips(conn: psycopg.Connection, sizes_mb: tuple[int, ...] = (1, 5, 25)) -> list[tuple[int, float, float]]:
    """Write and read files of these sizes through PostgreSQL over the bridge, as an upload and a
    worker on another host do (a bytea row): (MB, median write ms, median read ms)."""
    conn.execute("CREATE TEMP TABLE blob_probe (id int PRIMARY KEY, content bytea)")
    out = []
    for mb in sizes_mb:
        data = os.urandom(mb * 1024 * 1024)       # random: neither TOAST nor the link compresses it
        writes, reads = [], []
        for k in range(3):
            started = time.perf_counter()
            conn.execute("INSERT INTO blob_probe VALUES (%s, %s)", (mb * 10 + k, data))
            writes.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assert len(conn.execute("SELECT content FROM blob_probe WHERE id = %s", (mb * 10 + k,)).fetchone()[0]) \
                == len(data)
            reads.append((time.perf_counter() - started) * 1000)
        out.append((mb, sorted(writes)[1], sorted(reads)[1]))
    conn.execute("DROP TABLE blob_probe")
    return out


def run(args: argparse.Namespace, net: Network, scratch: Path) -> bool:
    stack = Stack(net, scratch, args.stuck_after, args.sweep_interval)
    try:
        print(f"generating {args.docs} documents…", flush=True)
        files = documents(args.docs, scratch)
        net.up()
        stack.data_host()
        stack.web_host()
        stack.worker_host("w1")
        stack.worker_host("w2")
        time.sleep(3)
        names: dict[str, str] = {}
        ids: list[int] = []
        errors: list[str] = []
        conn = db()
        started = utc()
        print(f"uploading through {stack.base} (4 suppliers in parallel), two worker hosts working…", flush=True)
        uploader = threading.Thread(target=upload_all, args=(stack.base, files, ids, errors))
        uploader.start()
        watch = Watch()
        cut_at = restored_at = uploaded_at = None
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            watch.poll(conn)
            names.update(worker_names(stack))  # a worker that lost Redis re-registers under a new name
            final = count_final(conn)
            if uploaded_at is None and not uploader.is_alive():
                uploaded_at = utc()
                print(f"{len(ids)} uploads in {(uploaded_at - started).total_seconds():.0f} s "
                      f"({len(ids) / (uploaded_at - started).total_seconds():.1f} per second); {final} final",
                      flush=True)
            if cut_at is None and final >= args.cut_after * args.docs and busy(names, "w2"):
                net.cut("w2")
                cut_at = utc()
                print(f"{final} final: w2's link down at {cut_at:%H:%M:%S}, in the middle of a job", flush=True)
            elif cut_at is not None and restored_at is None and (utc() - cut_at).total_seconds() >= args.hold:
                net.restore("w2")
                restored_at = utc()
                print(f"{final} final: w2's link up again at {restored_at:%H:%M:%S}", flush=True)
            if restored_at is not None and not uploader.is_alive() and final >= len(ids):
                break
            time.sleep(1)
        uploader.join()
        finished = utc()
        # RQ may still be finishing bookkeeping on the last job; the database already holds the outcome
        time.sleep(2)
        return report(args, stack, conn, ids, errors, names, watch, started, cut_at, restored_at, finished)
    finally:
        stack.stop()


def report(args: argparse.Namespace, stack: Stack, conn: psycopg.Connection, ids: list[int], errors: list[str],
           names: dict[str, str], watch: Watch, started: datetime, cut_at: datetime | None,
           restored_at: datetime | None, finished: datetime) -> bool:
    ok = True

    def check(passed: bool, text: str) -> None:
        nonlocal ok
        ok &= passed
        print(f"  [{'ok' if passed else 'FAIL'}] {text}")

    rows = conn.execute("SELECT id, status, attempts FROM document").fetchall()
    by_status: dict[str, int] = {}
    for _, status, _ in rows:
        by_status[status] = by_status.get(status, 0) + 1
    events = dict(conn.execute(
        "SELECT entity_id, count(*) FROM audit_entry WHERE entity = 'document' AND action IN "
        "('document.extracted', 'document.failed') GROUP BY entity_id").fetchall())
    results = conn.execute("SELECT count(*) FROM document WHERE status IN ('extracted', 'needs_review') "
                           "AND result IS NULL").fetchone()[0]
    retried = sum(1 for _, _, attempts in rows if attempts > 1)
    hosts = job_hosts(ids, names)
    by_host: dict[str, int] = {}
    for host, _ in hosts.values():
        by_host[host] = by_host.get(host, 0) + 1
    w2_after = sum(1 for host, begun in hosts.values() if host == "w2" and restored_at and begun
                   and aware(begun) > restored_at)

    print(f"\n{len(ids)} uploaded of {args.docs} ({len(errors)} upload errors), in the database {len(rows)}: "
          + ", ".join(f"{v} {k}" for k, v in sorted(by_status.items())))
    print(f"jobs by worker host: {by_host}; {retried} documents needed a second attempt")
    if cut_at and restored_at:
        first_final, last_final = (aware(t) if t else None for t in conn.execute(
            "SELECT min(updated_at), max(updated_at) FROM document WHERE status = ANY(%s)", (list(FINAL),)).fetchone())
        start = first_final or aware(started)
        two_n, two = per_hour(conn, start, aware(cut_at))
        one_n, one = per_hour(conn, aware(cut_at), aware(restored_at))
        after_n, after = per_hour(conn, aware(restored_at), last_final or aware(finished))
        print(f"documents per hour: two worker hosts {two:,.0f} ({two_n} docs before the cut), "
              f"one worker host {one:,.0f} ({one_n} docs while w2 was cut off, {args.hold} s), "
              f"two again {after:,.0f} ({after_n} docs after w2 came back)")
        total = (last_final - started).total_seconds() if last_final else 0
        print(f"whole run: {len(rows)} documents in {total:.0f} s = {len(rows) / total * 3600 if total else 0:,.0f}"
              f" per hour")
    print("checks:")
    check(not errors, f"every upload accepted ({len(errors)} errors{': ' + errors[0] if errors else ''})")
    check(len(rows) == len(ids) == args.docs, f"no document lost ({len(rows)} rows for {len(ids)} uploads)")
    not_final = [doc_id for doc_id, status, _ in rows if status not in FINAL]
    check(not not_final, f"every document in a final state ({len(not_final)} not: {not_final[:10]})")
    wrong = [doc_id for doc_id, _, _ in rows if events.get(str(doc_id), 0) != 1]
    check(not wrong, f"exactly one result event per document ({len(wrong)} with 0 or 2+: "
                     f"{[(d, events.get(str(d), 0)) for d in wrong[:10]]})")
    check(results == 0, f"every extracted document holds its result ({results} without)")
    limit = args.stuck_after + 2 * args.sweep_interval + 15
    check(watch.longest_extracting_s <= limit,
          f"no document 'extracting' beyond STUCK_AFTER_S + a sweep (longest {watch.longest_extracting_s:.0f} s, "
          f"limit {limit} s)")
    check(cut_at is not None and restored_at is not None, "w2 was cut off and restored mid-run")
    left = conn.execute("SELECT count(*) FROM document WHERE updated_at > %s",
                        (restored_at or finished,)).fetchone()[0]
    if restored_at is not None and not left:
        print("  [not checked] w2 working again: every document was final before its link came back "
              "(more --docs or a shorter --hold)")
    else:
        check(w2_after > 0, f"w2 worked again after its link came back ({w2_after} jobs)")
    print("files in the database, over the bridge (median of 3): " + "; ".join(
        f"{mb} MB write {w:.0f} ms, read {r:.0f} ms" for mb, w, r in file_round_trips(conn)))
    print(f"(logs: {stack.scratch})")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--cut-after", type=float, default=0.3, help="fraction of documents final before the cut")
    parser.add_argument("--hold", type=int, default=75, help="seconds w2 stays cut off")
    parser.add_argument("--stuck-after", type=int, default=30, help="STUCK_AFTER_S for the portal")
    parser.add_argument("--sweep-interval", type=int, default=10, help="SWEEP_INTERVAL_S for the portal")
    parser.add_argument("--timeout", type=int, default=7200, help="give up after this many seconds")
    parser.add_argument("--prefix", default="sdph", help="names of namespaces and links")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, database files)")
    parser.add_argument("--cleanup", action="store_true", help="only remove what an earlier run left")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("network namespaces need root")
    net = Network(args.prefix)
    net.down()                       # leftovers of a run that was killed with SIGKILL
    if args.cleanup:
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)   # unwinds through the finally blocks below
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, stop)
    scratch = Path(tempfile.mkdtemp(prefix="bench-hosts-"))
    ok = False
    try:
        ok = run(args, net, scratch)
    finally:
        net.down()
        if not args.keep:
            for _ in range(10):          # a SIGKILLed postmaster's children may still be writing
                shutil.rmtree(scratch / "pg", ignore_errors=True)
                if not (scratch / "pg").exists():
                    break
                time.sleep(0.5)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
