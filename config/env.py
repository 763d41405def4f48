"""The only module that reads the process environment (ARCHITECTURE.md).

Every setting that differs between machines comes from here, with a default that
makes a fresh checkout run: SQLite under ``var/`` and DEBUG on for local use.
"""
import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("MAMORI_DEBUG", default=True)
SECRET_KEY = env.str("MAMORI_SECRET_KEY", default="insecure-local-development-key-change-me")
ALLOWED_HOSTS = env.list("MAMORI_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
DATABASE = env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mamori.sqlite3'}")
EMAIL = env.email_url("MAMORI_EMAIL_URL", default="consolemail://")
DEFAULT_FROM_EMAIL = env.str("MAMORI_FROM_EMAIL", default="mamori@localhost")
LOG_LEVEL = env.str("MAMORI_LOG_LEVEL", default="INFO")
CSRF_TRUSTED_ORIGINS = env.list("MAMORI_CSRF_TRUSTED_ORIGINS", default=[])
MEDIA_ROOT = Path(env.str("MAMORI_MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Logins: hours a session lasts (it also ends when the browser closes).
SESSION_HOURS = env.float("MAMORI_SESSION_HOURS", default=8)

# Sign-in (docs/security.md §7.1). Passwords: at least this many characters (OWASP ASVS V2.1.1: 12).
PASSWORD_MIN_LENGTH = env.int("MAMORI_PASSWORD_MIN_LENGTH", default=12)
# Failed logins: after this many in a row (per account and per address) the login stops for the cool-off minutes.
LOGIN_FAILURE_LIMIT = env.int("MAMORI_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_COOLOFF_MINUTES = env.int("MAMORI_LOGIN_COOLOFF_MINUTES", default=30)
# Roles that must sign in with a second factor (TOTP): in production the office and the system administrator.
OTP_REQUIRED_ROLES = env.list("MAMORI_OTP_REQUIRED_ROLES", default=[] if DEBUG else ["privacy_office", "sysadmin"])
# The issuer name an authenticator app shows next to the code.
OTP_ISSUER = env.str("MAMORI_OTP_ISSUER", default="まもり")

# HTTPS behind the reverse proxy (deploy/nginx-mamori.conf); all on by default in production.
SSL_REDIRECT = env.bool("MAMORI_SSL_REDIRECT", default=not DEBUG)
HSTS_SECONDS = env.int("MAMORI_HSTS_SECONDS", default=0 if DEBUG else 31536000)

# The busiest read-only pages kept per person until the next write (core.pagecache).
PAGE_CACHE = env.bool("MAMORI_PAGE_CACHE", default=True)

# 委託先の監督: how many days before a Pマーク・ISMS certification expires the office is told (home page, 委託事業者).
# A city's practice (some ask for renewal papers three months ahead): 60 days by default.
CERTIFICATION_NOTICE_DAYS = env.int("MAMORI_CERTIFICATION_NOTICE_DAYS", default=60)

# Largest files read by `mamori import` (each JSON file), `mamori incident assess`, and `mamori restore`
# (the backup ZIP; any one member unpacked; the members together unpacked; a member's unpacked/packed ratio).
INPUT_LIMITS = {
    "json_bytes": env.int("MAMORI_IMPORT_MAX_BYTES", default=256 * 2**20),
    "backup_bytes": env.int("MAMORI_RESTORE_MAX_BYTES", default=16 * 2**30),
    "member_bytes": env.int("MAMORI_RESTORE_MAX_MEMBER_BYTES", default=8 * 2**30),
    "unpacked_bytes": env.int("MAMORI_RESTORE_MAX_UNPACKED_BYTES", default=64 * 2**30),
    "ratio": env.int("MAMORI_RESTORE_MAX_RATIO", default=200),
    # A file attached to a request's document (PDF, DOCX, XLSX, image); its review PDF's pages: pdf_pages below.
    "document_bytes": env.int("MAMORI_DOCUMENT_MAX_BYTES", default=100 * 2**20),
    # `mamori redact` and the request documents (core.redaction): a PDF's size and pages, boxes per file.
    "pdf_bytes": env.int("MAMORI_PDF_MAX_BYTES", default=200 * 2**20),
    "pdf_pages": env.int("MAMORI_PDF_MAX_PAGES", default=2000),
    "redaction_boxes": env.int("MAMORI_REDACTION_MAX_BOXES", default=20000),
}
# Seconds LibreOffice may take to convert one attached DOCX/XLSX to PDF (mamori.disclosure.conversion).
CONVERT_TIMEOUT = env.int("MAMORI_CONVERT_TIMEOUT", default=180)

# `mamori serve` (gunicorn): address, processes and threads, request timeout in seconds.
SERVER = {
    "bind": env.str("MAMORI_BIND", default="127.0.0.1:8001"),
    "workers": env.int("MAMORI_WORKERS", default=min(2 * (os.cpu_count() or 1) + 1, 9)),
    "threads": env.int("MAMORI_THREADS", default=4),
    "timeout": env.int("MAMORI_TIMEOUT", default=120),
    "forwarded_allow_ips": env.str("MAMORI_FORWARDED_ALLOW_IPS", default="127.0.0.1,::1"),
}
