"""`flask --app wsgi worker`: an RQ worker with the heavy modules preloaded and the periodic jobs."""

from __future__ import annotations

import gc
import logging
import os
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from portal.horse import LongLivedHorseWorker
from portal.queues import EXTRACT, MAINTENANCE, all_queues, heartbeat_interval_s, queue, redis_connection
from portal.settings import Settings

log = logging.getLogger(__name__)


def preload_heavy_modules() -> None:
    """Import parsers once in the parent so each forked job starts warm (~18 ms vs ~470 ms)."""
    import openpyxl  # noqa: F401
    import pdfplumber  # noqa: F401
    import python_calamine  # noqa: F401

    import ingestion  # noqa: F401
    import portal.documents.jobs  # noqa: F401
    import portal.maintenance  # noqa: F401
    import portal.passports.outbox  # noqa: F401
    import portal.passports.bulk  # noqa: F401
    import portal.requests.declarations  # noqa: F401 - the prefill every extraction job runs
    import portal.webhooks.delivery  # noqa: F401


def prepare_for_forking(settings: Settings) -> None:
    """Do once in the parent what every forked job would otherwise redo: import the parsers,
    configure the SQLAlchemy mappers, build the engine (its dialect initialised by one
    connection) and the JSON Schema validators. Then freeze what exists, so a child's garbage
    collections never walk (and copy-on-write touch) the ~150k inherited objects."""
    from sqlalchemy import text
    from sqlalchemy.orm import configure_mappers

    from ingestion.registry import document_types, validate_record
    from portal.db import all_models, get_engine
    preload_heavy_modules()
    all_models()
    configure_mappers()
    engine = get_engine(settings.database_url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    engine.dispose()            # no connection of the parent's is ever shared with a child
    for document_type in document_types():
        validate_record(document_type, {})      # builds and caches each type's validator
    warm_extraction()
    gc.collect()
    gc.freeze()
    os.register_at_fork(after_in_child=_after_fork_in_child)


def warm_extraction() -> None:
    """Extract a tiny CMRT-shaped workbook once, so the caches every extraction fills (compiled
    patterns, the reader's look-ups, the validators' resolvers) are inherited warm, not rebuilt
    in each job: measured, a job's first extraction costs ~50 ms more than the next."""
    from openpyxl import Workbook

    from ingestion import ExtractionError, extract_file
    book = Workbook()
    declaration = book.active
    declaration.title = "Declaration"
    declaration["D2"], declaration["J3"] = "Conflict Minerals Reporting Template (CMRT)", "Revision 6.5"
    declaration["D8"], declaration["D9"], declaration["D22"] = "Warm-up", "A. Company", "2026-01-31"
    book.create_sheet("Smelter List")["A5"] = "CID000001"
    book.create_sheet("Product List")
    lookup = book.create_sheet("Smelter Look-up")
    for col, value in enumerate(("Gold", "Warm-up", "Warm-up", "JAPAN", "CID000001", "RMI"), start=1):
        lookup.cell(5, col, value)            # the look-up's data starts on row 5
    with tempfile.TemporaryDirectory(prefix="worker-warm-up-") as tmp:
        path = Path(tmp) / "warm-up.xlsx"
        book.save(path)
        try:
            extract_file(path)
        except ExtractionError:
            pass            # the point was the reading, not the result
    log.info("worker: parsers, engine and validators prepared before forking")


def _after_fork_in_child() -> None:
    # SQLAlchemy's recipe after fork: drop the inherited pool without closing the parent's sockets.
    from portal.db import dispose_after_fork
    dispose_after_fork()


def periodic_jobs(settings: Settings) -> list[tuple[str, Callable[[], object], int]]:
    """(name, job, interval in seconds). Every job here is idempotent, so running it more often
    than needed (two workers, a restart) does no harm. Daily work runs hourly on purpose: a
    worker that was down at midnight still catches up the same day."""
    from portal.certificates.daily import run_daily as certificate_register
    from portal.requests.notifications import send_request_reminders
    from portal.mail.send import deliver_pending
    from portal.maintenance import sweep
    from portal.notify_prefs.digest import send_daily_digests
    from portal.passports.merkle import daily_root
    from portal.passports.sweep import sweep as passport_store_sweep
    return [("sweep", sweep, settings.sweep_interval_s),
            ("deliver-mail", deliver_pending, max(30, settings.sweep_interval_s)),
            ("passport-store", passport_store_sweep, settings.sweep_interval_s),
            ("request-reminders", send_request_reminders, 3600),
            ("certificate-register", certificate_register, 3600),
            ("notification-digest", send_daily_digests, 3600),
            ("merkle-root", daily_root, 3600)]


# The sweep is the extraction's backstop: it goes to the front of the extraction queue. In the
# maintenance queue (taken after extraction) it waited behind a backlog of uploads, and so did a
# document that a lost worker host had been extracting (bench/hosts.py: minutes, not STUCK_AFTER_S).
AHEAD_OF_EXTRACTION = frozenset({"sweep"})


def enqueue_periodic(settings: Settings, name: str, func: Callable[[], object]) -> bool:
    """Enqueue one run of a periodic job unless its previous run is still waiting or running
    (one is enough: they are idempotent), so runs do not pile up behind long work."""
    from portal.documents.jobs import job_in_flight
    ahead = name in AHEAD_OF_EXTRACTION
    q = queue(settings, EXTRACT if ahead else MAINTENANCE)
    jid = f"{settings.queue_prefix}-periodic-{name}"
    if job_in_flight(q, jid):
        return False
    q.enqueue(func, job_id=jid, at_front=ahead, job_timeout=600, result_ttl=600, description=f"periodic {name}")
    return True


def schedule_periodic(settings: Settings, stop: threading.Event) -> None:
    """Enqueue each periodic job when its interval is up. A Redis lock per job makes one enqueue
    per interval across all workers on all hosts; everything runs once at start, so a restarted
    Redis (which keeps nothing on disk) recovers at once."""
    conn = redis_connection(settings.redis_url)
    jobs = periodic_jobs(settings)
    while not stop.is_set():
        for name, func, interval in jobs:
            try:
                if conn.set(f"{settings.queue_prefix}:periodic:{name}", "1", nx=True, ex=max(1, interval - 1)):
                    enqueue_periodic(settings, name, func)
            except RedisError as exc:
                log.warning("periodic %s: Redis unavailable (%s)", name, exc)
            except Exception:   # noqa: BLE001 - this thread is the sweeper's only clock: it must not die
                # seen: redis-py raising AttributeError on a connection closed under it while the
                # worker started beside this thread; the thread died and stuck documents stayed stuck
                log.exception("periodic %s: could not enqueue; a fresh Redis connection next time", name)
                conn = redis_connection(settings.redis_url)
        stop.wait(min(settings.sweep_interval_s, 30))


class RedisLost(RedisError):
    """Not a ConnectionError, so that RQ's dequeue loop does not swallow it."""


class PortalWorker(LongLivedHorseWorker):
    """RQ's worker with a work horse that runs many jobs (portal/horse.py), telling a stop request
    (SIGTERM, Ctrl-C) from a lost Redis: RQ's loop ends on both alike."""

    stop_requested = False

    def request_stop(self, signum, frame) -> None:  # noqa: ANN001 - RQ's signal handler
        self.stop_requested = True
        super().request_stop(signum, frame)

    def _pubsub_exception_handler(self, exc: Exception, pubsub, pubsub_thread) -> None:  # noqa: ANN001
        """The command listener (RQ's pubsub thread: stop a job, kill a horse, shut down) lives on
        through any Redis error. RQ's own handler retries a ConnectionError only; a connect that
        times out (a cut network: redis-py's TimeoutError is no ConnectionError) ended the thread,
        and the worker, still working, no longer heard a command."""
        if not isinstance(exc, RedisError):
            super()._pubsub_exception_handler(exc, pubsub, pubsub_thread)
            return
        log.warning("worker %s: command listener: Redis unavailable (%s); retrying in 2 s", self.name, exc)
        time.sleep(2.0)

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            # RQ's teardown unsubscribes after registering the death; with Redis gone that raised
            # first, and the old listener lived on beside the next worker's
            if not self.is_horse and self.pubsub_thread is not None:
                self.pubsub_thread.stop()

    def heartbeat(self, timeout: int | None = None, pipeline=None) -> None:  # noqa: ANN001
        """RQ's heartbeat, and a new command listener if the last one ended anyway. A lost Redis
        ends the worker's loop even while it is idle: RQ's dequeue would retry for ever (its
        registration gone), and run_worker starts a fresh worker once Redis answers. (One
        pipeline, and none when just sent: LongLivedHorseWorker.heartbeat.)"""
        try:
            super().heartbeat(timeout, pipeline)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            if pipeline is not None or self.is_horse:
                raise
            raise RedisLost(str(exc)) from exc
        thread = self.pubsub_thread
        if not self.is_horse and thread is not None and not thread.is_alive() and not self._stop_requested:
            log.warning("worker %s: command listener had stopped; subscribing again", self.name)
            self.pubsub.close()
            self.subscribe()


def fail_with_killed_horse(job, retpid: int, ret_val: int, rusage: object) -> None:  # noqa: ANN001
    """The worker, when the work horse died mid-job (a segfault, the OOM killer, the kill at the
    timeout's end, portal/horse.py): RQ records the failure but runs no failure callback, so the
    document would wait for the sweeper. Run the job's own callback now; it acts once no retry is
    left (a job killed at its timeout has none: the horse worker does not retry it)."""
    from datetime import datetime, timezone

    from rq.timeouts import JobTimeoutException
    callback = job.failure_callback
    if callback is None:
        return
    # the worker kills the horse when a job outlives its timeout (stuck in C code, where RQ's
    # SIGALRM exception cannot land): that is a timeout, reported as one
    ran_s = (datetime.now(timezone.utc) - job.started_at).total_seconds() if job.started_at else 0
    timed_out = job.timeout is not None and job.timeout > 0 and ran_s >= job.timeout
    try:
        callback(job, job.connection, JobTimeoutException if timed_out else None, None, None)
    except Exception:  # the sweeper remains the backstop; the worker must keep working
        log.exception("job %s: failure callback after its work horse died", job.id)


def new_worker(settings: Settings, conn: Redis) -> PortalWorker:
    """A worker on `conn`. RQ raises the pool's socket timeout above its blocking dequeue's (BLPOP)
    for connections opened from now on only; one opened before (a ping) keeps the web's 10 s, and
    an idle worker that got it timed out every 10 s and backed off up to a minute before trying
    again, leaving new jobs waiting. So those are dropped: the next connection gets RQ's timeout."""
    worker = PortalWorker(all_queues(settings), connection=conn,
                          job_monitoring_interval=heartbeat_interval_s(settings),
                          work_horse_killed_handler=fail_with_killed_horse,
                          max_jobs=settings.horse_max_jobs,
                          max_rss_bytes=settings.horse_max_rss_mb * 2**20,
                          kill_grace_s=settings.horse_kill_grace_s)
    conn.connection_pool.disconnect()
    conn.connection_pool.reset()      # new Connection objects: a closed one reconnects with its old timeout
    return worker


def run_worker(settings: Settings, burst: bool = False) -> None:
    """Work until stopped. RQ quits when Redis stops answering (a network cut, a Redis restart);
    a worker host would then stay idle after the network came back, so this waits for Redis and
    starts a fresh RQ worker (a new registration: the old one expired or the sweeper took its job)."""
    prepare_for_forking(settings)
    conn = redis_connection(settings.redis_url)
    conn.ping()
    stop = threading.Event()
    if not burst:
        threading.Thread(target=schedule_periodic, args=(settings, stop), daemon=True,
                         name="periodic").start()
    try:
        while not stop.is_set():
            worker = new_worker(settings, conn)
            try:
                worker.work(with_scheduler=True, burst=burst, logging_level="INFO")
            except RedisError as exc:       # RQ's teardown talks to Redis too
                log.warning("worker: Redis unavailable while stopping (%s)", exc)
            if burst or worker.stop_requested:
                break
            _wait_for_redis(conn, stop)
    finally:
        stop.set()


def _wait_for_redis(conn, stop: threading.Event, every_s: float = 2.0) -> None:  # noqa: ANN001
    """Until Redis answers again or SIGTERM/SIGINT arrive (RQ's handlers went with its worker)."""
    def request_stop(_signum: int, _frame: object) -> None:
        stop.set()
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    log.warning("worker: lost Redis; waiting for it to answer again")
    while not stop.wait(every_s):
        try:
            conn.ping()
        except RedisError:
            continue
        log.info("worker: Redis answers again; starting a fresh worker")
        return
