"""Exceptions raised by the registry calls and by strict conversion.

The classes mirror the ``modelwatch`` CLI's exit codes (README, "Registering and promoting
from CI"), so a Python pipeline can branch exactly as a shell pipeline does::

    1  refused (Refused): GateRefused (422, each failed gate listed) or Conflict (409)
    2  usage: BadRequest (400) or NotFound (404)
    3  auth: AuthError (401/403, or no token)
    4  unreachable: Unreachable (network error, timeout, 5xx)

Every exception carries ``exit_code``; API errors also carry ``status`` (HTTP status, or
``None`` when no answer came), ``message`` (the exporter's ``error`` text), ``details`` (its
``details`` value, as sent) and ``code`` (the body's stable ``code`` string, when the exporter
sends one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, List, Optional, Type


class ModelwatchError(Exception):
    """Base class of every error this package raises."""

    exit_code: int = 4

    def __init__(self, message: str, status: Optional[int] = None, details: Any = None, code: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = details
        self.code = code


class BadRequest(ModelwatchError):
    """400: the exporter refused the request body; ``details`` names each bad field."""

    exit_code = 2


class BodyTooLarge(BadRequest):
    """A request body over the exporter's size limit (``MODELWATCH_MAX_BODY_BYTES``, 32 MiB by
    default), refused before it was sent: the exporter would answer 413 ``request body too large``.
    ``size`` and ``limit`` are bytes."""

    def __init__(self, message: str, size: int, limit: int) -> None:
        super().__init__(f"{message}: {size} bytes, over the limit of {limit}", None, None, "MW_ERR_BODY_TOO_LARGE")
        self.size = size
        self.limit = limit


class NotFound(ModelwatchError):
    """404: unknown model or version."""

    exit_code = 2


class Refused(ModelwatchError):
    """The exporter refused a registry change (exit code 1): see GateRefused and Conflict."""

    exit_code = 1


class Conflict(Refused):
    """409: not allowed from the current stage, already registered, nothing to roll back to,
    or a concurrent change won."""

    exit_code = 1


@dataclass(frozen=True)
class FailedGate:
    """One quality gate a promotion failed, as the exporter reports it.

    ``gate`` is the gate's name (``min_accuracy``, ``max_latency_ms``, …), ``metric`` the
    registered metric it reads, ``required`` its threshold and ``actual`` the version's value
    (``None`` when the version has no such metric).
    """

    gate: str
    metric: str
    required: float
    actual: Optional[float]

    def __str__(self) -> str:
        actual = "missing" if self.actual is None else repr(self.actual)
        return f"{self.gate}: {self.metric} {actual} (required {self.required})"


class GateRefused(Refused):
    """422: the promotion was refused by quality gates; ``failed_gates`` lists every one."""

    exit_code = 1

    def __init__(self, message: str, status: Optional[int] = None, details: Any = None, code: Optional[str] = None) -> None:
        super().__init__(message, status, details, code)
        self.failed_gates: List[FailedGate] = [
            FailedGate(
                gate=str(d.get("gate")),
                metric=str(d.get("metric")),
                required=float(d.get("required", math.nan)),
                actual=None if d.get("actual") is None else float(d["actual"]),
            )
            for d in (details if isinstance(details, list) else [])
            if isinstance(d, dict)
        ]


class AuthError(ModelwatchError):
    """401/403, or no token configured: the token is missing, invalid, revoked or its role is
    too low for the call."""

    exit_code = 3


class Unreachable(ModelwatchError):
    """The exporter could not be reached (refused connection, DNS, timeout) or answered 5xx."""

    exit_code = 4


class ConversionError(ModelwatchError, ValueError):
    """A value cannot be sent as JSON the exporter accepts; ``field`` names where it was
    (``features.age``, ``score``, …)."""

    exit_code = 2

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def error_for(status: int, message: str, details: Any, code: Optional[str] = None) -> ModelwatchError:
    """The exception for an HTTP error status, as the CLI maps statuses to exit codes."""
    if status == 422:
        cls: Type[ModelwatchError] = GateRefused
    elif status == 409:
        cls = Conflict
    elif status in (401, 403):
        cls = AuthError
    elif status == 404:
        cls = NotFound
    elif status >= 500:
        cls = Unreachable
    else:
        cls = BadRequest
    return cls(message, status, details, code)
