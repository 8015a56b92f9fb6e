"""The push job against a real HTTP server on loopback that answers as scripted."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rq.registry import ScheduledJobRegistry

from portal.requests.models import Declaration
from portal.passports.models import OutboxMessage
from portal.passports.outbox import push_outbox_message
from portal.queues import PUSH, queue
from portal.settings import load_settings
from tests.conftest import gen_user


class ScriptedStore:
    def __init__(self, answers: list[tuple[int, dict]]) -> None:
        self.answers, self.requests = answers, []
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                store.requests.append((dict(self.headers), json.loads(body)))
                status, headers = store.answers.pop(0)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                payload = json.dumps({"id": "p1", "current_revision": 1} if status < 300 else
                                     {"error": {"code": "VALIDATION", "message": "bad data"}}).encode()
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"


@pytest.fixture
def message(session, monkeypatch):  # noqa: ANN001, ANN201
    user = gen_user(session)
    decl = Declaration(supplier_id=user.supplier_id, document_type="cmrt", status="approved", created_by_id=user.id)
    session.add(decl)
    session.flush()
    msg = OutboxMessage(declaration_id=decl.id, payload={"source_system": "t", "data": {}})
    session.add(msg)
    session.commit()
    monkeypatch.setenv("PASSPORT_API_KEY", "sdp_test")
    return msg


def _use(monkeypatch, store: ScriptedStore) -> None:  # noqa: ANN001
    monkeypatch.setenv("PASSPORT_API_URL", store.url)


def test_retries_on_503_then_sends(session, message, monkeypatch):
    store = ScriptedStore([(503, {}), (201, {})])
    _use(monkeypatch, store)
    assert push_outbox_message(message.id) == "retrying"
    session.refresh(message)
    assert message.attempts == 1 and "503" in message.last_error and message.next_attempt_at
    assert len(ScheduledJobRegistry(queue=queue(load_settings(), PUSH))) == 1  # backoff scheduled in RQ
    assert push_outbox_message(message.id) == "sent"
    session.refresh(message)
    assert message.remote_declaration_id == "p1" and message.sent_at
    headers = [{k.lower(): v for k, v in h.items()} for h, _ in store.requests]
    assert {h["idempotency-key"] for h in headers} == {f"outbox-{message.id}"}
    assert headers[0]["x-api-key"] == "sdp_test"
    assert push_outbox_message(message.id) == "sent"  # idempotent: nothing sent again
    assert len(store.requests) == 2


def test_429_honours_retry_after(session, message, monkeypatch):
    _use(monkeypatch, ScriptedStore([(429, {"Retry-After": "120"})]))
    assert push_outbox_message(message.id) == "retrying"
    session.refresh(message)
    wait = (message.next_attempt_at - message.created_at).total_seconds()
    assert 110 < wait < 200


def test_connection_refused_is_retried(session, message, monkeypatch):
    monkeypatch.setenv("PASSPORT_API_URL", "http://127.0.0.1:9/api/v1")
    assert push_outbox_message(message.id) == "retrying"
    session.refresh(message)
    assert "Could not reach" in message.last_error


def test_a_400_is_final_and_says_why(session, message, monkeypatch):
    _use(monkeypatch, ScriptedStore([(400, {})]))
    assert push_outbox_message(message.id) == "failed"
    session.refresh(message)
    assert message.last_error == "HTTP 400: bad data"
