"""Fault test: a worker SIGKILLed in the middle of a job (with its work horse, as when a host or
container dies). Another worker's sweeper sees that nobody sends heartbeats for the job any more
and runs the document again within STUCK_AFTER_S + one sweep, not after RQ's ~10 minutes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import Session, func, select

from portal.audit.models import AuditEntry
from portal.db import get_engine
from portal.documents.models import Document
from portal.maintenance import sweep
from tests.conftest import CMRT_FILE, gen_user, login, upload

STUCK_AFTER_S = 8
SWEEP_INTERVAL_S = 2
STARTUP_ALLOWANCE_S = 20   # a worker process starting and reading a CMRT on a busy 2-core machine


def _worker(env: dict[str, str], log: Path, **extra: str) -> subprocess.Popen:
    proc_env = {**os.environ, **env, "STUCK_AFTER_S": str(STUCK_AFTER_S),
                "SWEEP_INTERVAL_S": str(SWEEP_INTERVAL_S), "JOB_TIMEOUT_S": "900", **extra}
    flask = Path(sys.executable).parent / "flask"
    return subprocess.Popen([str(flask), "--app", "wsgi", "worker"], env=proc_env,
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT)


def _stop(*procs: subprocess.Popen | None) -> None:
    running = [p for p in procs if p is not None and p.poll() is None]
    for proc in running:
        proc.terminate()
    for proc in running:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _document(url: str, document_id: int) -> Document:
    with Session(get_engine(url)) as s:
        return s.get(Document, document_id)


def _wait(check, timeout: float, what: str, logs: list[Path]):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.25)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists())
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{tails}")


def test_a_killed_workers_document_finishes_within_stuck_after(env, client, session, tmp_path, monkeypatch):
    monkeypatch.setenv("STUCK_AFTER_S", str(STUCK_AFTER_S))   # for the sweep run in this process
    login(client, gen_user(session).email)
    upload(client, CMRT_FILE)
    document_id = session.exec(select(Document.id)).one()
    url = env["DATABASE_URL"]
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]

    # worker A takes the job and is stuck in it (EXTRACT_DELAY_S: a slow file, without one)
    first = _worker(env, logs[0], EXTRACT_DELAY_S="600")
    second = None
    try:
        _wait(lambda: _document(url, document_id).status == "extracting", 60, "worker A to start", logs)
        # slow is not dead: past STUCK_AFTER_S, a job whose worker still beats is left alone
        time.sleep(STUCK_AFTER_S + 2)
        assert sweep()["requeued"] == 0
        assert (_document(url, document_id).status, _document(url, document_id).attempts) == ("extracting", 1)
        horses = _children(first.pid)
        for pid in [first.pid, *horses]:
            os.kill(pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
        assert _document(url, document_id).status == "extracting"

        second = _worker(env, logs[1])
        done = _wait(lambda: (d := _document(url, document_id)).status not in ("queued", "extracting") and d,
                     STUCK_AFTER_S + SWEEP_INTERVAL_S + STARTUP_ALLOWANCE_S, "the document to be re-run", logs)
        elapsed = time.monotonic() - killed_at
    finally:
        _stop(first, second)

    assert done.status == "extracted", (done.status, done.failure_reason)
    assert done.attempts == 2
    assert elapsed >= STUCK_AFTER_S - STUCK_AFTER_S // 4   # not before its heartbeats went stale
    with Session(get_engine(url)) as s:
        assert s.exec(select(func.count()).select_from(Document)).one() == 1
        extracted = s.exec(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "document.extracted", AuditEntry.entity_id == str(document_id))).one()
    assert extracted == 1   # exactly one result
    print(f"killed worker's document extracted {elapsed:.1f} s after the kill "
          f"(STUCK_AFTER_S={STUCK_AFTER_S}, SWEEP_INTERVAL_S={SWEEP_INTERVAL_S})")


def test_one_suppliers_files_run_one_at_a_time_and_others_pass_them(env, app, client, session, tmp_path):
    """Two real workers, three slow files of one supplier, then one of another supplier: the
    first supplier's files never run side by side (EXTRACT_PER_SUPPLIER=1), all of them finish
    through the hand-over, and the other supplier's file does not wait behind them."""
    from tests.portal.test_hardening_queue import cmrt_variant
    login(client, gen_user(session).email)
    for n in range(3):
        upload(client, CMRT_FILE, filename=f"slow-{n}.xlsx", content=cmrt_variant(n))
    other = app.test_client()
    login(other, gen_user(session, supplier="Other Metals GmbH").email)
    upload(other, CMRT_FILE, filename="other.xlsx", content=cmrt_variant(9))
    url = env["DATABASE_URL"]
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = [_worker(env, log, EXTRACT_DELAY_S="3") for log in logs]
    try:
        def all_done():  # noqa: ANN202
            with Session(get_engine(url)) as s:
                docs = s.exec(select(Document).order_by(Document.id)).all()
            return docs if all(d.status in ("extracted", "needs_review") for d in docs) else None
        docs = _wait(all_done, 90, "every document to be extracted", logs)
    finally:
        _stop(*workers)
    first, others = docs[:3], docs[3]
    spans = sorted((d.extraction_started_at, d.extracted_at) for d in first)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:])), spans
    assert others.extracted_at < spans[-1][1]        # passed the first supplier's queue
    assert [d.attempts for d in docs] == [1, 1, 1, 1]
