"""Every error Footfall raises on purpose, in one tree.

    FootfallError                 base: message is for a person, says what to do
    ├── ConfigError               bad settings, options or site names
    ├── InputError                a file cannot be imported as a whole
    │   ├── SourceNotFound        missing path or glob with no match
    │   ├── SourceUnreadable      permission, corrupt compression, binary data
    │   ├── OutsideImportDirs     an API import names a path outside ``import_dirs``
    │   └── UnknownFormat         no log format fits; says which came close
    ├── FormatDefinitionError     a custom LogFormat / log_format string is invalid
    ├── StorageError              the database file cannot be opened or migrated
    │   └── DatabaseBusy          another process (an import, the server) writes it
    ├── QueryError                a report or query asks for something invalid
    │   └── QueryTooLarge         it would cost more than the query budget allows
    ├── PlanError                 a measurement plan file is invalid (path and line)
    └── TryLater                  refused for now; ``retry_after`` says when to come back
        ├── LoginLocked           too many failed logins for a name or an address (429)
        └── HashingBusy           every password-hashing slot is taken (503)

A malformed *line* is never an exception: it becomes a counted reject with
file, line number, field and reason (see ``collect.diagnose``).  The CLI maps
``FootfallError`` to a one-line message and exit code 2; anything else is a bug.
"""

from __future__ import annotations


class FootfallError(Exception):
    """Base class: ``str(err)`` is a complete message for a person."""

    exit_code = 2


class ConfigError(FootfallError):
    """Settings, options or names that cannot be used."""


class InputError(FootfallError):
    """A whole input file cannot be imported; ``path`` names it."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class SourceNotFound(InputError):
    """The path does not exist, or a glob matched nothing."""


class SourceUnreadable(InputError):
    """The file exists but cannot be read as text (permissions, corrupt archive, binary)."""


class OutsideImportDirs(InputError):
    """An import asked through the API names a path outside the ``import_dirs`` setting;
    raised before any byte of it is read, so no error can quote the file."""


class UnknownFormat(InputError):
    """No known log format matches the first lines of the file."""


class FormatDefinitionError(FootfallError):
    """A custom format string (Apache LogFormat or nginx log_format) is not usable."""


class StorageError(FootfallError):
    """The database cannot be opened, locked or migrated."""


class DatabaseBusy(StorageError):
    """Another process holds the database file (DuckDB: one writing process per file)."""


class QueryError(FootfallError):
    """A report or query is invalid: unknown metric, bad filter, bad date range."""


class QueryTooLarge(QueryError):
    """A valid query over a limit of ``reports.budget.QueryBudget`` (range, buckets, time,
    bytes); the message names the limit, its setting and how to ask for less."""


class PlanError(FootfallError):
    """A measurement plan file is invalid; ``line`` is the line of the faulty entry or key."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


class TryLater(FootfallError):
    """Refused for now, not for good: ``retry_after`` is the number of seconds to wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class LoginLocked(TryLater):
    """Too many failed logins for this user name or client address (auth/throttle.py)."""


class HashingBusy(TryLater):
    """All argon2 slots are taken: each hash needs 64 MiB, so only a few run at once."""
