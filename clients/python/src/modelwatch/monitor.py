"""The monitoring client a model server uses: predictions, labels, KPIs, reference samples."""

from __future__ import annotations

import atexit
import logging
import time
import uuid
import weakref
from typing import Any, Dict, Mapping, Optional, Sequence, Union, cast

from . import convert
from ._http import NetworkError, Transport, segment
from ._sender import Counters, Sender
from .errors import ConversionError, Unreachable, error_for
from .limits import MAX_BATCH_EVENTS, MAX_BATCH_EVENTS_MESSAGE, MAX_BODY_BYTES, name_problem
from .timing import Timed, track

log = logging.getLogger("modelwatch")

EventId = Union[str, int]


class Monitor:
    """Logs the predictions of one model version to a modelwatch exporter, in the background.

    ``log_prediction``, ``log_label`` and ``log_kpis`` return at once: the event is converted
    on the caller's thread (a few microseconds), appended to a bounded queue, and a background
    thread sends batches of up to ``batch_size`` events, at least every ``flush_interval``
    seconds. When ``max_queue`` events are waiting, new ones are dropped and counted rather
    than blocking the model server or growing memory. Nothing here raises because the exporter
    is down or refuses a batch; that is logged on the ``"modelwatch"`` logger and counted
    (:attr:`counters`).

    Args:
        model, version: what the events belong to (names as the exporter's API accepts).
        url: exporter base URL; default ``$MODELWATCH_URL``, then ``http://127.0.0.1:9400``.
        token: bearer token with the ``ingest`` role; default ``$MODELWATCH_TOKEN``.
        batch_size: events per request (at most the exporter's limit, 50,000 by default).
        flush_interval: seconds a partial batch may wait.
        max_queue: events held while the exporter is slow or down.
        timeout: seconds per HTTP request.
        max_retries: retries of a batch on network errors, 5xx and 429.
        backoff, max_backoff: seconds; retry n waits a random time in
            [0, min(max_backoff, backoff · 2^n)].
        feature_names: lets ``features`` be a sequence or numpy row in that order.
        classes: lets ``scores`` be a sequence (e.g. a ``predict_proba`` row) in that order.
        positive_class: the class a binary ``score`` is the probability of, sent with every batch
            of predictions. Needed when the classes are not ``0``/``1`` or ``"true"``/``"false"``
            (e.g. ``"yes"``/``"no"``): without it the exporter refuses scored batches with a 400
            naming ``positive_class``, rather than guess.
        strict: raise :class:`~modelwatch.errors.ConversionError` for a value that cannot be
            sent, instead of logging it (with the field name) and counting it as ``invalid``.
        atexit_timeout: seconds the interpreter's exit waits to send what is queued;
            ``None`` registers no exit hook.
        max_body_bytes: the exporter's ``MODELWATCH_MAX_BODY_BYTES`` (32 MiB by default). A
            batch whose JSON is larger is split before sending rather than refused with 413.

    The exporter's limits are checked before sending, with its own messages
    (:mod:`modelwatch.limits`): ``model``/``version`` names (``ConversionError`` here),
    ``batch_size`` (at most 50,000, ``ValueError``), feature and KPI names, numbers of magnitude
    at most 1e100, and keys that would collide as text (``1`` and ``"1"``), per event.
    """

    def __init__(
        self,
        model: str,
        version: str,
        *,
        url: Optional[str] = None,
        token: Optional[str] = None,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        max_queue: int = 10_000,
        timeout: float = 5.0,
        max_retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        feature_names: Optional[Sequence[str]] = None,
        classes: Optional[Sequence[Any]] = None,
        positive_class: Any = None,
        strict: bool = False,
        atexit_timeout: Optional[float] = 5.0,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        if batch_size < 1 or max_queue < 1:
            raise ValueError("batch_size and max_queue must be at least 1")
        if batch_size > MAX_BATCH_EVENTS:
            raise ValueError(f"batch_size {batch_size}: {MAX_BATCH_EVENTS_MESSAGE}")
        # Every batch would be refused with a 400: say so now, in the exporter's words.
        for kind, name in (("model", model), ("version", version)):
            problem = name_problem(kind, name) if isinstance(name, str) else f"{kind} must be a string"
            if problem is not None:
                raise ConversionError(kind, problem)
        self.model = model
        self.version = version
        self.feature_names = list(feature_names) if feature_names is not None else None
        self.classes = [str(convert.label(c, "classes")) for c in classes] if classes is not None else None
        self.strict = strict
        self.positive_class = convert.label(positive_class, "positive_class") if positive_class is not None else None
        self._transport = Transport(url, token, timeout, max_body_bytes)
        self._sender = Sender(
            self._transport,
            model,
            version,
            positive_class=self.positive_class,
            max_queue=max_queue,
            batch_size=batch_size,
            flush_interval=flush_interval,
            max_retries=max_retries,
            backoff=backoff,
            max_backoff=max_backoff,
        )
        self._closed = False
        if atexit_timeout is not None:
            # a weak reference: the hook must not keep an abandoned client alive
            ref = weakref.ref(self)
            self._atexit = lambda: _close_at_exit(ref, atexit_timeout)
            atexit.register(self._atexit)

    # ---------------------------------------------------------------- events

    def log_prediction(
        self,
        features: Any = None,
        prediction: Any = None,
        *,
        id: Optional[EventId] = None,
        score: Any = None,
        scores: Any = None,
        latency_ms: Any = None,
        error: Any = None,
        timestamp: Any = None,
        label: Any = None,
    ) -> EventId:
        """Queues one prediction event and returns its id (generated when not given; pass it
        to :meth:`log_label` when the truth is known).

        ``features``: mapping, pandas Series / one-row DataFrame, or a sequence with
        ``feature_names``. ``prediction``: class or value (required unless ``error``).
        ``score``: probability of the positive class (binary). ``scores``: mapping class →
        probability, or a sequence with ``classes``. ``latency_ms``: milliseconds (a
        ``timedelta`` is accepted). ``error``: True, a short reason string, or an exception
        (its class name is the reason). ``timestamp``: datetime or Unix seconds; default now.
        """
        event_id = id if id is not None else uuid.uuid4().hex
        try:
            event = self._prediction_event(event_id, features, prediction, score, scores, latency_ms, error, timestamp, label)
        except Exception as err:  # noqa: BLE001 - a caller's odd value must never break its predict path
            self._invalid("prediction", event_id, _as_conversion_error(err))
            return event_id
        self._sender.put(("prediction", event))
        return event_id

    def log_label(self, id: EventId, label: Any) -> bool:
        """Queues the ground truth for an earlier prediction (joined by ``id``); False when it
        was dropped or could not be converted."""
        try:
            event = {"id": _event_id(id), "label": convert.label(label, "label")}
        except Exception as err:  # noqa: BLE001 - see log_prediction
            self._invalid("label", id, _as_conversion_error(err))
            return False
        return self._sender.put(("label", event))

    def log_kpis(self, kpis: Mapping[str, Any]) -> bool:
        """Queues business KPIs (``{name: number}``); the exporter exposes the latest value of
        each. Missing (None/NaN) values are left out. False when dropped or not convertible."""
        try:
            values: Dict[str, float] = {}
            for name, value, _ in convert.distinct_names(kpis.items(), "kpis"):
                field = f"kpis.{name}"
                v = convert.number(value, field)
                if v is not None:
                    values[convert.feature_name(name, field, "KPI name")] = cast(float, convert.bounded(v, field))
        except Exception as err:  # noqa: BLE001 - see log_prediction
            self._invalid("KPI report", None, _as_conversion_error(err))
            return False
        return bool(values) and self._sender.put(("kpis", values))

    def upload_reference(
        self,
        data: Any,
        predictions: Any = None,
        *,
        positive_class: Any = None,
        task: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Sets this version's reference (training) sample, which drift is measured against.

        Synchronous (it is a one-off call at deploy time) and raises on failure:
        :class:`~modelwatch.errors.BadRequest` naming each bad feature,
        :class:`~modelwatch.errors.AuthError`, :class:`~modelwatch.errors.Unreachable`,
        :class:`~modelwatch.errors.ConversionError`.

        ``data``: a pandas DataFrame, ``{name: [values]}``, a list of row mappings, or a 2-d
        array with ``feature_names``. ``predictions``: the model's outputs on that sample.
        ``task``: ``"classification"`` or ``"regression"``. Returns the exporter's profile
        summary (``features: {name: {kind, count, missing}}``, ``dropped_features``, …).
        """
        body: Dict[str, Any] = {"features": convert.columns(data, "features", self.feature_names)}
        if predictions is not None:
            body["predictions"] = convert.bounded_all(convert.sequence(predictions, "predictions"), "predictions")
        if positive_class is not None:
            body["positive_class"] = convert.label(positive_class, "positive_class")
        if task is not None:
            body["task"] = task
        path = f"/api/v1/models/{segment(self.model)}/versions/{segment(self.version)}/reference"
        try:
            res = self._transport.request("PUT", path, body)
        except NetworkError as err:
            raise Unreachable(str(err)) from err
        if not res.ok:
            raise error_for(res.status, res.error_message(), res.details(), res.code())
        return res.body if isinstance(res.body, dict) else {}

    # ---------------------------------------------------------------- timing helpers

    def track(self, func: Any = None, **options: Any) -> Any:
        """Decorator: times the call, logs its result as the prediction (or the exception as
        the error, re-raised). See :func:`modelwatch.timing.track` for ``options``."""
        return track(self, func, **options)

    def timed(self, features: Any = None, *, id: Optional[EventId] = None) -> Timed:
        """Context manager: ``with monitor.timed(features) as t: t.prediction = …``; logs the
        elapsed time, and the exception as the error (re-raised)."""
        return Timed(self, features, id)

    # ---------------------------------------------------------------- lifecycle

    @property
    def counters(self) -> Counters:
        """Sent / dropped / failed / invalid / pending events, as of now."""
        return self._sender.counters()

    def flush(self, timeout: Optional[float] = 10.0) -> bool:
        """Sends what is queued now; True when all of it was handled within ``timeout`` s."""
        return self._sender.flush(timeout)

    def close(self, timeout: Optional[float] = 10.0) -> bool:
        """Sends what is queued (at most ``timeout`` s), then stops the background thread.
        Later events are dropped and counted. Safe to call twice."""
        if self._closed:
            return True
        self._closed = True
        hook = getattr(self, "_atexit", None)
        if hook is not None:
            atexit.unregister(hook)
        return self._sender.close(timeout)

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---------------------------------------------------------------- internals

    def _prediction_event(
        self,
        event_id: EventId,
        features: Any,
        prediction: Any,
        score: Any,
        scores: Any,
        latency_ms: Any,
        error: Any,
        timestamp: Any,
        label: Any,
    ) -> Dict[str, Any]:
        event: Dict[str, Any] = {"id": _event_id(event_id)}
        ts = time.time() if timestamp is None else convert.number(timestamp, "timestamp")
        if ts is not None:
            event["timestamp"] = ts
        event["features"] = convert.row(features, "features", self.feature_names)
        if error is not None and error is not False:
            event["error"] = _error_reason(error)
        if prediction is not None:
            event["prediction"] = convert.label(prediction, "prediction")
        elif "error" not in event:
            raise ConversionError("prediction", "is missing (give a prediction or an error)")
        if score is not None:
            p = convert.probability(score, "score")
            if p is not None:
                event["score"] = p
        if scores is not None:
            event["scores"] = self._scores(scores)
        if latency_ms is not None:
            ms = _milliseconds(latency_ms)
            if ms is not None:
                if ms < 0:
                    raise ConversionError("latency_ms", f"{ms} is negative")
                event["latency_ms"] = ms
        if label is not None:
            event["label"] = convert.label(label, "label")
        return event

    def _scores(self, scores: Any) -> Dict[str, float]:
        if isinstance(scores, Mapping) or hasattr(scores, "items"):
            items = list(scores.items())
        elif self.classes is not None:
            values = list(scores.tolist() if hasattr(scores, "tolist") else scores)
            if len(values) != len(self.classes):
                raise ConversionError("scores", f"{len(values)} probabilities for {len(self.classes)} classes")
            items = list(zip(self.classes, values))
        else:
            raise ConversionError("scores", "a sequence needs the Monitor's classes= (e.g. model.classes_)")
        out: Dict[str, float] = {}
        # classes 1 and "1" are one class to the exporter: refuse rather than keep either probability
        named = convert.distinct_names(((convert.label(cls, "scores"), p) for cls, p in items), "scores")
        for name, p, _ in named:
            v = convert.probability(p, f"scores.{name}")
            if v is None:
                raise ConversionError(f"scores.{name}", "is missing (None or NaN)")
            out[name] = v
        return out

    def _invalid(self, what: str, event_id: Any, err: ConversionError) -> None:
        if self.strict:
            raise err
        self._sender.count_invalid()
        log.warning("modelwatch: %s %r not logged: %s", what, event_id, err)


def _as_conversion_error(err: Exception) -> ConversionError:
    """Any failure while reading the caller's values (a ``__str__`` or ``items()`` that raises,
    a signalling-NaN ``Decimal``) is reported like a value that cannot be sent: the issue's
    promise is that nothing raises into the model server's code path."""
    if isinstance(err, ConversionError):
        return err
    wrapped = ConversionError("event", f"could not be read: {type(err).__name__}: {err}")
    wrapped.__cause__ = err
    return wrapped


def _event_id(value: Any) -> Union[str, int]:
    out = convert.scalar(value, "id")
    if out is None or out == "":
        raise ConversionError("id", "is missing")
    if isinstance(out, float):
        if not out.is_integer():
            raise ConversionError("id", f"{out} is not an integer or a string")
        return int(out)
    return out


def _error_reason(error: Any) -> Union[str, bool]:
    if error is True:
        return True
    if isinstance(error, BaseException):
        return type(error).__name__[:64]
    reason = str(error)[:64]
    return reason or True


def _milliseconds(value: Any) -> Optional[float]:
    if hasattr(value, "total_seconds") and not hasattr(value, "dtype"):
        return float(value.total_seconds()) * 1000.0
    return convert.number(value, "latency_ms")


def _close_at_exit(ref: "weakref.ReferenceType[Monitor]", timeout: float) -> None:
    monitor = ref()
    if monitor is not None:
        monitor.close(timeout)
