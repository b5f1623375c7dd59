"""Registry calls for CI pipelines: register, promote, roll back, read.

Synchronous and never retried (a promotion whose answer was lost must not be replayed
blindly); failures raise the exceptions of :mod:`modelwatch.errors`, whose ``exit_code``
matches the ``modelwatch`` CLI's.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from . import convert
from ._http import NetworkError, Transport, segment
from .errors import AuthError, ConversionError, Unreachable, error_for

STAGES = ("development", "staging", "production", "archived")
_LINEAGE_TEXT = ("data_version", "code_commit", "artifact_uri", "parent_version")


class Registry:
    """The exporter's model registry.

    ``url`` defaults to ``$MODELWATCH_URL`` then ``http://127.0.0.1:9400``; ``token`` to
    ``$MODELWATCH_TOKEN`` (``viewer`` reads, ``operator`` registers/promotes/rolls back,
    ``admin`` forces). ``timeout`` is seconds per request.

    Raises from every call: :class:`~modelwatch.errors.AuthError` (exit 3),
    :class:`~modelwatch.errors.Unreachable` (exit 4), :class:`~modelwatch.errors.NotFound` /
    :class:`~modelwatch.errors.BadRequest` (exit 2), and for changes
    :class:`~modelwatch.errors.GateRefused` / :class:`~modelwatch.errors.Conflict` (exit 1).
    """

    def __init__(self, url: Optional[str] = None, token: Optional[str] = None, timeout: float = 30.0) -> None:
        self._transport = Transport(url, token, timeout)

    # ---------------------------------------------------------------- changes

    def create_model(self, name: str, *, description: Optional[str] = None, team: Optional[str] = None) -> Dict[str, Any]:
        """Creates a model (registering a version also creates it). Conflict if it exists."""
        body: Dict[str, Any] = {"name": name}
        if description is not None:
            body["description"] = description
        if team is not None:
            body["team"] = team
        return self._call("POST", "/api/v1/models", body)

    def register(
        self,
        model: str,
        version: str,
        *,
        metrics: Optional[Mapping[str, Any]] = None,
        lineage: Optional[Mapping[str, Any]] = None,
        description: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Registers ``version`` of ``model`` in ``development``.

        ``metrics``: validation metrics, ``{name: number}`` (``accuracy`` in [0, 1],
        ``latency_ms`` in milliseconds, any other numbers; numpy values accepted). ``lineage``:
        ``data_version``, ``code_commit``, ``artifact_uri``, ``parent_version`` (strings),
        ``hyperparameters`` (``{name: str | number | bool | None}``), ``environment`` and
        ``tags`` (``{name: str}``). Returns the version as stored. Conflict if it exists.
        """
        body: Dict[str, Any] = {"version": version}
        if description is not None:
            body["description"] = description
        if metrics:
            body["metrics"] = {str(k): _required_number(v, f"metrics.{k}") for k, v in metrics.items()}
        if lineage:
            body["lineage"] = _lineage(lineage)
        return self._call("POST", f"/api/v1/models/{segment(model)}/versions", body)

    def promote(
        self, model: str, version: str, to: str, reason: str, *, force: bool = False, allow_empty_production: bool = False
    ) -> Dict[str, Any]:
        """Moves a version to stage ``to`` (one of :data:`STAGES`).

        Raises :class:`~modelwatch.errors.GateRefused` (``failed_gates`` lists every failed
        gate) or :class:`~modelwatch.errors.Conflict` (not allowed from the current stage, or
        the production version would leave production with no replacement).
        ``force`` (admin) skips the gates; ``allow_empty_production`` confirms moving the
        production version out with nothing in its place (recorded in the audit log).
        """
        if to not in STAGES:
            raise ValueError(f"to must be one of {', '.join(STAGES)}, got {to!r}")
        body: Dict[str, Any] = {"to": to, "reason": reason}
        if force:
            body["force"] = True
        if allow_empty_production:
            body["allow_empty_production"] = True
        return self._call("POST", f"/api/v1/models/{segment(model)}/versions/{segment(version)}/transitions", body)

    def rollback(self, model: str, reason: str, *, from_version: Optional[str] = None) -> Dict[str, Any]:
        """Returns the previous production version to production and archives the current
        one. With ``from_version``, acts only while that version is in production.
        Raises :class:`~modelwatch.errors.Conflict` when there is nothing to roll back to."""
        body: Dict[str, Any] = {"reason": reason}
        if from_version is not None:
            body["from_version"] = from_version
        return self._call("POST", f"/api/v1/models/{segment(model)}/rollback", body)

    # ---------------------------------------------------------------- reads

    def models(self) -> Any:
        """Every model: ``[{name, description, team, production_version, gates, …}]``."""
        return self._call("GET", "/api/v1/models").get("models", [])

    def model(self, model: str) -> Dict[str, Any]:
        """One model, with its production version and effective gates."""
        return self._call("GET", f"/api/v1/models/{segment(model)}")

    def versions(self, model: str) -> Any:
        """The model's versions with stage, metrics and lineage."""
        body = self._call("GET", f"/api/v1/models/{segment(model)}/versions")
        return body.get("versions", body)

    def version(self, model: str, version: str) -> Dict[str, Any]:
        """One version: ``{model, version, stage, metrics, lineage, predecessor, …}``."""
        return self._call("GET", f"/api/v1/models/{segment(model)}/versions/{segment(version)}")

    def transitions(self, model: str) -> Any:
        """The model's stage transitions, newest first."""
        body = self._call("GET", f"/api/v1/models/{segment(model)}/transitions")
        return body.get("transitions", body)

    def gates(self, model: str) -> Dict[str, Any]:
        """The model's effective quality gates: ``{model, gates: {staging, production}, overridden}``."""
        return self._call("GET", f"/api/v1/models/{segment(model)}/gates")

    # ---------------------------------------------------------------- internals

    def _call(self, method: str, path: str, body: Any = None) -> Dict[str, Any]:
        if not self._transport.has_token:
            raise AuthError("no token: pass token= or set MODELWATCH_TOKEN")
        try:
            res = self._transport.request(method, path, body)
        except NetworkError as err:
            raise Unreachable(str(err)) from err
        if not res.ok:
            raise error_for(res.status, res.error_message(), res.details(), res.code())
        return res.body if isinstance(res.body, dict) else {}


def _required_number(value: Any, field: str) -> float:
    out = convert.number(value, field)
    if out is None:
        raise ConversionError(field, "is missing (None or NaN)")
    return out


def _lineage(lineage: Mapping[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for key, value in lineage.items():
        if key in _LINEAGE_TEXT:
            out[key] = str(value)
        elif key == "hyperparameters":
            out[key] = {str(k): _hyperparameter(v, f"lineage.hyperparameters.{k}") for k, v in value.items()}
        elif key in ("environment", "tags"):
            out[key] = {str(k): str(v) for k, v in value.items()}
        else:
            raise ConversionError(
                f"lineage.{key}",
                "unknown lineage field (data_version, code_commit, artifact_uri, parent_version, hyperparameters, environment, tags)",
            )
    return out


def _hyperparameter(value: Any, field: str) -> Any:
    # booleans stay booleans here: the API takes them, and `True` reads better than `1`
    if value is True or value is False or type(value).__name__ == "bool_":
        return bool(value)
    return convert.scalar(value, field)
