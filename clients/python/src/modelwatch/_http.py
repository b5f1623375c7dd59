"""One JSON request to the exporter over the standard library's urllib.

Both the background sender and the registry calls go through :class:`Transport`, so the
paths, headers and error parsing live in one place. The token only ever goes into the
``Authorization`` header and is never logged.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

from ._version import __version__
from .errors import BodyTooLarge
from .limits import MAX_BODY_BYTES, MAX_BODY_BYTES_MESSAGE

DEFAULT_URL = "http://127.0.0.1:9400"


@dataclass
class Response:
    """An HTTP answer: ``status`` and the parsed JSON body (``None`` when empty or not JSON)."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def error_message(self) -> str:
        """The exporter's ``error`` text followed by every ``details`` entry that names a
        field (``path: message``), so a log line says which field was wrong and why."""
        body = self.body if isinstance(self.body, dict) else {}
        error = body.get("error")
        message: str = error if isinstance(error, str) else f"HTTP {self.status}"
        details = body.get("details")
        if isinstance(details, list):
            named = [
                f"{d['path']}: {d['message']}"
                for d in details
                if isinstance(d, dict) and isinstance(d.get("path"), str) and isinstance(d.get("message"), str)
            ]
            named = [n for n in named if n not in message]
            if named:
                message = f"{message} [{'; '.join(named)}]"
        return message

    def details(self) -> Any:
        return self.body.get("details") if isinstance(self.body, dict) else None

    def code(self) -> Optional[str]:
        code = self.body.get("code") if isinstance(self.body, dict) else None
        return code if isinstance(code, str) else None


class NetworkError(Exception):
    """No HTTP answer: refused connection, DNS failure, reset, timeout."""


class Transport:
    """Sends JSON requests to one exporter.

    ``url`` defaults to ``$MODELWATCH_URL`` then ``http://127.0.0.1:9400``; ``token`` to
    ``$MODELWATCH_TOKEN``. ``timeout`` is seconds per request (connect and each read).
    """

    def __init__(
        self,
        url: Optional[str] = None,
        token: Optional[str] = None,
        timeout: float = 5.0,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        base = url or os.environ.get("MODELWATCH_URL") or DEFAULT_URL
        self.base = base.rstrip("/")
        self._token = token if token is not None else os.environ.get("MODELWATCH_TOKEN")
        self.timeout = timeout
        self.max_body_bytes = max_body_bytes

    @property
    def has_token(self) -> bool:
        return bool(self._token)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        query: Optional[Mapping[str, Any]] = None,
    ) -> Response:
        """Sends one request; returns the answer whatever its status.

        Raises :class:`NetworkError` when no answer arrives, and
        :class:`~modelwatch.errors.BodyTooLarge` (without sending) for a body over
        ``max_body_bytes``, which the exporter would refuse with 413.
        """
        url = self.base + path
        if query:
            pairs = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in query.items() if v is not None}
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        headers: Dict[str, str] = {"Accept": "application/json", "User-Agent": f"modelwatch-python/{__version__}"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        data = None
        if body is not None:
            data = encode(body)
            if len(data) > self.max_body_bytes:
                raise BodyTooLarge(MAX_BODY_BYTES_MESSAGE, len(data), self.max_body_bytes)
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return Response(res.status, _parse(res.read()))
        except urllib.error.HTTPError as err:
            try:
                raw = err.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            return Response(err.code, _parse(raw))
        except urllib.error.URLError as err:
            raise NetworkError(f"cannot reach the exporter at {self.base} ({err.reason})") from err
        except (OSError, http.client.HTTPException) as err:
            raise NetworkError(f"cannot reach the exporter at {self.base} ({type(err).__name__}: {err})") from err


# allow_nan=False: NaN is not JSON; conversion has already turned it into null.
_dumps = json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode
_CHUNK = 50


def encode(body: Any) -> bytes:
    """``body`` as compact JSON. A long ``events`` list is serialised in chunks of 50 with the
    GIL offered between chunks: one ``json.dumps`` of a 500-event batch holds the GIL for a
    millisecond or more, and a predict call waiting for it would wait a whole switch interval
    (5 ms), the tail latency the bench shows otherwise."""
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or len(events) <= _CHUNK:
        return _dumps(body).encode("utf-8")
    head = _dumps({k: v for k, v in body.items() if k != "events"})
    parts = []
    for i in range(0, len(events), _CHUNK):
        parts.append(",".join([_dumps(e) for e in events[i : i + _CHUNK]]))
        time.sleep(0)  # releases the GIL: a waiting caller thread runs now, not in 5 ms
    sep = "," if len(head) > 2 else ""
    return f'{head[:-1]}{sep}"events":[{",".join(parts)}]}}'.encode("utf-8")


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def segment(value: str) -> str:
    """A model or version name as one path segment, whatever it contains."""
    return urllib.parse.quote(str(value), safe="")
