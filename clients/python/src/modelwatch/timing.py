"""Two-line integration: time a predict function and log what it returned (or raised)."""

from __future__ import annotations

import functools
import inspect
import time
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Tuple, Union

if TYPE_CHECKING:  # pragma: no cover
    from .monitor import Monitor


class Timed:
    """Context manager returned by :meth:`Monitor.timed`.

    Set ``prediction`` (and ``score``/``scores``/``features``/``id`` if needed) inside the
    block; on exit one prediction event is logged with the elapsed milliseconds. An exception
    is logged as the error (its class name) and re-raised. ``id`` holds the event id after exit.
    """

    def __init__(self, monitor: "Monitor", features: Any = None, id: Optional[Union[str, int]] = None) -> None:
        self._monitor = monitor
        self.features = features
        self.id = id
        self.prediction: Any = None
        self.score: Any = None
        self.scores: Any = None
        self.latency_ms: Optional[float] = None
        self._start = 0.0

    def __enter__(self) -> "Timed":
        self._start = time.perf_counter()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.latency_ms = (time.perf_counter() - self._start) * 1000.0
        self.id = self._monitor.log_prediction(
            self.features,
            None if exc is not None else self.prediction,
            id=self.id,
            score=self.score,
            scores=self.scores,
            latency_ms=self.latency_ms,
            error=exc,
        )
        # returning None re-raises the exception, as a monitor must not swallow it


def track(
    monitor: "Monitor",
    func: Optional[Callable[..., Any]] = None,
    *,
    features: Optional[Callable[..., Any]] = None,
    id: Optional[Callable[..., Any]] = None,
    prediction: Optional[Callable[[Any], Any]] = None,
    score: Optional[Callable[[Any], Any]] = None,
    scores: Optional[Callable[[Any], Any]] = None,
) -> Any:
    """Decorates a predict function so that each call logs one prediction event.

    By default the first positional argument is the features, and the return value is the
    prediction — or, when it is a mapping, its ``prediction``, ``score``, ``scores`` and
    ``id`` keys are used. Each option overrides one of those: ``features(*args, **kwargs)``,
    ``id(*args, **kwargs)``, ``prediction(result)``, ``score(result)``, ``scores(result)``.
    Latency is measured around the call (around the ``await`` for an ``async def``); an
    exception is logged as the error and re-raised. The function's own result is returned
    unchanged.
    """

    def begin(args: Any, kwargs: Any) -> Tuple[Any, Any, float]:
        feats = features(*args, **kwargs) if features else (args[0] if args else None)
        event_id = id(*args, **kwargs) if id else None
        return feats, event_id, time.perf_counter()

    def failed(feats: Any, event_id: Any, start: float, exc: Exception) -> None:
        monitor.log_prediction(feats, None, id=event_id, latency_ms=(time.perf_counter() - start) * 1000.0, error=exc)

    def done(feats: Any, event_id: Any, start: float, result: Any) -> None:
        latency = (time.perf_counter() - start) * 1000.0
        as_map = result if isinstance(result, Mapping) else None
        pred = prediction(result) if prediction else (as_map.get("prediction") if as_map is not None else result)
        sc = score(result) if score else (as_map.get("score") if as_map is not None else None)
        scs = scores(result) if scores else (as_map.get("scores") if as_map is not None else None)
        if event_id is None and as_map is not None:
            event_id = as_map.get("id")
        monitor.log_prediction(feats, pred, id=event_id, score=sc, scores=scs, latency_ms=latency)

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):  # FastAPI-style `async def predict`: time the await

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                feats, event_id, start = begin(args, kwargs)
                try:
                    result = await fn(*args, **kwargs)
                except Exception as exc:
                    failed(feats, event_id, start, exc)
                    raise
                done(feats, event_id, start, result)
                return result

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            feats, event_id, start = begin(args, kwargs)
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:
                failed(feats, event_id, start, exc)
                raise
            done(feats, event_id, start, result)
            return result

        return wrapper

    return decorate(func) if func is not None else decorate
