"""Users, API tokens and login sessions, stored with hashed secrets only.

Passwords are hashed with argon2id (argon2-cffi's defaults).  Tokens and
session ids are 256-bit random values shown once; the database keeps their
SHA-256, which is enough for secrets that cannot be guessed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from footfall.auth.access import ROLES, Actor, actor_for_token, actor_for_user
from footfall.errors import ConfigError
from footfall.store.database import Database
from footfall.store.sites import check_site_name

TOKEN_PREFIX = "ff_"
SESSION_HOURS = 12
MIN_PASSWORD = 12
_hasher = PasswordHasher()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def has_users(db: Database) -> bool:
    row = db.fetchone("SELECT count(*) FROM users")
    return bool(row and row[0])


def add_user(db: Database, name: str, password: str, role: str, sites: list[str] | None) -> None:
    if role not in ROLES:
        raise ConfigError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if (
        not name
        or len(name) > 64
        or not name.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise ConfigError("user name: 1-64 letters, digits, '.', '-' or '_'")
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"password: at least {MIN_PASSWORD} characters")
    for site in sites or []:
        check_site_name(site)
    if db.fetchone("SELECT 1 FROM users WHERE name = ?", [name]):
        raise ConfigError(f"user {name!r} exists already")
    db.execute(
        "INSERT INTO users (name, password_hash, role, sites) VALUES (?, ?, ?, ?)",
        [name, _hasher.hash(password), role, sites],
    )


def check_password(db: Database, name: str, password: str) -> bool:
    row = db.fetchone("SELECT password_hash FROM users WHERE name = ?", [name])
    try:
        if row is None:
            _hasher.hash(password)  # same work whether or not the user exists
            return False
        return _hasher.verify(row[0], password)
    except (VerificationError, InvalidHashError):
        return False


def add_token(db: Database, user: str, name: str, sites: list[str] | None, writable: bool) -> str:
    """Create a token and return it: the only time it is ever shown."""
    if db.fetchone("SELECT 1 FROM users WHERE name = ?", [user]) is None:
        raise ConfigError(f"unknown user {user!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.execute(
        "INSERT INTO api_tokens (token_hash, name, user_name, sites, writable) VALUES (?, ?, ?, ?, ?)",
        [_digest(token), name, user, sites, writable],
    )
    return token


def actor_from_token(db: Database, token: str) -> Actor | None:
    row = db.fetchone(
        "SELECT u.name, u.role, u.sites, t.sites, t.writable FROM api_tokens t "
        "JOIN users u ON u.name = t.user_name WHERE t.token_hash = ?",
        [_digest(token)],
    )
    if row is None:
        return None
    return actor_for_token(*row)


def start_session(db: Database, user: str) -> tuple[str, str]:
    """A new login session: (cookie value, CSRF token)."""
    session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    db.execute("DELETE FROM login_sessions WHERE expires_at < ?", [_now()])
    db.execute(
        "INSERT INTO login_sessions (session_hash, user_name, csrf_token, expires_at) "
        "VALUES (?, ?, ?, ?)",
        [_digest(session), user, csrf, _now() + timedelta(hours=SESSION_HOURS)],
    )
    return session, csrf


def actor_from_session(db: Database, session: str) -> Actor | None:
    row = db.fetchone(
        "SELECT u.name, u.role, u.sites, s.csrf_token FROM login_sessions s "
        "JOIN users u ON u.name = s.user_name WHERE s.session_hash = ? AND s.expires_at > ?",
        [_digest(session), _now()],
    )
    return None if row is None else actor_for_user(*row)


def end_session(db: Database, session: str) -> None:
    db.execute("DELETE FROM login_sessions WHERE session_hash = ?", [_digest(session)])
