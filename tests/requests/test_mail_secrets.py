"""Issue 9, finding 1: no staff user can read an invitation's set-password link. The token is
in no page any staff role can open and in no column of any table; only the recipient gets it
(by SMTP, or in the server log when there is no SMTP_HOST)."""

from __future__ import annotations

import dataclasses
import re
import socketserver
import threading
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import inspect, text
from sqlmodel import select

from portal.db import get_engine
from portal.mail.models import OutgoingEmail
from portal.mail.send import deliver_pending
from portal.suppliers.models import Supplier
from tests.conftest import csrf_token, gen_user, login


def _invite(app, session, email: str):  # noqa: ANN001, ANN202
    buyer = app.test_client()
    login(buyer, gen_user(session, "procurement").email)
    supplier = session.exec(select(Supplier).where(Supplier.name == "Nordic Foils AB")).first()
    if supplier is None:
        buyer.post("/suppliers/new", data={"csrf_token": csrf_token(buyer, "/suppliers/new"),
                                           "name": "Nordic Foils AB", "country": "SE"})
        supplier = session.exec(select(Supplier).where(Supplier.name == "Nordic Foils AB")).one()
    page = buyer.post(f"/suppliers/{supplier.id}/contacts", follow_redirects=True,
                      data={"csrf_token": csrf_token(buyer, f"/suppliers/{supplier.id}"), "email": email})
    assert f"Invitation sent to {email}" in page.get_data(as_text=True)


def _token_from_log(app, caplog) -> str:  # noqa: ANN001
    caplog.clear()
    with caplog.at_level("WARNING", logger="portal.mail.send"):
        assert deliver_pending(app.config["SETTINGS"]) >= 1
    return re.search(r"/invite/([A-Za-z0-9_\-]+)", caplog.text).group(1)


def _crawl(client, start: str, limit: int = 80) -> dict[str, str]:  # noqa: ANN001
    """Every same-site page reachable by GET from `start` (links and GET forms' targets)."""
    seen: dict[str, str] = {}
    todo = [start]
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        body = response.data.decode("utf-8", "replace") if response.status_code != 302 else response.headers["Location"]
        seen[url] = body
        for href in re.findall(r'href="([^"#]+)"', body):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc in ("", "localhost") and parts.path.startswith("/") and not parts.path.startswith("/static"):
                todo.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def _every_stored_value(database_url: str) -> Iterator[tuple[str, str, str]]:
    engine = get_engine(database_url)
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')).mappings():
                for column, value in row.items():
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("latin-1")
                    yield table, column, str(value)


def test_invitation_token_is_on_no_page_and_in_no_table(app, session, caplog):
    _invite(app, session, "lena@nordic.test")
    token = _token_from_log(app, caplog)
    assert len(token) >= 40
    assert app.test_client().get(f"/invite/{token}").status_code == 200  # the logged link is the real one

    for role in ("procurement", "quality", "admin"):
        client = app.test_client()
        assert login(client, gen_user(session, role).email).status_code == 302
        pages = _crawl(client, "/mail/")
        assert len(pages) > 3, pages.keys()
        mail_page = pages["/mail/"]
        assert "lena@nordic.test" in mail_page and "[link sent to the recipient]" in mail_page
        leaks = [url for url, body in pages.items() if token in body]
        assert leaks == [], f"{role} can read the invitation token on {leaks}"

    stored = [(table, column) for table, column, value in _every_stored_value(app.config["SETTINGS"].database_url)
              if token in value]
    assert stored == [], f"the invitation token is stored in {stored}"


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib.send_message; what it receives goes to `messages`."""
    messages: list[str] = []

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        while line := self.rfile.readline():
            verb = line.decode().strip().upper()
            if verb.startswith("DATA"):
                self.wfile.write(b"354 go on\r\n")
                data = []
                while (part := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(part.decode())
                type(self).messages.append("".join(data))
                self.wfile.write(b"250 queued\r\n")
            elif verb.startswith("QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_sink() -> Iterator[tuple[int, list[str]]]:
    _SmtpSink.messages = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], _SmtpSink.messages
    server.shutdown()
    server.server_close()


def test_the_recipient_gets_a_working_link_by_smtp(app, session, smtp_sink, caplog):
    port, messages = smtp_sink
    _invite(app, session, "old@nordic.test")
    _invite(app, session, "lena@nordic.test")
    _invite(app, session, "lena@nordic.test")  # re-invited before delivery: only the newest is sent
    settings = dataclasses.replace(app.config["SETTINGS"], smtp_host="127.0.0.1", smtp_port=port)
    with caplog.at_level("WARNING", logger="portal.mail.send"):
        assert deliver_pending(settings) == 2
    assert "/invite/" not in caplog.text  # with SMTP, the link goes to the recipient only
    to_lena = [m for m in messages if "To: lena@nordic.test" in m]
    assert len(messages) == 2 and len(to_lena) == 1
    link = re.search(r"http://127\.0\.0\.1:9(/invite/[A-Za-z0-9_\-]+)", to_lena[0]).group(1)
    assert app.test_client().get(link).status_code == 200
    statuses = [(e.to, e.status, e.error) for e in session.exec(select(OutgoingEmail).order_by(OutgoingEmail.id))]
    assert [s[:2] for s in statuses] == [("old@nordic.test", "sent"), ("lena@nordic.test", "failed"),
                                         ("lena@nordic.test", "sent")]
    assert "replaced by a newer one" in statuses[1][2]
    assert deliver_pending(settings) == 0 and len(messages) == 2  # each e-mail is sent once


def test_links_stored_before_the_fix_are_not_shown(app, session):
    session.add(OutgoingEmail(to="x@example.test", kind="invitation", subject="You are invited", status="logged",
                              body="Set your password here:\nhttp://127.0.0.1:9/invite/Secret-Token_123abc\n"))
    session.commit()
    client = app.test_client()
    login(client, gen_user(session, "quality").email)
    page = client.get("/mail/").get_data(as_text=True)
    assert "Secret-Token_123abc" not in page and "[link sent to the recipient]" in page
