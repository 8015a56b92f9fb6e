"""Fault test: Redis goes away under a running worker (a network cut, a Redis restart). RQ's own
loop quits then; the portal's worker waits for Redis and works again when it is back, so a worker
host that lost its network is not idle for good once the network returns (bench/hosts.py showed it)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from redis import Redis
from sqlmodel import Session, select

from portal.db import get_engine
from portal.documents.models import Document
from tests.conftest import CMRT_FILE, gen_user, login, upload
from tests.portal.test_hardening_queue import cmrt_variant
from tests.stack.test_worker_fault import _stop, _wait, _worker

PORT = 5183     # this branch's own port range; a throw-away Redis the test may kill


class ThrowawayRedis:
    def __init__(self, tmp_path: Path) -> None:
        self.log = tmp_path / "redis.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        conn = Redis(port=PORT, socket_connect_timeout=1)
        _wait(lambda: _answers(conn), 20, "the throw-away Redis to start", [self.log])

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


def _answers(conn: Redis) -> bool:
    try:
        return bool(conn.ping())
    except Exception:  # noqa: BLE001 - still starting
        return False


@pytest.fixture
def redis_server(tmp_path: Path):  # noqa: ANN201
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    if server.proc is not None and server.proc.poll() is None:
        server.kill()


def _status(url: str, document_id: int) -> str:
    with Session(get_engine(url)) as s:
        return s.get(Document, document_id).status


def _log_says(log: Path, text: str) -> bool:
    return log.exists() and text in log.read_text(errors="replace")


def test_a_worker_works_again_once_redis_is_back(env, redis_server, monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{PORT}/0")
    worker_env = {**env, "REDIS_URL": f"redis://127.0.0.1:{PORT}/0"}
    from portal import create_app
    app = create_app({"TESTING": True})
    client = app.test_client()
    url = env["DATABASE_URL"]
    with Session(get_engine(url), expire_on_commit=False) as session:
        login(client, gen_user(session).email)
    log = tmp_path / "worker.log"
    worker = _worker(worker_env, log)
    try:
        upload(client, CMRT_FILE, filename="before.xlsx", content=cmrt_variant(1))
        with Session(get_engine(url)) as s:
            first = s.exec(select(Document.id)).one()
        _wait(lambda: _status(url, first) == "extracted", 90, "the first document", [log])

        redis_server.kill()
        _wait(lambda: _log_says(log, "lost Redis"), 60, "the worker to notice", [log, redis_server.log])
        assert worker.poll() is None, "the worker exited when Redis went away"

        redis_server.start()            # empty: Redis keeps nothing on disk
        upload(client, CMRT_FILE, filename="after.xlsx", content=cmrt_variant(2))
        with Session(get_engine(url)) as s:
            second = s.exec(select(Document.id).where(Document.id != first)).one()
        _wait(lambda: _status(url, second) == "extracted", 90, "the document uploaded after Redis came back",
              [log])

        # stopping still works while it waits for Redis
        redis_server.kill()
        _wait(lambda: _log_says(log, "lost Redis") and log.read_text().count("lost Redis") == 2, 60,
              "the worker to notice again", [log])
        worker.terminate()
        assert worker.wait(timeout=15) == 0
    finally:
        _stop(worker)
