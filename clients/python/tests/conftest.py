"""Fixtures: a real exporter on a loopback port, and a check of every request the client sends.

The exporter is the built one (``exporter/dist``, which ``npm test`` builds first), started as
``node exporter/dist/cli/main.js serve`` with its data in a temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from modelwatch import _http

from openapi_check import request_errors

REPO = Path(__file__).resolve().parents[3]
MAIN_JS = REPO / "exporter" / "dist" / "cli" / "main.js"
ADMIN_TOKEN = "python-client-admin-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, token: str = "") -> Tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(req, timeout=10) as res:
        return res.status, res.read()


class Exporter:
    """A running exporter: ``url``, the admin ``token``, its OpenAPI ``doc``, ``metrics()``."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.doc: Dict[str, Any] = json.loads(http_get(f"{url}/api/v1/openapi.json")[1])

    def metrics(self) -> Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float]:
        """Parsed ``/metrics``: ``{(name, sorted label pairs): value}``."""
        return parse_metrics(http_get(f"{self.url}/metrics")[1].decode())

    def value(self, name: str, **labels: str) -> float:
        want = set(labels.items())
        found = [v for (n, ls), v in self.metrics().items() if n == name and want <= set(ls)]
        assert len(found) == 1, f"{name}{labels}: {len(found)} series"
        return found[0]


def parse_metrics(text: str) -> Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float]:
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        name, _, rest = series.partition("{")
        labels = []
        for part in _split_labels(rest.rstrip("}")):
            k, _, v = part.partition("=")
            labels.append((k, json.loads(v)))
        out[(name, tuple(sorted(labels)))] = float(value)
    return out


def _split_labels(text: str) -> List[str]:
    parts, cur, quoted, escaped = [], "", False, False
    for ch in text:
        if ch == "," and not quoted:
            parts.append(cur)
            cur = ""
            continue
        cur += ch
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
    if cur:
        parts.append(cur)
    return parts


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sends_invalid_values: the test sends values the document refuses, on purpose")


@pytest.fixture(scope="session")
def exporter() -> Iterator[Exporter]:
    if not MAIN_JS.exists():
        pytest.fail(f"{MAIN_JS} is missing: run `npm run build` first (npm test does)")
    data_dir = tempfile.mkdtemp(prefix="modelwatch-py-")
    port = free_port()
    env = dict(
        os.environ,
        MODELWATCH_PORT=str(port),
        MODELWATCH_HOST="127.0.0.1",
        MODELWATCH_DATA_DIR=data_dir,
        MODELWATCH_ADMIN_TOKEN=ADMIN_TOKEN,
        MODELWATCH_LOG_LEVEL="warn",
    )
    proc = subprocess.Popen(["node", str(MAIN_JS), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if http_get(f"{url}/readyz")[0] == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"exporter did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.1)
    try:
        yield Exporter(url, ADMIN_TOKEN)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def openapi_doc(exporter: Exporter) -> Dict[str, Any]:
    return exporter.doc


@pytest.fixture(autouse=True)
def sent_requests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[List[Tuple[str, str, Any]]]:
    """Records every request the client sends; after the test, each must conform to the
    exporter's OpenAPI document (a field the document does not define fails the test)."""
    sent: List[Tuple[str, str, Any]] = []
    real = _http.Transport.request

    def recording(self: _http.Transport, method: str, path: str, body: Any = None, query: Any = None) -> Any:
        sent.append((method, path, json.loads(json.dumps(body)) if body is not None else None))
        return real(self, method, path, body, query)

    monkeypatch.setattr(_http.Transport, "request", recording)
    yield sent
    if not sent:
        return
    doc = request.getfixturevalue("openapi_doc")
    problems = [p for method, path, body in sent for p in request_errors(doc, method, path, body)]
    if request.node.get_closest_marker("sends_invalid_values"):
        # the test sends a bad value on purpose to get a 400; field names must still be defined
        problems = [p for p in problems if "not defined by the document" in p]
    assert not problems, "requests outside the OpenAPI document:\n" + "\n".join(problems[:20])
