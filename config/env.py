"""The only module that reads the process environment (ARCHITECTURE.md).

Every setting that differs between machines comes from here, with a default that
makes a fresh checkout run: SQLite under ``var/`` and DEBUG on for local use.
"""
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
