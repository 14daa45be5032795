"""Property: any mix of good and bad lines imports without error, and every line is accounted for.

Junk lines start with a space, so they can never fit the combined format (its first field,
``%h``, is one or more non-space characters from the start of the line): the set of
rejected line numbers must be exactly the set of junk line numbers.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.collect._support import import_logs

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
OFFSETS = ("+0000", "+0100", "-0500", "+0530", "-0930", "+1400", "-1200")
URL_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/?%=&+:@!$,;"


def _offset(text: str) -> timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


# text inside a quoted field: no bare quote or backslash, but Apache's \" and \\ escapes
_quoted_text = st.lists(
    st.one_of(
        st.text(st.characters(codec="utf-8", exclude_characters='"\\\n\r\x00'), max_size=12),
        st.sampled_from(['\\"', "\\\\"]),
    ),
    max_size=5,
).map("".join)

_good = st.fixed_dictionaries({
    "ip": st.ip_addresses().map(str),
    "when": st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2037, 12, 31)),
    "offset": st.sampled_from(OFFSETS),
    "method": st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]),
    "path": st.text(URL_CHARS, max_size=30).map(lambda p: "/" + p),
    "status": st.integers(100, 599),
    "bytes": st.one_of(st.integers(0, 10**12), st.just("-")),
    "referrer": st.one_of(st.just("-"), st.text(URL_CHARS, max_size=20).map("https://r.example/".__add__)),
    "ua": _quoted_text,
})  # fmt: skip

_junk_text = st.text(st.characters(codec="utf-8", exclude_characters="\n\r\x00"), max_size=60)
_junk_bytes = st.binary(max_size=60).map(
    lambda b: b.replace(b"\n", b"").replace(b"\r", b"").replace(b"\x00", b"")
)

_line = st.one_of(
    _good.map(lambda g: ("good", g)),
    _junk_text.map(lambda t: ("junk", b" " + t.encode("utf-8"))),
    _junk_bytes.map(lambda b: ("junk", b" " + b)),
    st.just(("empty", b"")),
)


def _render(g: dict) -> bytes:
    when: datetime = g["when"].replace(microsecond=0)
    stamp = f"{when.day:02d}/{MONTHS[when.month - 1]}/{when.year}:{when:%H:%M:%S} {g['offset']}"
    line = (
        f'{g["ip"]} - - [{stamp}] "{g["method"]} {g["path"]} HTTP/1.1" {g["status"]} '
        f'{g["bytes"]} "{g["referrer"]}" "{g["ua"]}"'
    )
    return line.encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=_good,
    rest=st.lists(_line, max_size=30),
    final_newline=st.booleans(),
)
def test_every_line_is_stored_or_rejected(first: dict, rest: list, final_newline: bool) -> None:
    lines = [("good", first), *rest]  # one good line, so forcing the format is accepted
    rendered = [_render(v) if kind == "good" else v for kind, v in lines]
    data = b"\n".join(rendered) + (b"\n" if final_newline else b"")
    good = {i + 1: v for i, (kind, v) in enumerate(lines) if kind == "good"}
    junk = {i + 1 for i, (kind, _) in enumerate(lines) if kind == "junk"}

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "fuzz.log"
        log.write_bytes(data)
        imp = import_logs(Path(tmp), [log], format="combined")

        [report] = imp.report.sources
        assert report.status == "imported", report.message
        stored, rejected = imp.count("hits"), imp.count("rejects")
        assert stored + rejected == len(good) + len(junk)  # empty lines are neither
        assert (report.stored, report.rejected) == (stored, rejected)

        rejects = imp.rejects()
        assert all(reason for _, reason, _ in rejects)
        assert {line_no for line_no, _, _ in rejects} == junk
        assert len(rejects) == len(junk)

        hits = imp.query("SELECT line_no, ts, method, status, bytes, path FROM hits")
        assert {row[0] for row in hits} == set(good)
        for line_no, ts, method, status, size, path in hits:
            g = good[line_no]
            utc = g["when"].replace(microsecond=0) - _offset(g["offset"])
            assert ts == utc
            assert (method, status) == (g["method"], g["status"])
            assert size == (0 if g["bytes"] == "-" else g["bytes"])
            assert path == g["path"].split("?")[0]
