"""The tracker scripts as a real `footfall serve` sends them: gzip-compressed when the
client accepts it, with an ETag and Cache-Control, and 304 when the copy is current."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import httpx
import pytest

from tests.web.serve_process import free_port, start_serve

FILES = resources.files("footfall.web") / "tracker"
SCRIPTS = {"footfall.js": "footfall.min.js", "footfall.timing.js": "footfall.timing.min.js"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import subprocess

    from tests.conftest import FOOTFALL

    db = Path(tmp_path_factory.mktemp("tracker")) / "footfall.duckdb"
    subprocess.run([FOOTFALL, "site", "shop", "--db", str(db)], check=True, capture_output=True)
    port = free_port()
    proc = start_serve(db, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def raw_get(url: str, **headers: str) -> httpx.Response:
    """One GET whose body is left as sent (httpx would otherwise decode the gzip)."""
    with httpx.Client() as client, client.stream("GET", url, headers=headers) as answer:
        answer.raw_body = b"".join(answer.iter_raw())  # type: ignore[attr-defined]
        return answer


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_scripts_are_gzipped_and_cacheable(server: str, name: str) -> None:
    original = (FILES / SCRIPTS[name]).read_bytes()
    zipped = raw_get(f"{server}/js/{name}", **{"accept-encoding": "gzip, br"})
    assert zipped.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["vary"].lower()
    assert zipped.headers["content-type"].startswith("text/javascript")
    body = zipped.raw_body  # type: ignore[attr-defined]
    assert int(zipped.headers["content-length"]) == len(body) < len(original) * 0.75
    assert gzip.decompress(body) == original
    etag = zipped.headers["etag"]
    assert etag.startswith('"') and "max-age=" in zipped.headers["cache-control"]

    plain = raw_get(f"{server}/js/{name}", **{"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.raw_body == original  # type: ignore[attr-defined]
    assert plain.headers["etag"] == etag  # one ETag: the same script either way

    again = raw_get(f"{server}/js/{name}", **{"accept-encoding": "gzip", "if-none-match": etag})
    assert again.status_code == 304
    assert again.raw_body == b""  # type: ignore[attr-defined]
    assert again.headers["etag"] == etag
    stale = raw_get(f"{server}/js/{name}", **{"accept-encoding": "gzip", "if-none-match": '"x"'})
    assert stale.status_code == 200


def test_unknown_script_is_404(server: str) -> None:
    assert httpx.get(f"{server}/js/nosuch.js").status_code == 404
