"""modelwatch: a client for the modelwatch exporter.

- :class:`Monitor` logs predictions, labels and KPIs from a model server in the background
  (bounded queue, batches, retries; never blocks or raises into the predict path).
- :class:`Registry` registers, promotes, rolls back and reads model versions from CI, with
  exceptions that mirror the CLI's exit codes (:mod:`modelwatch.errors`).

Only the standard library is needed; numpy and pandas values are converted when present.
"""

from ._sender import Counters
from ._version import __version__
from .errors import (
    AuthError,
    BadRequest,
    BodyTooLarge,
    Conflict,
    ConversionError,
    FailedGate,
    GateRefused,
    ModelwatchError,
    NotFound,
    Refused,
    Unreachable,
)
from .monitor import Monitor
from .registry import STAGES, Registry
from .timing import Timed

__all__ = [
    "AuthError",
    "BadRequest",
    "BodyTooLarge",
    "Conflict",
    "ConversionError",
    "Counters",
    "FailedGate",
    "GateRefused",
    "Monitor",
    "ModelwatchError",
    "NotFound",
    "Refused",
    "Registry",
    "STAGES",
    "Timed",
    "Unreachable",
    "__version__",
]
