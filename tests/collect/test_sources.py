"""Inputs -> sources: files, globs, rotated directories, compression, chunking."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sys
import types
from pathlib import Path

import pytest

from footfall.collect.sources import (
    Chunk,
    Source,
    expand_inputs,
    fingerprint,
    key_line,
    not_text,
    open_stream,
    read_chunks,
    read_first_line,
    skip_to,
)
from footfall.errors import SourceNotFound, SourceUnreadable

TEXT = b"first line\nsecond\nthird line here\n"


def names(sources: list[Source]) -> list[str]:
    return [Path(s.name).name for s in sources]


def touch(directory: Path, *files: str) -> None:
    for name in files:
        (directory / name).write_bytes(b"x\n")


# ---------------------------------------------------------------- expand_inputs


def test_files_keep_the_order_given(tmp_path: Path) -> None:
    touch(tmp_path, "b.log", "a.log")
    sources = expand_inputs([str(tmp_path / "b.log"), str(tmp_path / "a.log")])
    assert sources == [
        Source(str(tmp_path / "b.log"), tmp_path / "b.log"),
        Source(str(tmp_path / "a.log"), tmp_path / "a.log"),
    ]


def test_dash_is_standard_input() -> None:
    assert expand_inputs(["-"]) == [Source("<stdin>", None)]


def test_directory_of_rotated_logs_oldest_first(tmp_path: Path) -> None:
    touch(tmp_path, "access.log", "access.log.1", "access.log.2.gz", ".hidden")
    (tmp_path / "old").mkdir()  # subdirectories are not inputs
    sources = expand_inputs([str(tmp_path)])
    assert names(sources) == ["access.log.2.gz", "access.log.1", "access.log"]
    assert all(s.path is not None and s.path.parent == tmp_path for s in sources)


def test_rotation_numbers_compare_as_numbers(tmp_path: Path) -> None:
    touch(tmp_path, "access.log", "access.log.1", "access.log.2.gz", "access.log.10.gz",
          "access.log.9.gz", "error.log", "error.log.1")  # fmt: skip
    assert names(expand_inputs([str(tmp_path)])) == [
        "access.log.10.gz", "access.log.9.gz", "access.log.2.gz", "access.log.1", "access.log",
        "error.log.1", "error.log",
    ]  # fmt: skip


def test_dateext_rotation_oldest_first(tmp_path: Path) -> None:
    """logrotate ``dateext``: a larger date is a newer file, unlike .1 .2 .3."""
    touch(tmp_path, "access.log", "access.log-20260111.gz", "access.log-20260110",
          "access.log-20251231.gz")  # fmt: skip
    assert names(expand_inputs([str(tmp_path)])) == [
        "access.log-20251231.gz", "access.log-20260110", "access.log-20260111.gz", "access.log",
    ]  # fmt: skip


def test_dashed_dateext_rotation_oldest_first(tmp_path: Path) -> None:
    touch(tmp_path, "access.log", "access.log-2026-01-10", "access.log-2026-01-09.gz",
          "access.log-2025-12-31.gz")  # fmt: skip
    assert names(expand_inputs([str(tmp_path)])) == [
        "access.log-2025-12-31.gz", "access.log-2026-01-09.gz", "access.log-2026-01-10",
        "access.log",
    ]  # fmt: skip


def test_glob_matches_in_rotation_order(tmp_path: Path) -> None:
    touch(tmp_path, "access.log", "access.log.1", "access.log.2.gz", "other.txt")
    sources = expand_inputs([str(tmp_path / "access.log*")])
    assert names(sources) == ["access.log.2.gz", "access.log.1", "access.log"]


def test_glob_without_match(tmp_path: Path) -> None:
    pattern = str(tmp_path / "nothing-*.log")
    with pytest.raises(SourceNotFound) as err:
        expand_inputs([pattern])
    assert err.value.path == pattern
    assert str(err.value) == f"{pattern}: no file matches this pattern"


def test_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.log")
    touch(tmp_path, "present.log")
    with pytest.raises(SourceNotFound) as err:
        expand_inputs([str(tmp_path / "present.log"), missing])
    assert str(err.value) == f"{missing}: no such file or directory"


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound, match="directory has no files"):
        expand_inputs([str(tmp_path)])


# ---------------------------------------------------------------- compression by magic bytes


@pytest.mark.parametrize(
    "misleading_name, compress",
    [
        ("plain.log", gzip.compress),  # gzip without .gz
        ("access.log.gz", bz2.compress),  # bzip2 named .gz
        ("access.log.bz2", lzma.compress),  # xz named .bz2
        ("access.log.xz", lambda data: data),  # plain text named .xz
    ],
)
def test_compression_is_known_by_content(tmp_path: Path, misleading_name: str, compress) -> None:
    path = tmp_path / misleading_name
    path.write_bytes(compress(TEXT))
    stream = open_stream(Source(str(path), path))
    try:
        assert stream.read() == TEXT
    finally:
        stream.close()


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_standard_input(monkeypatch: pytest.MonkeyPatch, compress) -> None:
    stdin = types.SimpleNamespace(buffer=io.BufferedReader(io.BytesIO(compress(TEXT))))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert open_stream(Source("<stdin>", None)).read() == TEXT


def test_closing_a_compressed_stream_closes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.gz"
    path.write_bytes(gzip.compress(TEXT))
    stream = open_stream(Source(str(path), path))
    raw = stream.fileobj  # type: ignore[attr-defined]
    stream.close()
    assert raw.closed


def test_corrupt_archive_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "broken.gz"
    path.write_bytes(b"\x1f\x8b" + b"not really gzip\n" * 4)
    source = Source(str(path), path)
    with pytest.raises(SourceUnreadable) as err:
        list(read_chunks(open_stream(source), source, 0, 1, 1024))
    assert str(err.value).startswith(f"{path}: cannot read past byte 0")


def test_truncated_archive_keeps_the_offset_reached(tmp_path: Path) -> None:
    data = gzip.compress(TEXT * 2000)
    path = tmp_path / "cut.gz"
    path.write_bytes(data[: len(data) // 2])
    source = Source(str(path), path)
    chunks: list[Chunk] = []
    with pytest.raises(SourceUnreadable, match="cannot read past byte"):
        chunks.extend(read_chunks(open_stream(source), source, 0, 1, 4096))
    assert chunks, "the readable part comes first"
    assert all(c.data.endswith(b"\n") for c in chunks)


def test_first_line_and_fingerprint_survive_compression(tmp_path: Path) -> None:
    plain, packed = tmp_path / "access.log.1", tmp_path / "access.log.2.gz"
    plain.write_bytes(TEXT)
    packed.write_bytes(gzip.compress(TEXT))
    first_plain, s1 = read_first_line(Source(str(plain), plain))
    first_packed, s2 = read_first_line(Source(str(packed), packed))
    try:
        assert first_plain == first_packed == b"first line\n"
        assert fingerprint(first_plain) == fingerprint(first_packed)
        assert s1.read() == s2.read() == TEXT  # both streams are back at the start
    finally:
        s1.close()
        s2.close()


@pytest.mark.parametrize("compress", [lambda d: d, gzip.compress])
def test_skip_to_returns_bytes_before_offset(tmp_path: Path, compress) -> None:
    path = tmp_path / "log"
    path.write_bytes(compress(TEXT))
    source = Source(str(path), path)
    stream = open_stream(source)
    try:
        assert skip_to(stream, source, 0) == b""
        assert skip_to(stream, source, 18) == b"first line\nsecond\n"
        assert stream.read() == b"third line here\n"
    finally:
        stream.close()


# ---------------------------------------------------------------- read_chunks


def chunks_of(data: bytes, size: int, start: int = 0, first_line: int = 1) -> list[Chunk]:
    source = Source("mem", None)
    return list(read_chunks(io.BytesIO(data), source, start, first_line, size))


def test_chunks_end_on_newlines_with_last_line_unterminated() -> None:
    assert chunks_of(b"aaa\nbb\ncccc\nd", 5) == [
        Chunk(0, 4, 1, b"aaa\n"),
        Chunk(4, 7, 2, b"bb\n"),
        Chunk(7, 12, 3, b"cccc\n"),
        Chunk(12, 13, 4, b"d"),
    ]


def test_big_chunks_hold_several_lines() -> None:
    assert chunks_of(b"a\nb\nc\n", 1024) == [Chunk(0, 6, 1, b"a\nb\nc\n")]
    assert chunks_of(b"a\nb\nc\nlast", 4) == [
        Chunk(0, 4, 1, b"a\nb\n"),
        Chunk(4, 6, 3, b"c\n"),
        Chunk(6, 10, 4, b"last"),
    ]


def test_line_longer_than_a_chunk_is_carried_over() -> None:
    long = b"x" * 25 + b"\n"
    # the block that ends the long line also holds all of "cd\n": one chunk from line 2
    assert chunks_of(b"ab\n" + long + b"cd\n", 4) == [
        Chunk(0, 3, 1, b"ab\n"),
        Chunk(3, 32, 2, long + b"cd\n"),
    ]


def test_empty_lines_count() -> None:
    assert chunks_of(b"\n\na\n", 100) == [Chunk(0, 4, 1, b"\n\na\n")]
    assert chunks_of(b"\n\na\n", 1) == [
        Chunk(0, 1, 1, b"\n"),
        Chunk(1, 2, 2, b"\n"),
        Chunk(2, 4, 3, b"a\n"),
    ]


def test_resume_from_offset_and_line() -> None:
    """After skip_to the stream starts mid-file: offsets and line numbers continue."""
    rest = b"third\nfourth\n"
    assert chunks_of(rest, 6, start=100, first_line=3) == [
        Chunk(100, 106, 3, b"third\n"),
        Chunk(106, 113, 4, b"fourth\n"),
    ]


def test_empty_stream_has_no_chunks() -> None:
    assert chunks_of(b"", 16) == []


def test_chunks_cover_the_data_exactly() -> None:
    data = b"".join(b"line %d %s\n" % (i, b"y" * (i % 7)) for i in range(200)) + b"tail"
    for size in (1, 7, 64, 1000, 10**6):
        chunks = chunks_of(data, size)
        assert b"".join(c.data for c in chunks) == data
        assert [c.start for c in chunks[1:]] == [c.end for c in chunks[:-1]]
        assert all(c.end - c.start == len(c.data) for c in chunks)
        assert all(c.data.endswith(b"\n") for c in chunks[:-1])
        lines_before = [c.first_line - 1 for c in chunks]
        assert lines_before == [data[: c.start].count(b"\n") for c in chunks]
        assert chunks[-1].data.endswith(b"tail")


def test_key_line_skips_w3c_directives_and_nul_holes() -> None:
    iis = b"#Software: IIS\n#Version: 1.0\n\n#Fields: date time\n2026-01-02 10:00:00 a\n"
    assert key_line(iis) == b"2026-01-02 10:00:00 a"
    assert key_line(b"\x00\x00\x00first\nsecond\n") == b"second"
    assert key_line(b"first line\nsecond\n") == b"first line"  # as earlier versions keyed it
    assert key_line(b"#Software: IIS\n#Fields: date time\n") is None


def test_not_text_only_when_most_text_sits_in_nul_lines() -> None:
    assert not_text(b"\x00" * 5000 + b"a log line\n" * 3) is None  # one hole, then lines
    assert not_text(b"line one\n\x00\x00\n line three\n") is None
    assert not_text(b"\x00" * 100) == "binary data (only NUL bytes): not a text log"
    assert not_text(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00") is not None
