"""A tiny stdlib HTTP server used ONLY to force what a healthy exporter never does on demand:
5xx answers and slow answers. Everything else is tested against the real exporter."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, List, Optional, Tuple


class FakeExporter:
    """Answers each request with the next of ``answers`` ((status, json body)), then with
    ``default``; waits ``delay`` seconds before answering. ``received`` holds (path, body)."""

    def __init__(self, answers: Optional[List[Tuple[int, Any]]] = None, default: Tuple[int, Any] = (200, {"accepted": 1, "dropped": {}}), delay: float = 0.0) -> None:
        self.answers = list(answers or [])
        self.default = default
        self.delay = delay
        self.received: List[Tuple[str, Any]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                with fake._lock:
                    fake.received.append((self.path, body))
                    status, answer = fake.answers.pop(0) if fake.answers else fake.default
                if fake.delay:
                    time.sleep(fake.delay)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeExporter":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
