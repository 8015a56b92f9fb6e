"""The state rules agree in Python (daily job, pages) and SQL (counts, filters), at every
boundary, with a scheme's own window; the job is one of the worker's periodic jobs; demo data."""

from datetime import date, timedelta

from sqlmodel import select

from portal.certificates.models import Certificate
from portal.certificates.queries import counts_by_state
from portal.certificates.states import State, reminder_key, state_condition, state_of
from portal.settings import load_settings
from tests.certificates.helpers import gen_certificate
from tests.conftest import gen_user

TODAY = date(2030, 3, 15)


def test_python_and_sql_states_agree_at_the_boundaries(app, session, monkeypatch):
    monkeypatch.setenv("CERT_EXPIRING_WINDOWS", "gots=30")
    settings = load_settings()
    supplier_id = gen_user(session).supplier_id
    for scheme, window in (("iso_9001", 90), ("gots", 30)):
        for days in (-1, 0, 1, window - 1, window, window + 1, 400):
            gen_certificate(session, supplier_id, TODAY + timedelta(days=days), scheme=scheme)
    certs = session.exec(select(Certificate)).all()
    expected = {c.id: state_of(c, TODAY, settings) for c in certs}
    for state in State:
        ids = set(session.exec(select(Certificate.id).where(state_condition(state, TODAY, settings))).all())
        assert ids == {i for i, s in expected.items() if s is state}, state
    counts = counts_by_state(session, TODAY, settings)
    assert counts == {s.value: sum(v is s for v in expected.values()) for s in State}
    by_days = {(c.scheme, (c.expiry_date - TODAY).days): expected[c.id] for c in certs}
    assert by_days[("iso_9001", -1)] is State.expired and by_days[("iso_9001", 0)] is State.expiring
    assert by_days[("iso_9001", 90)] is State.expiring and by_days[("iso_9001", 91)] is State.valid
    assert by_days[("gots", 30)] is State.expiring and by_days[("gots", 31)] is State.valid


def test_reminder_keys():
    settings = load_settings()
    expiry = TODAY
    keys = {days: reminder_key(expiry, expiry - timedelta(days=days), settings) for days in
            (120, 91, 90, 61, 60, 15, 14, 2, 1, 0, -1, -29, -30, -59, -60, -365, -366)}
    assert keys == {120: None, 91: None, 90: "before-90", 61: "before-90", 60: "before-60", 15: "before-30",
                    14: "before-14", 2: "before-14", 1: "before-1", 0: "before-1", -1: "expired", -29: "expired",
                    -30: "after-1", -59: "after-1", -60: "after-2", -365: "after-12", -366: None}


def test_the_daily_job_runs_in_every_worker():
    from portal.certificates.daily import run_daily
    from portal.worker import periodic_jobs
    jobs = {name: (func, interval) for name, func, interval in periodic_jobs(load_settings())}
    assert jobs["certificate-register"] == (run_daily, 3600)


def test_demo_certificates(app, session):
    from portal.certificates.demo import DEMO
    for name in sorted({row[0] for row in DEMO}):
        gen_user(session, supplier=name)
    runner = app.test_cli_runner()
    assert "6 demo certificates added." in runner.invoke(args=["certificates", "demo"]).output
    assert "0 demo certificates added." in runner.invoke(args=["certificates", "demo"]).output
    counts = counts_by_state(session, date.today(), load_settings())
    assert counts == {"valid": 2, "expiring": 2, "expired": 1, "superseded": 1, "revoked": 0}


def test_the_job_runs_in_a_bare_process(app, session, env):
    """Importing the job alone is enough (no app, no all_models): its models know their tables."""
    import subprocess
    import sys
    gen_certificate(session, gen_user(session).supplier_id, date.today() + timedelta(days=10))
    done = subprocess.run([sys.executable, "-c", "from portal.certificates.daily import run_daily; print(run_daily())"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "'renewal_requests': 1" in done.stdout
