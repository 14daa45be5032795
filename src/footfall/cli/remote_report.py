"""Ask the running server for a report or a query when it owns the database.

DuckDB lets one process write a file and no other open it meanwhile, so while
``footfall serve`` runs, ``footfall report`` and ``footfall query`` ask its JSON API
(``/api/v1/report/NAME``, ``/api/v1/query``) with the local secret of
``<db>.server.json``, as imports do (``remote_import.py``), and print the answer as
they print their own: the API runs the same reports on the same database."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from footfall.cli.remote_import import running_server
from footfall.errors import DatabaseBusy, QueryError, StorageError
from footfall.settings import Settings
from footfall.vocabulary.periods import today_in


class Server:
    """The server that owns ``settings.db_path``; raises ``busy`` when none runs."""

    def __init__(self, settings: Settings, busy: DatabaseBusy) -> None:
        found = running_server(Path(settings.db_path))
        if found is None:
            raise busy
        self.url, secret = found
        self.token = secret or settings.api_token
        self.db_path = settings.db_path

    def site(self, site: str | None) -> str:
        """``--site``, or the one site there is (as the CLI chooses without a server)."""
        if site:
            return site
        sites = [s["name"] for s in self.call("GET", "/api/v1/sites")["sites"]]
        if len(sites) == 1:
            return str(sites[0])
        if not sites:
            raise QueryError(f"{self.db_path}: no data yet; run `footfall import` first")
        raise QueryError(f"several sites ({', '.join(sites)}): choose one with --site")

    def report(self, name: str, params: list[tuple[str, str]]) -> dict[str, Any]:
        query = urllib.parse.urlencode(params)
        return self.call("GET", f"/api/v1/report/{urllib.parse.quote(name)}?{query}")

    def query(self, body: dict[str, Any], period: str | None, start: str | None,
              end: str | None) -> dict[str, Any]:  # fmt: skip
        """``body`` without its dates: ``--period`` or ``--from``/``--to`` as the CLI reads
        them (an open end takes the data's, as ``reports.run.resolve_period``)."""
        if start or end:
            if period:
                raise QueryError("use either a period or from/to dates")
            info = next((s for s in self.call("GET", "/api/v1/sites")["sites"]
                         if s["name"] == body["site"]), None)  # fmt: skip
            data = (info or {}).get("data") or {}
            today = today_in((info or {}).get("timezone") or "UTC").isoformat()
            dates: Any = [start or data.get("from", today), end or data.get("to", today)]
        else:
            dates = period or "all"
        return self.call("POST", "/api/v1/query", {**body, "date_range": dates})

    def call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        headers = {"content-type": "application/json", "accept": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=120) as answer:
                return json.loads(answer.read())  # type: ignore[no-any-return]
        except urllib.error.HTTPError as err:
            text = err.read().decode(errors="replace")
            try:
                message = str(json.loads(text)["error"])
            except (ValueError, KeyError, TypeError):
                message = f"{err.code} {text[:300]}"
            if err.code in (401, 403):
                raise StorageError(f"the server at {self.url} refused: {message} (set "
                                   "FOOTFALL_TOKEN to an API token)") from err  # fmt: skip
            raise QueryError(message) from err
        except urllib.error.URLError as err:
            raise StorageError(
                f"the database is busy and its server at {self.url} does not answer: {err.reason}"
            ) from err


def report_params(site: str, period: str | None, start: str | None, end: str | None,
                  filters: list[str], compare: str | None, include_bots: bool,
                  interval: str | None, limit: int, offset: int, options: dict[str, str],
                  explain: bool) -> list[tuple[str, str]]:  # fmt: skip
    """The URL query of ``/api/v1/report/NAME`` that asks what the CLI's flags ask."""
    params = [("site", site), ("limit", str(limit)), ("offset", str(offset))]
    for key, value in (("period", period), ("from", start), ("to", end), ("compare", compare),
                       ("interval", interval)):  # fmt: skip
        if value:
            params.append((key, value))
    params += [("filter", f) for f in filters]
    if include_bots:
        params.append(("include_bots", "1"))
    if explain:
        params.append(("explain", "1"))
    return params + sorted(options.items())
