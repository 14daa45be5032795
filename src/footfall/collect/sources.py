"""Where log lines come from: files, globs, directories of rotated logs, standard input.

A source is read as a stream of bytes (gzip, bzip2 and xz are recognised by
their magic bytes, not by the file name) and cut into chunks that end on a
line boundary, so memory stays bounded whatever the file size.  A source is
known by the fingerprint of its first *request* line, not by its path: after
``access.log`` is rotated to ``access.log.1`` and then ``access.log.2.gz`` it
is still the same log, and an import resumes where the last one stopped.
W3C ``#`` directives are not part of that key: every IIS file starts with the
same ``#Software:``/``#Version:`` lines, so they tell one day from another
no better than a file name would.
"""

from __future__ import annotations

import bz2
import glob
import gzip
import hashlib
import io
import itertools
import lzma
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from footfall.errors import OutsideImportDirs, SourceNotFound, SourceUnreadable

MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
FINGERPRINT_MAX = 8192
TAIL_BYTES = 256
#: A head that is mostly NUL bytes (copytruncate, a crash) is read further, up to this
#: much, until it holds ``HEAD_TEXT`` bytes of text to detect the format from.
HEAD_LIMIT = 64 * 1024 * 1024
HEAD_TEXT = 4096
BINARY_SAMPLE_LINES = 1000


@dataclass(frozen=True, slots=True)
class Source:
    name: str  # as shown to people: the path, or "<stdin>"
    path: Path | None  # None for standard input


@dataclass(frozen=True, slots=True)
class Chunk:
    start: int  # offset of the first byte in the decompressed stream
    end: int  # offset after the last newline
    first_line: int  # 1-based number of the first line
    data: bytes


def _rotation_key(path: Path) -> tuple[str, int, int, str]:
    """access.log.10.gz < access.log.2.gz < access.log.1 < access.log (oldest first).

    logrotate ``dateext`` suffixes (access.log-20260115, access.log-2026-01-15) count the
    other way: a larger date is newer, so dates sort ascending.
    """
    dated = re.match(r"(.*?)[.-](\d{8,}|\d{4}-\d{2}-\d{2})(\.gz|\.bz2|\.xz)?$", path.name)
    if dated:
        date = int(dated.group(2).replace("-", ""))
        return (str(path.parent / dated.group(1)), 0, date, path.name)
    m = re.match(r"(.*?)(?:[.-](\d+))?(\.gz|\.bz2|\.xz)?$", path.name)
    assert m is not None
    if not m.group(2):
        return (str(path.parent / m.group(1)), 1, 0, path.name)  # the live file: newest
    return (str(path.parent / m.group(1)), 0, -int(m.group(2)), path.name)


def expand_inputs(args: list[str], allowed_roots: tuple[Path, ...] | None = None) -> list[Source]:
    """Files, globs and directories -> sources in import order; '-' is standard input.

    ``allowed_roots`` (an import asked through the API): every path, after its
    symlinks are resolved, must lie in one of these directories, checked before
    any byte is read; ``None`` allows any path (the CLI, the server's owner).
    """
    if allowed_roots is None:
        return _expand(args)
    roots = tuple(root.resolve() for root in allowed_roots)
    sources: list[Source] = []
    for arg in args:
        _check_inside(arg, _fixed_part(arg), roots)
        sources.extend(_check_inside(s.name, s.path, roots) for s in _expand([arg]))
    return sources


def _expand(args: list[str]) -> list[Source]:
    sources: list[Source] = []
    for arg in args:
        if arg == "-":
            sources.append(Source("<stdin>", None))
            continue
        path = Path(arg)
        if path.is_dir():
            files = [p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")]
            if not files:
                raise SourceNotFound(arg, "directory has no files")
            sources.extend(Source(str(p), p) for p in sorted(files, key=_rotation_key))
        elif path.is_file():
            sources.append(Source(arg, path))
        elif glob.has_magic(arg):
            matches = [Path(p) for p in glob.glob(arg) if Path(p).is_file()]
            if not matches:
                raise SourceNotFound(arg, "no file matches this pattern")
            sources.extend(Source(str(p), p) for p in sorted(matches, key=_rotation_key))
        elif path.exists():
            raise SourceUnreadable(arg, "not a regular file")
        else:
            raise SourceNotFound(arg, "no such file or directory")
    return sources


def _fixed_part(arg: str) -> Path | None:
    """The part of ``arg`` without glob characters: checked before anything is listed."""
    if arg == "-":
        return None
    parts = Path(arg).parts
    fixed = list(itertools.takewhile(lambda p: not glob.has_magic(p), parts))
    return Path(*fixed) if fixed else Path(".")


def _check_inside(name: str, path: Path | None, roots: tuple[Path, ...]) -> Source:
    """``Source(name, resolved path)`` if the path lies in a root, else OutsideImportDirs.

    The source keeps the resolved path, so what is opened is what was checked.  The
    message names the path as given, never where a link points nor anything in the file.
    """
    if not roots:
        raise OutsideImportDirs(name, "imports through the API are off: set import_dirs "
                                "(FOOTFALL_IMPORT_DIRS) to the directories they may read")  # fmt: skip
    if path is None:
        raise OutsideImportDirs(name, "standard input cannot be imported through the API")
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(root) for root in roots)
        raise OutsideImportDirs(name, "outside the allowed import directories (the import_dirs "
                                f"setting, FOOTFALL_IMPORT_DIRS: {allowed})")  # fmt: skip
    return Source(name, resolved)


def open_stream(source: Source) -> BinaryIO:
    """The decompressed byte stream of a source."""
    if source.path is None:
        raw: BinaryIO = sys.stdin.buffer
        head = raw.peek(8)[:8] if hasattr(raw, "peek") else b""
    else:
        try:
            raw = open(source.path, "rb")  # noqa: SIM115 - returned to the caller
        except OSError as err:
            raise SourceUnreadable(source.name, err.strerror or str(err)) from err
        head = raw.read(8)
        raw.seek(0)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            # gzip.open & co. take a path or a file object (BZ2File/LZMAFile have no fileobj=);
            # opened by path, the decompressor owns the file and closes it with itself
            opener = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}[kind]
            if source.path is None:
                return opener(raw, "rb")  # type: ignore[return-value]
            raw.close()
            try:
                return opener(source.path, "rb")  # type: ignore[return-value]
            except OSError as err:
                raise SourceUnreadable(source.name, err.strerror or str(err)) from err
    return raw


def fingerprint(first_line: bytes) -> str:
    return hashlib.sha256(first_line[:FINGERPRINT_MAX]).hexdigest()


def key_line(head: bytes) -> bytes | None:
    """The line a log is known by: its first that is not blank, not a ``#`` directive and
    holds no NUL byte; None when the head has none yet (an IIS file before its first
    request).  For Apache, nginx and JSON logs this is the first line, as it always was,
    so checkpoints written by earlier versions keep their keys."""
    for line in head.split(b"\n"):
        if line.strip() and not line.startswith(b"#") and b"\x00" not in line:
            return line
    return None


def read_head(stream: BinaryIO, source: Source, size: int) -> bytes:
    """The first ``size`` bytes, or more when NUL runs fill them: a log truncated by
    copytruncate starts with a hole of NULs, and its lines come after it."""
    try:
        head = stream.read(size)
        text = len(head) - head.count(b"\x00")
        while text < HEAD_TEXT and len(head) < HEAD_LIMIT:
            block = stream.read(size)
            if not block:
                break
            head += block
            text += len(block) - block.count(b"\x00")
    except (OSError, EOFError, lzma.LZMAError, ValueError) as err:
        raise SourceUnreadable(source.name, f"cannot read: {err}") from err
    return head


def not_text(head: bytes) -> str | None:
    """Why ``head`` is not a text log, or None.  Lines with NUL bytes are rejected one by
    one; a file is refused only when most of its text (NULs left out) sits in such lines:
    a hole of NULs is one long run, a binary file has short runs everywhere."""
    clean = dirty = 0
    for line in head.split(b"\n", BINARY_SAMPLE_LINES)[:BINARY_SAMPLE_LINES]:
        nuls = line.count(b"\x00")
        if nuls:
            dirty += len(line) - nuls
        else:
            clean += len(line)
    if not clean and not dirty:
        return "binary data (only NUL bytes): not a text log"
    if dirty > clean:
        return "binary data (NUL bytes throughout): not a text log"
    return None


def tail_hash(data: bytes) -> str:
    return hashlib.sha256(data[-TAIL_BYTES:]).hexdigest()


def read_chunks(
    stream: BinaryIO, source: Source, start: int, first_line: int, chunk_bytes: int
) -> Iterator[Chunk]:
    """Chunks ending on a newline, from decompressed offset ``start`` on.

    A last line without a final newline is imported too: servers write whole
    lines in one write(), so an unterminated last line is a complete one.
    """
    offset = start
    line = first_line
    carry = b""
    while True:
        try:
            block = stream.read(chunk_bytes)
        except (OSError, EOFError, lzma.LZMAError, ValueError) as err:
            raise SourceUnreadable(source.name, f"cannot read past byte {offset}: {err}") from err
        if not block:
            if carry:
                yield Chunk(offset, offset + len(carry), line, carry)
            return
        data = carry + block
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            carry = data
            continue
        carry = data[cut:]
        chunk = Chunk(offset, offset + cut, line, data[:cut])
        offset += cut
        line += chunk.data.count(b"\n")
        yield chunk


def is_compressed(stream: BinaryIO) -> bool:
    return isinstance(stream, gzip.GzipFile | bz2.BZ2File | lzma.LZMAFile)


def skip_to(stream: BinaryIO, source: Source, offset: int) -> bytes:
    """Advance the stream to ``offset``; returns the TAIL_BYTES before it (for a hash check)."""
    if offset == 0:
        return b""
    if source.path is not None and not is_compressed(stream):
        stream.seek(max(0, offset - TAIL_BYTES))
        tail = stream.read(offset - max(0, offset - TAIL_BYTES))
        return tail if len(tail) == min(offset, TAIL_BYTES) else b""
    remaining = offset
    tail = b""
    try:
        while remaining > 0:
            block = stream.read(min(remaining, 1 << 20))
            if not block:
                return b""
            remaining -= len(block)
            tail = (tail + block)[-TAIL_BYTES:]
    except (OSError, EOFError, lzma.LZMAError) as err:
        raise SourceUnreadable(source.name, f"cannot read: {err}") from err
    return tail


def read_first_line(source: Source) -> tuple[bytes, BinaryIO]:
    """The first line (for the fingerprint) and a stream positioned at 0 again when possible."""
    stream = open_stream(source)
    try:
        first = stream.readline(FINGERPRINT_MAX)
    except (OSError, EOFError, lzma.LZMAError) as err:
        raise SourceUnreadable(source.name, f"cannot read: {err}") from err
    if source.path is not None:
        stream.close()
        stream = open_stream(source)
        return first, stream
    # standard input cannot rewind: put the line back in front of the rest
    return first, Prepended(first, stream)  # type: ignore[return-value]


class Prepended(io.RawIOBase):
    """A stream that yields ``head`` and then the rest of ``rest``."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                out, self._head = self._head + self._rest.read(), b""
                return out
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._rest.read(size)
