"""Users, API tokens and login sessions, stored with hashed secrets only.

Passwords are hashed with argon2id at OWASP's recommended cost (19 MiB, 2 passes, one
lane: about 0.2 s of one core on a small VM; argon2-cffi's default, 64 MiB with four
lanes, took a second of every core there).  A hash stores its own parameters, so older
hashes keep verifying, and a successful login rehashes them at the current cost.  At
most ``HASH_SLOTS`` hashes run at once in a process (never on every core) and a few more
may wait ``HASH_WAIT_SECONDS``; beyond that the caller gets ``HashingBusy`` at once
instead of a queue (32 parallel logins once took the server from 244 MB to 2 GB).
Tokens and session ids are 256-bit random values shown once; the database keeps their
SHA-256, which is enough for secrets that cannot be guessed.

Every change to an account and every login is written to the ``footfall.audit``
logger, naming who did it and to whom, never a secret.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from footfall.auth.access import ROLES, Actor, actor_for_token, actor_for_user
from footfall.errors import ConfigError, HashingBusy
from footfall.settings import check_site_name
from footfall.store import accounts as rows
from footfall.store.database import Database

TOKEN_PREFIX = "ff_"
SESSION_HOURS = 12
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # the login form's limit too: argon2 work grows with the input
DEFAULT_TOKEN_DAYS = 365  # a token's lifetime unless asked otherwise; 0: never expires
MAX_TOKEN_DAYS = 3650
HASH_SLOTS = max(1, min(2, (os.cpu_count() or 1) - 1))  # argon2 hashes running at once
HASH_QUEUE = 8  # hashes running or waiting; more are refused at once
HASH_WAIT_SECONDS = 1.0
TOUCH_SECONDS = 60  # a token's last_used_at is written at most this often

audit_log = logging.getLogger("footfall.audit")
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_slots = threading.BoundedSemaphore(HASH_SLOTS)
_queue = threading.BoundedSemaphore(HASH_QUEUE)
_touched: dict[str, float] = {}  # token id -> monotonic time of its last write
_touched_lock = threading.Lock()


def audit(event: str, actor: str, target: str, **details: object) -> None:
    """One line per account event; values are quoted so a name cannot forge a line."""
    extra = "".join(f" {key}={value!r}" for key, value in details.items())
    audit_log.info("%s actor=%r target=%r%s", event, actor, target, extra)


@contextlib.contextmanager
def _hashing() -> Iterator[None]:
    """A slot for one argon2 hash or verification, or ``HashingBusy`` within a second."""
    if not _queue.acquire(blocking=False):
        raise HashingBusy("too many password checks at once: try again in a moment", 1)
    try:
        if not _slots.acquire(timeout=HASH_WAIT_SECONDS):
            raise HashingBusy("too many password checks at once: try again in a moment", 1)
        try:
            yield
        finally:
            _slots.release()
    finally:
        _queue.release()


def _hash(password: str) -> str:
    with _hashing():
        return _hasher.hash(password)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


# -- users --------------------------------------------------------------------------


def check_user_name(name: str) -> None:
    if (
        not name
        or len(name) > 64
        or not name.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise ConfigError("user name: 1-64 letters, digits, '.', '-' or '_'")


def check_new_password(name: str, password: str) -> None:
    """The one password rule, for the CLI and the API alike."""
    if len(password) < MIN_PASSWORD or len(password) > MAX_PASSWORD:
        raise ConfigError(f"password: at least {MIN_PASSWORD} characters, at most {MAX_PASSWORD}")
    if not password.strip():
        raise ConfigError("password: not only spaces")
    if password.strip().casefold() == name.casefold():
        raise ConfigError("password: not the user name")


def has_users(db: Database) -> bool:
    return rows.count_users(db) > 0


def _require_user(db: Database, name: str) -> tuple[str, list[str] | None, bool]:
    found = rows.user_access(db, name)
    if found is None:
        raise ConfigError(f"unknown user {name!r}")
    return found


def add_user(db: Database, name: str, password: str, role: str, sites: list[str] | None,
             actor: str = "cli") -> None:  # fmt: skip
    if role not in ROLES:
        raise ConfigError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    check_user_name(name)
    check_new_password(name, password)
    for site in sites or []:
        check_site_name(site)
    if rows.user_access(db, name) is not None:
        raise ConfigError(f"user {name!r} exists already")
    rows.insert_user(db, name, _hash(password), role, sites, _now())
    audit("user.added", actor, name, role=role, sites=sites)


def list_users(db: Database) -> list[dict[str, Any]]:
    return [
        {"name": n, "role": r, "sites": s, "disabled": bool(d), "created": _iso(c),
         "password_changed": _iso(p)}
        for n, r, s, d, c, p in rows.user_rows(db)
    ]  # fmt: skip


def _guard_last_admin(db: Database, name: str, what: str) -> None:
    """Someone must still be able to manage accounts through the server."""
    role, sites, disabled = _require_user(db, name)
    if role != "admin" or sites is not None or disabled:
        return
    if not rows.count_other_admins(db, name):
        raise ConfigError(f"cannot {what} {name!r}: the last admin; add another admin first")


def delete_user(db: Database, name: str, actor: str = "cli") -> None:
    """The user, their tokens and their sessions go together."""
    _require_user(db, name)
    if rows.count_users(db) > 1:
        _guard_last_admin(db, name, "delete")
    with db.transaction():
        rows.delete_user_rows(db, name)
    audit("user.deleted", actor, name)


def set_disabled(db: Database, name: str, disabled: bool, actor: str = "cli") -> None:
    """A disabled user keeps their account and tokens but nothing authenticates as them."""
    if disabled:
        _guard_last_admin(db, name, "disable")
    else:
        _require_user(db, name)
    with db.transaction():
        rows.set_user_disabled(db, name, disabled)
        if disabled:
            rows.delete_sessions(db, name)
    audit("user.disabled" if disabled else "user.enabled", actor, name)


def set_password(db: Database, name: str, password: str, actor: str = "cli",
                 keep_session: str | None = None) -> None:  # fmt: skip
    """New password; every login session of the user ends but ``keep_session``."""
    _require_user(db, name)
    check_new_password(name, password)
    hashed = _hash(password)
    with db.transaction():
        rows.set_password_hash(db, name, hashed, changed_at=_now())
        rows.delete_sessions(db, name, _digest(keep_session) if keep_session else "")
    audit("user.password_changed", actor, name)


def check_password(db: Database, name: str, password: str) -> bool:
    """True only for an enabled user's right password; the same work either way."""
    row = rows.password_of(db, name)
    with _hashing():
        try:
            if row is None:
                _hasher.hash(password)
                return False
            _hasher.verify(row[0], password)
            if _hasher.check_needs_rehash(row[0]):
                rows.set_password_hash(db, name, _hasher.hash(password))
            return not row[1]
        except (VerificationError, InvalidHashError):
            return False


# -- API tokens -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: str  # public: lists and revokes it
    secret: str  # shown once
    expires_at: datetime | None


def issue_token(db: Database, user: str, name: str, sites: list[str] | None, writable: bool,
                expires_days: int = DEFAULT_TOKEN_DAYS, actor: str = "cli") -> IssuedToken:  # fmt: skip
    """Create a token; ``expires_days`` 0 makes one that never expires."""
    _require_user(db, user)
    if not 0 <= expires_days <= MAX_TOKEN_DAYS:
        raise ConfigError(f"expires_days: 0 (never) to {MAX_TOKEN_DAYS}")
    if not name or len(name) > 100:
        raise ConfigError("token name: 1-100 characters")
    for site in sites or []:
        check_site_name(site)
    token = IssuedToken(
        secrets.token_hex(5),
        TOKEN_PREFIX + secrets.token_urlsafe(32),
        _now() + timedelta(days=expires_days) if expires_days else None,
    )
    rows.insert_token(db, _digest(token.secret), token.id, name, user, sites, writable, _now(),
                      token.expires_at)  # fmt: skip
    audit("token.created", actor, user, token=token.id, name=name, writable=writable)
    return token


def add_token(db: Database, user: str, name: str, sites: list[str] | None, writable: bool) -> str:
    """Create a token (default lifetime) and return it: the only time it is ever shown."""
    return issue_token(db, user, name, sites, writable).secret


def list_tokens(db: Database, user: str | None = None) -> list[dict[str, Any]]:
    """Every token's public facts; never the secret or its hash."""
    now = _now()
    return [
        {"id": i, "name": n, "user": u, "sites": s, "writable": bool(w), "created": _iso(c),
         "expires": _iso(e), "last_used": _iso(lu),
         "status": "revoked" if r else "expired" if e is not None and e <= now else "active"}
        for i, n, u, s, w, c, e, lu, r in rows.token_rows(db, user)
    ]  # fmt: skip


def token_owner(db: Database, token_id: str) -> str:
    owner = rows.token_user(db, token_id)
    if owner is None:
        raise ConfigError(f"no token {token_id!r}")
    return owner


def revoke_token(db: Database, token_id: str, actor: str = "cli") -> None:
    owner = token_owner(db, token_id)
    rows.revoke_token_row(db, token_id)
    audit("token.revoked", actor, owner, token=token_id)


def actor_from_token(db: Database, token: str) -> Actor | None:
    now = _now()
    row = rows.live_token(db, _digest(token), now)
    if row is None:
        return None
    _touch(db, row[0], now)
    return actor_for_token(*row[1:])


def _touch(db: Database, token_id: str, now: datetime) -> None:
    """Write last_used_at at most once a minute per token (not once per request)."""
    clock = time.monotonic()
    with _touched_lock:
        if clock - _touched.get(token_id, -TOUCH_SECONDS) < TOUCH_SECONDS:
            return
        if len(_touched) > 10_000:
            _touched.clear()
        _touched[token_id] = clock
    rows.touch_token(db, token_id, now)


# -- login sessions -------------------------------------------------------------------


def start_session(db: Database, user: str) -> tuple[str, str]:
    """A new login session: (cookie value, CSRF token)."""
    session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    rows.insert_session(db, _digest(session), user, csrf, now,
                        now + timedelta(hours=SESSION_HOURS))  # fmt: skip
    return session, csrf


def actor_from_session(db: Database, session: str) -> Actor | None:
    row = rows.live_session(db, _digest(session), _now())
    return None if row is None else actor_for_user(*row)


def end_session(db: Database, session: str) -> None:
    rows.delete_session(db, _digest(session))
