"""The background thread that sends queued events in batches, with retries.

The caller's thread only appends to a bounded deque under a lock (microseconds); everything
that can wait on the network happens here. Delivery rules:

- 2xx: the events count as ``sent``.
- network error, 5xx, 429: retried up to ``max_retries`` times with exponential backoff and
  full jitter (a random delay in [0, min(max_backoff, backoff · 2^attempt)] seconds), then the
  events count as ``failed``.
- a body over the exporter's size limit is not sent: the batch is split in halves until each
  fits (an event too large on its own counts as ``failed``), as the exporter would answer 413.
- other 4xx: not retried; the exporter's message (field and problem) is logged at ERROR and the
  events count as ``failed``. When a 400 names the bad events (``events[i]…``), the other
  events of the batch are sent once more without them, so one bad event does not lose the rest.
"""

from __future__ import annotations

import logging
import os
import random
import re
import threading
import weakref
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Deque, Dict, List, Optional, Set, Tuple

from ._http import NetworkError, Response, Transport
from .errors import BodyTooLarge

log = logging.getLogger("modelwatch")

# Queue items: (kind, payload); kind is "prediction", "label" or "kpis".
Item = Tuple[str, Dict[str, Any]]

_EVENT_PATH = re.compile(r"^events\[(\d+)\]")


@dataclass(frozen=True)
class Counters:
    """What happened to the events given to a :class:`~modelwatch.Monitor`.

    ``sent``: accepted by the exporter. ``dropped``: discarded without being sent (queue full,
    client closed, or still queued when ``close`` timed out). ``failed``: refused by the
    exporter (4xx) or still failing after every retry. ``invalid``: not queued because a value
    could not be converted. ``pending``: queued or in flight now.
    """

    sent: int
    dropped: int
    failed: int
    invalid: int
    pending: int


class Sender:
    """Bounded queue plus the thread that drains it (see the module docstring)."""

    def __init__(
        self,
        transport: Transport,
        model: str,
        version: str,
        *,
        positive_class: Any = None,
        max_queue: int,
        batch_size: int,
        flush_interval: float,
        max_retries: int,
        backoff: float,
        max_backoff: float,
    ) -> None:
        self._transport = transport
        self._model = model
        self._version = version
        self._positive_class = positive_class
        self._max_queue = max_queue
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._max_retries = max_retries
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._queue: Deque[Item] = deque()
        self._cond = threading.Condition(threading.Lock())
        self._stop = threading.Event()  # set by close(): finish what is queued, then exit
        self._abandon = threading.Event()  # set when close() times out: stop retrying now
        self._flush_wanted = False
        self._enqueued = 0  # items ever accepted into the queue
        self._handled = 0  # items sent, failed or dropped after being queued
        self._in_flight = 0
        self.sent = 0
        self.dropped = 0
        self.failed = 0
        self.invalid = 0
        self._thread = self._start_thread()
        if hasattr(os, "register_at_fork"):
            # servers that fork workers after import (gunicorn --preload, multiprocessing) would
            # otherwise inherit a queue with no thread behind it
            ref = weakref.ref(self)
            os.register_at_fork(after_in_child=lambda: _after_fork(ref))

    def _start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, name=f"modelwatch-sender-{self._model}", daemon=True)
        thread.start()
        return thread

    def _reset_in_child(self) -> None:
        """After fork: fresh locks, an empty queue (the parent sends its own events), zero
        counters, and a sender thread of the child's own unless the client was closed."""
        closed = self._stop.is_set()
        self._queue = deque()
        self._cond = threading.Condition(threading.Lock())
        self._stop = threading.Event()
        self._abandon = threading.Event()
        self._flush_wanted = False
        self._enqueued = self._handled = self._in_flight = 0
        self.sent = self.dropped = self.failed = self.invalid = 0
        if closed:
            self._stop.set()
        else:
            self._thread = self._start_thread()

    # ---------------------------------------------------------------- caller's thread

    def put(self, item: Item) -> bool:
        """Queues one item; False (and counted as dropped) when full or closed. Never blocks
        on the network: the lock is only ever held for deque operations."""
        with self._cond:
            if self._stop.is_set() or len(self._queue) >= self._max_queue:
                self.dropped += 1
                return False
            self._queue.append(item)
            self._enqueued += 1
            if len(self._queue) == self._batch_size:
                self._cond.notify()
            return True

    def count_invalid(self) -> None:
        with self._cond:
            self.invalid += 1

    def counters(self) -> Counters:
        with self._cond:
            return Counters(self.sent, self.dropped, self.failed, self.invalid, len(self._queue) + self._in_flight)

    def flush(self, timeout: Optional[float]) -> bool:
        """Waits until every item queued before the call is sent, failed or dropped; False on
        timeout."""
        with self._cond:
            target = self._enqueued
            self._flush_wanted = True
            self._cond.notify_all()
            return self._cond.wait_for(lambda: self._handled >= target, timeout)

    def close(self, timeout: Optional[float]) -> bool:
        """Sends what is queued (waiting at most ``timeout`` seconds), then stops the thread.
        What is still queued after the timeout is counted as dropped."""
        done = self.flush(timeout)
        with self._cond:
            self._stop.set()
            if not done:
                self._abandon.set()
            self._cond.notify_all()
        # bounded either way: events logged after the flush may still be retrying
        self._thread.join(timeout=1.0 if not done else timeout)
        with self._cond:
            left = len(self._queue)
            if left:
                self._queue.clear()
                self.dropped += left
                self._handled += left
                self._cond.notify_all()
        return done

    # ---------------------------------------------------------------- sender thread

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._abandon.is_set():
                    return
                # a full batch goes at once; a partial one after at most flush_interval
                self._cond.wait_for(
                    lambda: len(self._queue) >= self._batch_size or self._flush_wanted or self._stop.is_set(),
                    self._flush_interval,
                )
                if not self._queue:
                    self._flush_wanted = False
                    if self._stop.is_set():
                        return
                    continue
                n = min(self._batch_size, len(self._queue))
                batch = [self._queue.popleft() for _ in range(n)]
                self._in_flight = n
                if not self._queue:
                    self._flush_wanted = False
            try:
                self._deliver(batch)
            except Exception:  # never let a bug kill the thread: count and carry on
                log.exception("modelwatch: unexpected error while sending %d events", len(batch))
                self._done(failed=len(batch))

    def _done(self, sent: int = 0, failed: int = 0, dropped: int = 0) -> None:
        with self._cond:
            self.sent += sent
            self.failed += failed
            self.dropped += dropped
            self._handled += sent + failed + dropped
            self._in_flight -= sent + failed + dropped
            self._cond.notify_all()

    def _predictions_body(self, events: List[Any]) -> Dict[str, Any]:
        body: Dict[str, Any] = {"model": self._model, "version": self._version, "events": events}
        if self._positive_class is not None:
            body["positive_class"] = self._positive_class
        return body

    def _deliver(self, batch: List[Item]) -> None:
        predictions = [p for k, p in batch if k == "prediction"]
        labels = [p for k, p in batch if k == "label"]
        kpis = [p for k, p in batch if k == "kpis"]
        # predictions first: labels in the same batch join them at once
        if predictions:
            self._send_events(
                "prediction events",
                "/api/v1/predictions",
                lambda evs: self._predictions_body(evs),
                predictions,
            )
        if labels:
            self._send_events("labels", "/api/v1/feedback", lambda evs: {"model": self._model, "events": evs}, labels)
        if kpis:
            merged: Dict[str, Any] = {}
            for k in kpis:
                merged.update(k)
            outcome = self._post("/api/v1/kpis", {"model": self._model, "kpis": merged}, f"{len(kpis)} KPI reports")
            self._done(**{outcome: len(kpis)})

    def _send_events(self, what: str, path: str, body: Callable[[List[Any]], Any], events: List[Any]) -> None:
        try:
            res = self._attempts(path, body(events), f"{len(events)} {what}")
        except BodyTooLarge as err:
            # Over the exporter's body limit (it would answer 413): send the halves; one event
            # that alone is too large cannot be sent at all.
            if len(events) == 1:
                log.error("modelwatch: 1 of the %s not sent to %s: %s", what, path, err)
                return self._done(failed=1)
            half = len(events) // 2
            self._send_events(what, path, body, events[:half])
            return self._send_events(what, path, body, events[half:])
        if res is None:
            return self._done(dropped=len(events)) if self._abandon.is_set() else self._done(failed=len(events))
        if res.ok:
            return self._done(sent=len(events))
        bad = _bad_event_indexes(res)
        _log_refusal(f"{len(bad) if bad else len(events)} {what}", path, res)
        if res.status != 400 or not bad or len(bad) >= len(events):
            return self._done(failed=len(events))
        # the batch was refused as a whole; resend once without the events the 400 named
        rest = [e for i, e in enumerate(events) if i not in bad]
        self._done(failed=len(bad))
        retry = self._attempts(path, body(rest), f"{len(rest)} {what}")
        if retry is not None and retry.ok:
            return self._done(sent=len(rest))
        if retry is not None:
            _log_refusal(f"{len(rest)} {what}", path, retry)
        self._done(failed=len(rest))

    def _post(self, path: str, body: Any, what: str) -> str:
        try:
            res = self._attempts(path, body, what)
        except BodyTooLarge as err:
            log.error("modelwatch: %s not sent to %s: %s", what, path, err)
            return "failed"
        if res is None:
            return "dropped" if self._abandon.is_set() else "failed"
        if res.ok:
            return "sent"
        _log_refusal(what, path, res)
        return "failed"

    def _attempts(self, path: str, body: Any, what: str) -> Optional[Response]:
        """Sends with retries; the final answer, or None when retries ran out (logged)."""
        attempt = 0
        while True:
            try:
                res = self._transport.request("POST", path, body)
                problem = None if not _retryable(res.status) else f"HTTP {res.status}: {res.error_message()}"
            except NetworkError as err:
                res, problem = None, str(err)
            if problem is None:
                return res
            if attempt >= self._max_retries or self._abandon.is_set():
                log.error("modelwatch: %s not sent to %s after %d attempts: %s", what, path, attempt + 1, problem)
                return None
            delay = random.uniform(0.0, min(self._max_backoff, self._backoff * (2**attempt)))
            log.debug("modelwatch: %s to %s failed (%s); retry in %.3fs", what, path, problem, delay)
            if self._abandon.wait(delay):
                log.error("modelwatch: %s not sent to %s (client closed while retrying): %s", what, path, problem)
                return None
            attempt += 1


def _after_fork(ref: "weakref.ReferenceType[Sender]") -> None:
    sender = ref()
    if sender is not None:
        sender._reset_in_child()


def _retryable(status: int) -> bool:
    return status >= 500 or status == 429 or status == 408


def _bad_event_indexes(res: Response) -> Set[int]:
    details = res.details()
    if not isinstance(details, list):
        return set()
    out: Set[int] = set()
    for d in details:
        m = _EVENT_PATH.match(d.get("path", "")) if isinstance(d, dict) and isinstance(d.get("path"), str) else None
        if m is None:
            return set()  # a problem with the batch itself: no partial resend
        out.add(int(m.group(1)))
    return out


def _log_refusal(what: str, path: str, res: Response) -> None:
    log.error("modelwatch: exporter refused %s (%s %d, not retried): %s", what, path, res.status, res.error_message())


__all__ = ["Counters", "Sender"]
