"""The data-exchange platform client against a local fake server, and the PostgreSQL COPY path."""

from __future__ import annotations

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from adapters.sources.exchange import ExchangePopulationClient
from adapters.sources.interfaces import PopulationSource
from adapters.store import Store
from linkage.domain import PersonRecord, Sex

ITEMS = [{"id": f"X{i}", "name": f"Nguyễn Văn {chr(65 + i)}", "sex": "M", "dob": "1990-01-02"}
         for i in range(5)]
ITEMS.append({"id": "X9", "name": "", "sex": "M", "dob": "1990-01-02"})


class FakePlatform(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        query = parse_qs(url.query)
        cursor, limit = int(query["cursor"][0]), int(query["limit"][0])
        if self.headers.get("Authorization") != "Bearer t0ken" or url.path != "/v1/population/identities":
            self.send_response(403)
            self.end_headers()
            return
        page, after = ITEMS[cursor:cursor + limit], cursor + limit
        body = json.dumps({"items": page, "next_cursor": after if after < len(ITEMS) else None})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def platform_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePlatform)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_platform_client_pages_validates_and_resumes(platform_url: str) -> None:
    client = ExchangePopulationClient(platform_url, token="t0ken", page_size=2)
    assert isinstance(client, PopulationSource)
    rows = list(client.rows())
    assert [r.record.record_id for r in rows if r.record] == ["X0", "X1", "X2", "X3", "X4"]
    assert [r.reason for r in rows if not r.record] == ["full_name: is required"]
    resumed = list(client.rows(start_line=4, start_offset=rows[3].end_offset))
    assert [r.record.record_id for r in resumed if r.record] == ["X4"]


def test_platform_refusal_is_an_error(platform_url: str) -> None:
    from adapters.sources.exchange import ExchangeError

    with pytest.raises(ExchangeError):
        list(ExchangePopulationClient(platform_url, token="wrong").rows())


@pytest.mark.postgres
def test_copy_path_matches_add_many(postgres_schema_url: str, store_crypto) -> None:
    store = Store(postgres_schema_url, store_crypto)
    store.migrate()
    people = [PersonRecord("population", f"C{i}", f"Trần Thị {i}", Sex.FEMALE, "2001-05-03",
                           pid=f"0011010{i:05d}") for i in range(300)]
    with store.unit_of_work() as uow:
        assert uow.imports.copy_identities(people) == 300
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.imports.copy_identities(people) == 0          # idempotent
        assert uow.identities.add_many(people) == 0              # same fingerprints as the repository's
        moved = dataclasses.replace(people[0], birth_place="Huế")
        assert uow.imports.copy_identities([moved]) == 1
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.identities.get("C0").birth_place == "Huế"
        assert uow.identities.get_by_pid("001101000007").record_id == "C7"
        assert uow.identities.count() == 300
    store.dispose()

