"""Format detection, custom format strings and mismatch explanations, without a database."""

from __future__ import annotations

import re

import pytest

from footfall.collect.detect import detect
from footfall.collect.formats import (
    FORMATS_BY_NAME,
    LogFormat,
    compile_format,
    custom_format,
    explain_mismatch,
)
from footfall.collect.jsonlog import JsonLogFormat
from footfall.errors import ConfigError, FormatDefinitionError, UnknownFormat
from tests.collect._support import FIXTURES, format_string

LINE = '1.2.3.4 - - [15/Jan/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "ua"'


def head(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    "name, expected, matched",
    [
        ("combined.log", "combined", 10),
        ("common.log", "common", 6),
        ("vhost_combined.log", "vhost_combined", 5),
        ("nginx_request_time.log", "combined_request_time", 5),
        ("apache_duration_us.log", "combined_duration_us", 5),
        ("iis_w3c.log", "w3c", 6),
        ("w3c_bytes.log", "w3c", 5),
        ("nginx_json.log", "json", 5),
        ("caddy.log", "json", 5),
        ("traefik.log", "json", 5),
        ("mixed_bad.log", "combined", 12),  # 14 non-empty lines, 2 do not fit the regex
    ],
)
def test_each_fixture_is_detected(name: str, expected: str, matched: int) -> None:
    found = detect(name, head(name))
    assert found.format.name == expected
    assert found.matched == matched


def test_detected_units_and_times() -> None:
    units = {
        "nginx_request_time.log": 1000.0,  # seconds
        "apache_duration_us.log": 0.001,  # microseconds
        "iis_w3c.log": 1.0,  # IIS time-taken: milliseconds
        "combined.log": None,
        "nginx_json.log": 1000.0,
        "caddy.log": 1000.0,
        "traefik.log": 1e-6,  # nanoseconds
    }
    for name, unit in units.items():
        assert detect(name, head(name)).format.duration_unit == unit, name
    times = {"combined.log": "clf", "iis_w3c.log": "w3c", "nginx_json.log": "iso8601",
             "caddy.log": "epoch", "traefik.log": "iso8601"}  # fmt: skip
    for name, kind in times.items():
        assert detect(name, head(name)).format.time_kind == kind, name


def test_json_key_paths() -> None:
    caddy = detect("caddy.log", head("caddy.log")).format
    assert isinstance(caddy, JsonLogFormat)
    assert caddy.paths["client_ip"] == "$.request.client_ip"
    assert caddy.paths["user_agent"] == '$.request.headers."User-Agent"[0]'
    assert caddy.paths["time"] == "$.ts"
    traefik = detect("traefik.log", head("traefik.log")).format
    assert isinstance(traefik, JsonLogFormat)
    assert traefik.paths["time"] == "$.StartUTC"
    assert traefik.paths["user_agent"] == '$."request_User-Agent"'
    assert traefik.paths["status"] == "$.DownstreamStatus"


@pytest.mark.parametrize("name, no_referrer_line", [("caddy.log", 3), ("traefik.log", 3)])
def test_json_key_missing_from_first_line_is_found_later(name: str, no_referrer_line: int) -> None:
    """Caddy and Traefik leave out absent headers: a first line without Referer is common."""
    lines = (FIXTURES / name).read_bytes().splitlines(keepends=True)
    first = lines.pop(no_referrer_line - 1)
    assert b"Referer" not in first
    found = detect(name, first + b"".join(lines)).format
    assert isinstance(found, JsonLogFormat)
    assert "referrer" in found.paths
    assert found.paths["referrer"] in ("$.request.headers.Referer[0]", "$.request_Referer")


def test_integer_duration_is_apache_microseconds_not_nginx_seconds() -> None:
    """%D / %T lines also fit combined_request_time unless $request_time needs its dot."""
    lines = [
        f'192.0.2.{i} - - [15/Jan/2026:16:00:0{i} +0100] "GET /p{i} HTTP/1.1" 200 {i}00 "-" "ua" {i}234'
        for i in range(1, 6)
    ]
    found = detect("us.log", "\n".join(lines).encode() + b"\n")
    assert found.format.name == "combined_duration_us"
    assert found.format.duration_unit == 0.001
    assert "combined_duration_s" in found.note  # the equal fit is named, not hidden
    assert "combined_request_time" not in found.note


def test_decimal_duration_is_nginx_request_time() -> None:
    found = detect("n.log", head("nginx_request_time.log"))
    assert found.format.name == "combined_request_time"
    assert found.note == ""


def test_custom_format_strings_are_detected_by_spec() -> None:
    for log, spec_file in (("custom_apache.log", "custom_apache.format"),
                           ("custom_nginx.log", "custom_nginx.format")):  # fmt: skip
        found = detect(log, head(log), spec=format_string(spec_file))
        assert (found.format.name, found.matched, found.sampled) == ("custom", 5, 5)


def test_cut_last_line_is_not_sampled() -> None:
    data = head("combined.log")
    third = data.index(b"\n", data.index(b"\n") + 1) + 1  # start of line 3
    found = detect("combined.log", data[: third + 40])  # line 3 cut after 40 bytes
    assert (found.format.name, found.matched, found.sampled) == ("combined", 2, 2)


# ---------------------------------------------------------------- nothing fits


def test_unknown_format_names_file_and_closest_formats_with_field() -> None:
    bad_status = LINE.replace('" 200 5', '" 2x0 5')
    data = ("\n".join([bad_status] * 5) + "\n").encode()
    with pytest.raises(UnknownFormat) as err:
        detect("weird.log", data)
    message = str(err.value)
    assert err.value.path == "weird.log"
    assert message.startswith("weird.log: cannot tell the log format; closest: ")
    assert message.count(" fits 0/5 lines") == 3
    # column 59 is where "2x0" starts, counted by hand
    assert "field status (%>s) does not match at column 59" in message
    assert "--format" in message


def test_unknown_format_for_text_that_is_no_log() -> None:
    with pytest.raises(UnknownFormat) as err:
        detect("notes.txt", b"dear diary\ntoday I read logs\n")
    assert str(err.value).startswith("notes.txt: cannot tell the log format")
    assert "fits 0/2 lines" in str(err.value)


def test_empty_file_has_no_lines() -> None:
    with pytest.raises(UnknownFormat, match="no lines to read"):
        detect("empty.log", b"\n\n  \n")


def test_mostly_unreadable_file_is_not_guessed() -> None:
    """2 of 5 lines fit combined: below the 80% share, so no format is chosen."""
    data = (LINE + "\n") * 2 + "junk\n" * 3
    with pytest.raises(UnknownFormat, match=r"combined fits 2/5 lines"):
        detect("half.log", data.encode())


# ---------------------------------------------------------------- --format and --log-format


def test_forced_format_on_other_file_gives_line_one_reason() -> None:
    with pytest.raises(UnknownFormat) as err:
        detect("common.log", head("common.log"), forced="combined")
    # common.log line 1 is 68 characters long: the referrer's ' "' is missing at column 69
    assert str(err.value) == (
        "common.log: none of the first 6 lines fit format combined: "
        "line 1: expected ' \"' at column 69, found the end of the line"
    )


def test_forced_format_that_fits_is_used_even_if_another_would_win() -> None:
    found = detect("us.log", head("apache_duration_us.log"), forced="combined_duration_s")
    assert (found.format.name, found.matched, found.sampled) == ("combined_duration_s", 5, 5)
    assert found.format.duration_unit == 1000.0


def test_forced_format_needs_at_least_one_fitting_line() -> None:
    with pytest.raises(UnknownFormat, match="unexpected text after the last field at column 141"):
        detect("combined.log", head("combined.log"), forced="common")


def test_forced_w3c_and_json_on_text_logs() -> None:
    with pytest.raises(UnknownFormat, match="#Fields:"):
        detect("combined.log", head("combined.log"), forced="w3c")
    with pytest.raises(UnknownFormat) as err:
        detect("combined.log", head("combined.log"), forced="json")
    assert err.value.line == 1
    assert str(err.value).startswith("combined.log:1: ")


def test_forced_unknown_name_lists_known_formats() -> None:
    with pytest.raises(ConfigError) as err:
        detect("combined.log", head("combined.log"), forced="apache")
    for name in ("combined", "common", "w3c", "json", "vhost_combined"):
        assert name in str(err.value)


def test_json_without_needed_keys() -> None:
    with pytest.raises(UnknownFormat) as err:
        detect("app.log", b'{"level":"info","msg":"started","time":"2026-01-15T10:00:00Z"}\n')
    assert "status" in str(err.value) and "request or path" in str(err.value)
    with pytest.raises(UnknownFormat, match="not JSON"):
        detect("app.log", b'{"level": \n')


def test_w3c_fields_that_do_not_fit() -> None:
    data = b"#Fields: date time c-ip sc-status\n2026-01-15 10:00:00 1.2.3.4 OK\n"
    with pytest.raises(UnknownFormat, match=r"field status \(sc-status\) does not match"):
        detect("ex.log", data)


# ---------------------------------------------------------------- format strings


def test_custom_format_syntax() -> None:
    assert custom_format('%h %t "%r"').syntax == "apache"
    assert custom_format('$remote_addr [$time_local] "$request"').syntax == "nginx"
    with pytest.raises(FormatDefinitionError, match="neither an Apache LogFormat"):
        custom_format("ip time request")


def test_compiled_custom_formats() -> None:
    apache = compile_format(custom_format(format_string("custom_apache.format")))
    assert apache.fields == {
        "client_ip", "user", "time", "request", "status", "bytes", "referrer", "user_agent",
        "duration", "host", "forwarded_for",
    }  # fmt: skip
    assert apache.duration_unit == 1.0  # %{ms}T
    nginx = compile_format(custom_format(format_string("custom_nginx.format")))
    assert nginx.fields == {
        "host", "client_ip", "user", "time", "request", "status", "bytes", "referrer",
        "user_agent", "duration",
    }  # fmt: skip
    assert nginx.duration_unit == 1000.0
    line = (FIXTURES / "custom_nginx.log").read_text().splitlines()[2]
    m = nginx.python_regex.match(line)
    assert m is not None
    assert (m["host"], m["client_ip"], m["status"], m["duration"]) == (
        "API.example.com", "2001:db8::221", "502", "1.250",
    )  # fmt: skip


def test_quoted_field_keeps_escaped_quotes() -> None:
    combined = compile_format(FORMATS_BY_NAME["combined"])
    line = LINE.replace('"ua"', r'"Mozilla/5.0 \"quoted\" (X11)"')
    m = combined.python_regex.match(line)
    assert m is not None
    assert m["user_agent"] == r"Mozilla/5.0 \"quoted\" (X11)"


@pytest.mark.parametrize(
    "spec, message",
    [
        ("%h %Z %t", "unknown Apache directive '%Z'"),
        ("%h %{%d/%b/%Y}t", "custom time formats are not supported"),
        ('%h "%r" %>s', "has no time field"),
        ("$remote_addr$time_local", "followed directly by $time_local"),
        ("%h%t", "followed directly by %t"),
        ("%h %t %", "incomplete directive at the end"),
        ("%h %! %t", "incomplete directive before '%t'"),
    ],
)
def test_invalid_format_strings(spec: str, message: str) -> None:
    with pytest.raises(FormatDefinitionError, match=re.escape(message)):
        compile_format(custom_format(spec))


def test_file_described_formats_have_no_string() -> None:
    for name in ("w3c", "json"):
        with pytest.raises(FormatDefinitionError, match="described by the file"):
            compile_format(FORMATS_BY_NAME[name])
    with pytest.raises(FormatDefinitionError):
        compile_format(LogFormat("x", "apache", "%h %l", ""))


def test_builtin_formats_fields() -> None:
    combined = compile_format(FORMATS_BY_NAME["combined"])
    assert combined.fields == {
        "client_ip", "user", "time", "request", "status", "bytes", "referrer", "user_agent",
    }  # fmt: skip
    assert combined.duration_unit is None
    assert compile_format(FORMATS_BY_NAME["common"]).fields == {
        "client_ip", "user", "time", "request", "status", "bytes",
    }  # fmt: skip
    assert "host" in compile_format(FORMATS_BY_NAME["vhost_combined"]).fields
    assert compile_format(FORMATS_BY_NAME["combined_duration_s"]).duration_unit == 1000.0


# ---------------------------------------------------------------- explain_mismatch


def test_explain_mismatch_names_field_and_column() -> None:
    combined = compile_format(FORMATS_BY_NAME["combined"])
    assert explain_mismatch(combined, LINE) == "line matches the format"
    assert explain_mismatch(combined, LINE.replace('" 200 5', '" 2x0 5')) == (
        'field status (%>s) does not match at column 59: "2x0 5 "-" "ua""'
    )
    assert explain_mismatch(combined, LINE.replace(" 5 ", " abc ")) == (
        'field bytes (%b) does not match at column 63: "abc "-" "ua""'
    )
    assert explain_mismatch(combined, LINE + " extra") == (
        "unexpected text after the last field at column 73: 'extra'"
    )
    no_quote = LINE.replace('] "GET', "] GET")
    assert explain_mismatch(combined, no_quote) == (
        """expected ' "' at column 41, found " GET / HTTP/1.1" 200 5 "..." """.rstrip()
    )
    assert explain_mismatch(combined, LINE.replace("[15/Jan", "15/Jan")).startswith(
        "field time (%t) does not match at column 13: "
    )


def test_explain_mismatch_for_nginx_variable() -> None:
    nginx = compile_format(FORMATS_BY_NAME["combined_request_time"])
    line = LINE + " fast"
    assert explain_mismatch(nginx, line) == (
        'field duration ($request_time) does not match at column 74: "fast"'
    )
