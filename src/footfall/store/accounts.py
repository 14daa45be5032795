"""The rows behind accounts: users, API tokens and login sessions (``auth/accounts.py`` holds
the rules, the hashing and the audit log; only hashes of secrets ever reach these tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from footfall.store.database import Database

# -- users ------------------------------------------------------------------------------


def count_users(db: Database) -> int:
    row = db.fetchone("SELECT count(*) FROM users")
    return int(row[0]) if row else 0


def user_access(db: Database, name: str) -> tuple[str, list[str] | None, bool] | None:
    """(role, sites, disabled) of a user, or None when there is no such user."""
    row = db.fetchone("SELECT role, sites, disabled FROM users WHERE name = ?", [name])
    return None if row is None else (row[0], row[1], bool(row[2]))


def insert_user(db: Database, name: str, password_hash: str, role: str,
                sites: list[str] | None, now: datetime) -> None:  # fmt: skip
    db.execute(
        "INSERT INTO users (name, password_hash, role, sites, password_changed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [name, password_hash, role, sites, now],
    )


def user_rows(db: Database) -> list[tuple[Any, ...]]:
    """(name, role, sites, disabled, created_at, password_changed_at) by name."""
    return db.fetchall(
        "SELECT name, role, sites, disabled, created_at, password_changed_at FROM users "
        "ORDER BY name"
    )


def count_other_admins(db: Database, name: str) -> int:
    """Enabled admins of every site besides ``name``."""
    row = db.fetchone(
        "SELECT count(*) FROM users WHERE role = 'admin' AND sites IS NULL "
        "AND NOT coalesce(disabled, false) AND name <> ?",
        [name],
    )
    return int(row[0]) if row else 0


def delete_user_rows(db: Database, name: str) -> None:
    """The user, their tokens and their sessions; call inside a transaction."""
    db.execute("DELETE FROM api_tokens WHERE user_name = ?", [name])
    db.execute("DELETE FROM login_sessions WHERE user_name = ?", [name])
    db.execute("DELETE FROM users WHERE name = ?", [name])


def set_user_disabled(db: Database, name: str, disabled: bool) -> None:
    db.execute("UPDATE users SET disabled = ? WHERE name = ?", [disabled, name])


def password_of(db: Database, name: str) -> tuple[str, bool] | None:
    """(password hash, disabled) of a user, or None."""
    row = db.fetchone("SELECT password_hash, disabled FROM users WHERE name = ?", [name])
    return None if row is None else (row[0], bool(row[1]))


def set_password_hash(db: Database, name: str, password_hash: str,
                      changed_at: datetime | None = None) -> None:  # fmt: skip
    """A new hash; ``changed_at`` when the password itself changed (not a mere rehash)."""
    if changed_at is None:
        db.execute("UPDATE users SET password_hash = ? WHERE name = ?", [password_hash, name])
    else:
        db.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?",
            [password_hash, changed_at, name],
        )


# -- API tokens -------------------------------------------------------------------------


def insert_token(db: Database, token_hash: str, token_id: str, name: str, user: str,
                 sites: list[str] | None, writable: bool, now: datetime,
                 expires_at: datetime | None) -> None:  # fmt: skip
    db.execute(
        "INSERT INTO api_tokens (token_hash, id, name, user_name, sites, writable, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [token_hash, token_id, name, user, sites, writable, now, expires_at],
    )


def token_rows(db: Database, user: str | None = None) -> list[tuple[Any, ...]]:
    """(id, name, user_name, sites, writable, created_at, expires_at, last_used_at, revoked)
    of every token, or of one user's; never the hash."""
    return db.fetchall(
        "SELECT id, name, user_name, sites, writable, created_at, expires_at, last_used_at, "
        "revoked FROM api_tokens WHERE ? IS NULL OR user_name = ? ORDER BY created_at, id",
        [user, user],
    )


def token_user(db: Database, token_id: str) -> str | None:
    row = db.fetchone("SELECT user_name FROM api_tokens WHERE id = ?", [token_id])
    return None if row is None else str(row[0])


def revoke_token_row(db: Database, token_id: str) -> None:
    db.execute("UPDATE api_tokens SET revoked = true WHERE id = ?", [token_id])


def live_token(db: Database, token_hash: str, now: datetime) -> tuple[Any, ...] | None:
    """(token id, user, role, user sites, token sites, writable) of a usable token."""
    return db.fetchone(
        "SELECT t.id, u.name, u.role, u.sites, t.sites, t.writable FROM api_tokens t "
        "JOIN users u ON u.name = t.user_name WHERE t.token_hash = ? "
        "AND NOT coalesce(t.revoked, false) AND NOT coalesce(u.disabled, false) "
        "AND (t.expires_at IS NULL OR t.expires_at > ?)",
        [token_hash, now],
    )


def touch_token(db: Database, token_id: str, now: datetime) -> None:
    db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [now, token_id])


# -- login sessions ---------------------------------------------------------------------


def insert_session(db: Database, session_hash: str, user: str, csrf: str, now: datetime,
                   expires_at: datetime) -> None:  # fmt: skip
    """A new session; expired ones are forgotten on the way."""
    db.execute("DELETE FROM login_sessions WHERE expires_at < ?", [now])
    db.execute(
        "INSERT INTO login_sessions (session_hash, user_name, csrf_token, expires_at) "
        "VALUES (?, ?, ?, ?)",
        [session_hash, user, csrf, expires_at],
    )


def live_session(db: Database, session_hash: str, now: datetime) -> tuple[Any, ...] | None:
    """(user, role, sites, CSRF token) of an unexpired session of an enabled user."""
    return db.fetchone(
        "SELECT u.name, u.role, u.sites, s.csrf_token FROM login_sessions s "
        "JOIN users u ON u.name = s.user_name WHERE s.session_hash = ? AND s.expires_at > ? "
        "AND NOT coalesce(u.disabled, false)",
        [session_hash, now],
    )


def delete_sessions(db: Database, user: str, keep_hash: str = "") -> None:
    """Every login session of a user but the one whose hash is ``keep_hash``."""
    db.execute(
        "DELETE FROM login_sessions WHERE user_name = ? AND session_hash <> ?", [user, keep_hash]
    )


def delete_session(db: Database, session_hash: str) -> None:
    db.execute("DELETE FROM login_sessions WHERE session_hash = ?", [session_hash])
