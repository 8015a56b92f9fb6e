"""Upload N CMRT files through the real stack and measure upload→extracted latency.

Starts its own stack (gunicorn + one `flask --app wsgi worker`, a scratch SQLite database, the
Redis at REDIS_URL with a private queue prefix), uploads N distinct variants of a CMRT file
(same content, different file metadata so sha256 differs) and reads the timestamps from the
database rows. Prints p50/p95 latency and documents per minute per worker.

    .venv/bin/python bench/upload.py --files 20 [--workers 1] [--file tests/fixtures/xlsx/cmrt-6.5-101.xlsx]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _stack import csrf_token, login, wait_until_up  # bench/ is on sys.path when a bench runs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PASSWORD = "bench-password-1"


def variant(data: bytes, n: int) -> bytes:
    """Same workbook, different bytes: rewrite docProps/core.xml with a unique title."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "docProps/core.xml":
                content = content.replace(b"</cp:coreProperties>",
                                          f"<dc:title>bench {n} {time.time()}</dc:title></cp:coreProperties>".encode())
            dst.writestr(item, content)
    return out.getvalue()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--file", type=Path, default=ROOT / "tests/fixtures/xlsx/cmrt-6.5-101.xlsx")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    port = 5600 + os.getpid() % 300
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}", "QUEUE_PREFIX": f"bench{os.getpid()}",
           "SECRET_KEY": "bench", "PUBLIC_URL": base, "PASSPORT_API_URL": base + "/api/v1"}
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(flask + ["users", "create", "--email", "bench@supplier.test", "--password", PASSWORD,
                            "--role", "supplier", "--supplier", "Bench Supplier"], env=env, check=True, cwd=ROOT,
                   capture_output=True)
    logs = open(scratch / "stack.log", "wb")
    procs = [subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
                              env=env, cwd=ROOT, stdout=logs, stderr=subprocess.STDOUT)]
    procs += [subprocess.Popen(flask + ["worker"], env=env, cwd=ROOT, stdout=logs, stderr=subprocess.STDOUT)
              for _ in range(args.workers)]
    try:
        wait_until_up(base)
        http = login(base, "bench@supplier.test", PASSWORD)
        data = args.file.read_bytes()
        ids, upload_ms = [], []
        for n in range(args.files):
            token = csrf_token(http, base + "/documents/")
            started = time.perf_counter()
            response = http.post(base + "/documents/", data={"csrf_token": token},
                                 files={"file": (f"cmrt-{n}.xlsx", variant(data, n))})
            upload_ms.append((time.perf_counter() - started) * 1000)
            ids.append(int(re.search(r"/documents/(\d+)$", response.url).group(1)))
        deadline = time.monotonic() + 60 + 10 * args.files
        while time.monotonic() < deadline:
            states = [http.get(f"{base}/documents/{i}/status").json() for i in ids]
            if all(s["final"] for s in states):
                break
            time.sleep(0.5)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)

    os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL",)})
    from sqlmodel import select

    from portal.db import session_scope
    from portal.documents.models import Document
    with session_scope(env["DATABASE_URL"]) as session:
        docs = session.exec(select(Document).where(Document.id.in_(ids))).all()
        done = [d for d in docs if d.extracted_at]
        latencies = [(d.extracted_at - d.created_at).total_seconds() * 1000 for d in done]
        job_ms = [(d.extracted_at - d.extraction_started_at).total_seconds() * 1000 for d in done]
        failed = [d for d in docs if d.status == "failed"]
        span = (max(d.extracted_at for d in done) - min(d.created_at for d in docs)).total_seconds() if done else 0
    print(f"files: {args.files}  extracted: {len(done)}  failed: {len(failed)}  workers: {args.workers}")
    print(f"upload request: p50 {percentile(upload_ms, 50):.0f} ms  p95 {percentile(upload_ms, 95):.0f} ms")
    if latencies:
        print(f"upload→extracted: p50 {percentile(latencies, 50):.0f} ms  p95 {percentile(latencies, 95):.0f} ms")
        print(f"in the job (extracting→extracted): p50 {percentile(job_ms, 50):.0f} ms  "
              f"p95 {percentile(job_ms, 95):.0f} ms")
        print(f"throughput: {len(done) / span * 60 / args.workers:.0f} documents per minute per worker "
              f"({span:.1f} s for {len(done)})")
    print(f"(stack log: {scratch / 'stack.log'})")


if __name__ == "__main__":
    main()
