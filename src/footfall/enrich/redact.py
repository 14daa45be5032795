"""Rejected lines without the personal data a stored hit would not keep.

A rejected line is kept so that a person can see why it did not fit the log
format, but verbatim it would keep what ``hits`` never does: client addresses
under the default IP mode, and query strings (e-mail addresses, reset tokens,
session ids).  ``redact`` keeps the shape of the line and hides:

- IP addresses (IPv4 and IPv6, anywhere in the line) as the site's IP mode
  stores them: ``none`` -> ``<ip>``; ``truncated`` -> the /24 or /48 network,
  exactly as ``identity.stored_ip_sql`` writes it (the caller passes those
  forms in, so the two cannot drift apart); ``full`` -> kept.
- e-mail addresses (also ``%40``-encoded) -> ``<email>``, in every mode.
- values of query-string parameters -> empty (``?email=&token=``), in every
  mode; the names stay, they help to read the line.

E-mails and query values go in every mode because the IP mode is about
addresses only: no mode stores query strings in ``hits`` (docs/privacy.md).
Version numbers that look like IPv4 (``Chrome/120.0.0.0``) are hidden too:
hiding too much costs a little diagnosis, hiding too little leaks.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping

IP_PLACEHOLDER = "<ip>"
EMAIL_PLACEHOLDER = "<email>"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+(?:@|%40)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PARAM = re.compile(r"([^=&\s\"'#?<>]+=)([^&\s\"'#?<>]*)")
_IPV6_CANDIDATE = re.compile(r"(?<![\w:.%])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\d)")
_HEX = frozenset("0123456789abcdefABCDEF")


def redact(text: str, mode: str, truncated: Mapping[str, str] | None = None) -> str:
    """``text`` with e-mails, query values and (unless ``mode`` is full) IPs hidden.

    ``truncated`` maps each address of ``find_ips(text)`` to its stored
    truncated form; an address missing from it is hidden as under ``none``.
    """
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, _PARAM.sub(_blank_query_value, text))
    if mode == "full":
        return text
    forms = truncated if mode == "truncated" and truncated else {}
    return _replace_ips(text, lambda ip: forms.get(ip, IP_PLACEHOLDER))


def find_ips(text: str) -> set[str]:
    """Every IPv4 and IPv6 address written in ``text``."""
    found: set[str] = set()

    def keep(ip: str) -> str:
        found.add(ip)
        return ip

    _replace_ips(text, keep)
    return found


def _blank_query_value(m: re.Match[str]) -> str:
    """``name=value`` -> ``name=`` when it is a query parameter: after ``?`` or ``&``, or
    followed by ``&`` (the first one of a bare query: W3C cs-uri-query, JSON ``args``).
    Other ``key=value`` text (``rt=0.5`` in a custom format) is left to read."""
    start, end = m.span()
    before = m.string[start - 1] if start else ""
    after = m.string[end] if end < len(m.string) else ""
    return m.group(1) if before in ("?", "&") or after == "&" else m.group(0)


def _replace_ips(text: str, replace: Callable[[str], str]) -> str:
    def v6(m: re.Match[str]) -> str:
        word = m.group(0)
        core = word.rstrip(".")  # an address at the end of a sentence
        for candidate in (core, core[:-1] if core.endswith(":") else ""):
            if _is_ipv6(candidate):
                return replace(candidate) + word[len(candidate) :]
        return word

    def v4(m: re.Match[str]) -> str:
        word = m.group(0)
        return replace(word) if all(int(n) <= 255 for n in word.split(".")) else word

    return _IPV4.sub(v4, _IPV6_CANDIDATE.sub(v6, text))


def _is_ipv6(text: str) -> bool:
    if not _HEX.intersection(text):
        return False  # "::" and the like name nobody
    try:
        return ipaddress.ip_address(text).version == 6
    except ValueError:
        return False
