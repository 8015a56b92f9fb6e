"""All settings, read from environment variables. Nothing else in the code reads os.environ."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True)
class Settings:
    secret_key: str
    database_url: str
    redis_url: str
    passport_api_url: str
    passport_api_key: str
    max_upload_mb: int
    queue_prefix: str
    job_timeout_s: int
    sweep_interval_s: int
    stuck_after_s: int
    public_url: str
    session_cookie_secure: bool
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "portal@localhost"
    smtp_starttls: bool = False
    invite_ttl_hours: int = 72
    access_grant_days: int = 30                       # how long an approved access request's key works, by default
    reminder_offsets: tuple[int, ...] = (7, 1, -1, -7, -14)
    api_rate_limit_per_minute: int = 600              # default per API key; a key may set its own
    verify_rate_limit_per_minute: int = 60            # public /verify answers per client address
    passport_api_flavour: str = "portal"              # portal | dppespr: the push target's contract
    webhook_allowed_hosts: tuple[str, ...] = ()       # exempt from the private-address refusal
    # certificate register: the "expiring" window (days before expiry), per scheme where set
    cert_expiring_days: int = 90
    cert_expiring_windows: tuple[tuple[str, int], ...] = ()
    cert_reminder_offsets: tuple[int, ...] = (90, 60, 30, 14, 1)
    cert_reminder_repeat_days: int = 30
    cert_reminder_stop_days: int = 365
    extract_per_supplier: int = 1             # documents of one supplier extracted at once
    uploads_per_hour: int = 100               # new files one supplier may upload in an hour
    extract_delay_s: float = 0.0              # fault drills and tests only: a slow extraction
    # a worker's long-lived work horse is replaced after this many jobs or past this resident size
    horse_max_jobs: int = 500
    horse_max_rss_mb: int = 1024
    horse_kill_grace_s: int = 60              # a job past its timeout by this much: its horse is killed
    # sign-in: failures allowed per account / per client address before a lock-out of N minutes
    login_max_failures: int = 10
    login_max_failures_per_address: int = 50
    login_lockout_minutes: int = 15
    require_admin_totp: bool = True                  # admins must set up two-factor sign-in

    @property
    def https(self) -> bool:
        return self.public_url.lower().startswith("https://")

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


def _default_secret_key() -> str:
    """A random key kept under instance/ so sessions survive restarts of `make run`."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_settings() -> Settings:
    public_url = _env("PUBLIC_URL", "http://127.0.0.1:5000")
    return Settings(
        secret_key=_env("SECRET_KEY", "") or _default_secret_key(),
        database_url=_env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.db'}"),
        redis_url=_env("REDIS_URL", "redis://127.0.0.1:6379/0"),
        passport_api_url=_env("PASSPORT_API_URL", public_url.rstrip("/") + "/api/v1"),
        passport_api_key=_env("PASSPORT_API_KEY", ""),
        max_upload_mb=int(_env("MAX_UPLOAD_MB", "25")),
        queue_prefix=_env("QUEUE_PREFIX", "portal"),
        job_timeout_s=int(_env("JOB_TIMEOUT_S", "120")),
        sweep_interval_s=int(_env("SWEEP_INTERVAL_S", "60")),
        stuck_after_s=int(_env("STUCK_AFTER_S", "300")),
        public_url=public_url,
        # behind HTTPS (PUBLIC_URL https://…) cookies are Secure whatever SESSION_COOKIE_SECURE says
        session_cookie_secure=_env("SESSION_COOKIE_SECURE", "0") == "1" or public_url.lower().startswith("https://"),
        smtp_host=_env("SMTP_HOST", ""),
        smtp_port=int(_env("SMTP_PORT", "25")),
        smtp_user=_env("SMTP_USER", ""),
        smtp_password=_env("SMTP_PASSWORD", ""),
        smtp_from=_env("SMTP_FROM", "portal@localhost"),
        smtp_starttls=_env("SMTP_STARTTLS", "0") == "1",
        invite_ttl_hours=int(_env("INVITE_TTL_HOURS", "72")),
        access_grant_days=int(_env("ACCESS_GRANT_DAYS", "30")),
        # days before the due date (positive) and after it (negative) when a reminder goes out
        reminder_offsets=tuple(int(v) for v in _env("REMINDER_OFFSETS", "7,1,-1,-7,-14").split(",") if v.strip()),
        api_rate_limit_per_minute=int(_env("API_RATE_LIMIT_PER_MINUTE", "600")),
        verify_rate_limit_per_minute=int(_env("VERIFY_RATE_LIMIT_PER_MINUTE", "60")),
        passport_api_flavour=_env("PASSPORT_API_FLAVOUR", "portal").lower(),
        webhook_allowed_hosts=tuple(h.strip().lower() for h in _env("WEBHOOK_ALLOWED_HOSTS", "").split(",") if h.strip()),
        cert_expiring_days=int(_env("CERT_EXPIRING_DAYS", "90")),
        # "gots=60,oeko_tex_100=45": a scheme's own window instead of CERT_EXPIRING_DAYS
        cert_expiring_windows=tuple((k.strip(), int(v)) for k, _, v in
                                    (pair.partition("=") for pair in _env("CERT_EXPIRING_WINDOWS", "").split(","))
                                    if k.strip() and v.strip()),
        # days before expiry when the supplier is reminded; the first one also opens a renewal request
        cert_reminder_offsets=tuple(sorted({int(v) for v in _env("CERT_REMINDER_OFFSETS", "90,60,30,14,1").split(",")
                                            if v.strip() and int(v) >= 0}, reverse=True)),
        cert_reminder_repeat_days=max(1, int(_env("CERT_REMINDER_REPEAT_DAYS", "30"))),
        cert_reminder_stop_days=int(_env("CERT_REMINDER_STOP_DAYS", "365")),
        extract_per_supplier=max(1, int(_env("EXTRACT_PER_SUPPLIER", "1"))),
        uploads_per_hour=int(_env("UPLOADS_PER_HOUR", "100")),
        extract_delay_s=float(_env("EXTRACT_DELAY_S", "0")),
        horse_max_jobs=max(1, int(_env("HORSE_MAX_JOBS", "500"))),
        horse_max_rss_mb=max(1, int(_env("HORSE_MAX_RSS_MB", "1024"))),
        horse_kill_grace_s=max(0, int(_env("HORSE_KILL_GRACE_S", "60"))),
        login_max_failures=max(1, int(_env("LOGIN_MAX_FAILURES", "10"))),
        login_max_failures_per_address=max(1, int(_env("LOGIN_MAX_FAILURES_PER_ADDRESS", "50"))),
        login_lockout_minutes=max(1, int(_env("LOGIN_LOCKOUT_MINUTES", "15"))),
        require_admin_totp=_env("REQUIRE_ADMIN_TOTP", "1") == "1",
    )
