"""Turns Python, numpy and pandas values into the JSON the exporter's API accepts.

Neither numpy nor pandas is imported: their values are recognised by duck typing, so the
package works with the standard library alone.

Rules (the same for features, predictions, labels and reference samples, so that a
prediction and its label compare equal on the exporter):

- ``None``, ``NaN``, ``pandas.NA`` and ``NaT`` → ``null`` (a missing value);
- ``bool`` and ``numpy.bool_`` → ``1`` / ``0`` (so ``score`` is the probability of ``True``,
  the exporter's default positive class being ``"1"``);
- numpy integers and floats → Python ``int`` / ``float``; ``Decimal`` → ``float``;
- ``datetime`` (and ``pandas.Timestamp``, ``numpy.datetime64``) → Unix seconds; a naive
  datetime is taken as UTC; ``date`` → seconds at midnight UTC; ``timedelta`` → seconds;
- ``numpy.longdouble`` → the nearest float64 (the exporter computes in float64);
- ``str`` → itself; anything else — and ±infinity, which JSON cannot carry — raises
  :class:`~modelwatch.errors.ConversionError` naming the field.

What monitoring sends (feature values, predictions, labels, KPIs, reference samples) is also held
to the exporter's limits (:mod:`modelwatch.limits`): numbers of magnitude at most 1e100, feature
and KPI names by the column-name rule, and no two keys of one mapping that become the same name
as text (``1`` and ``"1"``), which JSON would otherwise silently merge into one.
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import Decimal
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Union, cast

from .errors import ConversionError
from .limits import MAX_MAGNITUDE, MAX_MAGNITUDE_MESSAGE, feature_name_problem

Scalar = Union[int, float, str, None]

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def scalar(value: Any, field: str) -> Scalar:
    """One value as ``int | float | str | None``; raises ConversionError naming ``field``."""
    t = type(value)
    if t is str or t is int:
        return cast(Scalar, value)
    if t is float:
        return _float(value, field)
    if value is None:
        return None
    if t is bool:
        return 1 if value else 0
    dtype = getattr(value, "dtype", None)
    if dtype is not None and hasattr(value, "item"):
        return _numpy(value, dtype, field)
    if isinstance(value, _dt.datetime):
        if _is_nat(value):
            return None
        aware = value if value.tzinfo is not None else value.replace(tzinfo=_dt.timezone.utc)
        return (aware - _EPOCH).total_seconds()
    if isinstance(value, _dt.date):
        return (_dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc) - _EPOCH).total_seconds()
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float(float(value), field)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Decimal):
        return _float(float(value), field)
    if _is_nat(value) or t.__name__ == "NAType":
        return None
    raise ConversionError(field, f"cannot send a value of type {t.__module__}.{t.__qualname__}")


def _float(value: float, field: str) -> Optional[float]:
    if value != value:  # NaN is a missing value
        return None
    if math.isinf(value):
        raise ConversionError(field, f"{value} is not a finite number")
    return value


def _numpy(value: Any, dtype: Any, field: str) -> Scalar:
    shape = getattr(value, "shape", ())
    if shape not in ((), (1,)):
        raise ConversionError(field, f"expected one value, got an array of shape {tuple(shape)}")
    kind = getattr(dtype, "kind", "")
    if kind == "M":  # datetime64: .item() of a ns value would be an int of nanoseconds
        return scalar(value.astype("datetime64[us]").reshape(()).item(), field)
    if kind == "m":
        return scalar(value.astype("timedelta64[us]").reshape(()).item(), field)
    if shape != ():
        value = value.reshape(())
    if kind == "f" and getattr(dtype, "itemsize", 8) > 8:
        return _longdouble(value, field)
    item = value.item()
    if type(item) is type(value):  # an object that is not a numpy scalar after all
        raise ConversionError(field, f"cannot send a value of type {type(value).__qualname__}")
    return scalar(item, field)


def _longdouble(value: Any, field: str) -> Optional[float]:
    """numpy.longdouble (float96/float128): ``.item()`` returns it unchanged, as no Python type
    holds it. The exporter computes in float64, so it is sent as the nearest float64; beyond the
    exporter's magnitude limit (which float64 could not hold either) it is refused in its words."""
    if value != value:
        return None
    if abs(value) > MAX_MAGNITUDE and not _isinf(value):
        raise ConversionError(field, MAX_MAGNITUDE_MESSAGE)
    return _float(float(value), field)


def _isinf(value: Any) -> bool:
    return bool(value == float("inf") or value == float("-inf"))


def bounded(value: Scalar, field: str) -> Scalar:
    """``value`` if it is not a number beyond the exporter's magnitude limit (|x| ≤ 1e100,
    stats/magnitude.ts), else ConversionError with the exporter's message."""
    if isinstance(value, (int, float)) and abs(value) > MAX_MAGNITUDE:
        raise ConversionError(field, MAX_MAGNITUDE_MESSAGE)
    return value


def distinct_names(pairs: Iterable[Any], field: str) -> List[Any]:
    """``(key, value)`` pairs as ``[(str(key), value, key)]``, refusing two keys that become
    the same name as text (``1`` and ``"1"``, or a DataFrame's duplicate columns): sent as
    JSON, one would silently replace the other."""
    out = [(str(k), v, k) for k, v in pairs]
    seen: Dict[str, Any] = {}
    if len({name for name, _, _ in out}) != len(out):
        for name, _, key in out:
            if name in seen:
                raise ConversionError(
                    f"{field}.{name}",
                    f"keys {seen[name]!r} and {key!r} are both {name!r} as text, and JSON names must be unique: rename one",
                )
            seen[name] = key
    return out


# Feature names seen valid; bounded, so endless distinct names cost a check each, never memory.
_VALID_FEATURE_NAMES: Set[str] = set()
_VALID_FEATURE_NAMES_MAX = 10_000


def feature_name(name: str, field: str, kind: str = "feature name") -> str:
    """``name`` if it follows the exporter's column-name rule, else ConversionError with its message."""
    if name in _VALID_FEATURE_NAMES:
        return name
    problem = feature_name_problem(kind, name)
    if problem is not None:
        raise ConversionError(field, problem)
    if len(_VALID_FEATURE_NAMES) < _VALID_FEATURE_NAMES_MAX:
        _VALID_FEATURE_NAMES.add(name)
    return name


def _is_nat(value: Any) -> bool:
    return type(value).__name__ == "NaTType"


def label(value: Any, field: str) -> Union[int, float, str]:
    """A prediction or label: a class or a regression value; missing is an error."""
    out = bounded(scalar(value, field), field)
    if out is None:
        raise ConversionError(field, "is missing (None or NaN)")
    if out == "":
        raise ConversionError(field, "is an empty string")
    return out


def probability(value: Any, field: str) -> Optional[float]:
    """A probability in [0, 1]; ``None`` when missing."""
    out = scalar(value, field)
    if out is None:
        return None
    if isinstance(out, str):
        raise ConversionError(field, f"expected a probability, got the string {out!r}")
    if not 0.0 <= out <= 1.0:
        raise ConversionError(field, f"probability {out} is outside [0, 1]")
    return float(out)


def number(value: Any, field: str) -> Optional[float]:
    """A number; ``None`` when missing; strings are refused."""
    out = scalar(value, field)
    if isinstance(out, str):
        raise ConversionError(field, f"expected a number, got the string {out!r}")
    return out


def row(features: Any, field: str = "features", names: Optional[Sequence[str]] = None) -> Dict[str, Scalar]:
    """A feature row as ``{name: int | float | str | None}``.

    Accepts a mapping, a pandas Series (its index gives the names), a one-row DataFrame, or a
    sequence / 1-d numpy array when ``names`` (the model's feature names) is given.
    """
    if features is None:
        return {}
    if hasattr(features, "iloc") and hasattr(features, "columns"):  # DataFrame
        if len(features) != 1:
            raise ConversionError(field, f"expected one row, got a DataFrame of {len(features)} rows")
        features = features.iloc[0]
    items: Iterable[Any]
    if isinstance(features, Mapping) or hasattr(features, "items"):
        items = features.items()
    elif names is not None:
        values = list(features.tolist() if hasattr(features, "tolist") else features)
        if len(values) != len(names):
            raise ConversionError(field, f"{len(values)} values for {len(names)} feature names")
        items = zip(names, values)
    else:
        raise ConversionError(
            field, f"expected a mapping of feature name to value, got {type(features).__qualname__} (or pass feature_names)"
        )
    pairs = list(items)
    out: Dict[str, Scalar] = {}
    # The hot path of log_prediction: plain floats and strings skip the general conversion.
    for k, v in pairs:
        name = k if type(k) is str else str(k)
        if name in out:
            distinct_names(pairs, field)  # raises, naming both keys
        if name not in _VALID_FEATURE_NAMES:
            feature_name(name, f"{field}.{name}")
        t = type(v)
        if (t is float and -MAX_MAGNITUDE <= v <= MAX_MAGNITUDE) or t is str:  # NaN fails the comparison
            out[name] = v
        else:
            f = f"{field}.{name}"
            out[name] = bounded(scalar(v, f), f)
    return out


def columns(data: Any, field: str = "features", names: Optional[Sequence[str]] = None) -> Dict[str, List[Scalar]]:
    """A reference sample as ``{name: [values…]}``.

    Accepts a pandas DataFrame, a mapping of column name to values, a list of row mappings, or
    a 2-d array / list of rows when ``names`` is given.
    """
    if (hasattr(data, "columns") and hasattr(data, "items")) or isinstance(data, Mapping):  # DataFrame or mapping
        return {
            feature_name(name, f"{field}.{name}"): bounded_all(sequence(values, f"{field}.{name}"), f"{field}.{name}")
            for name, values, _ in distinct_names(data.items(), field)
        }
    rows = data.tolist() if hasattr(data, "tolist") else list(data)
    out: Dict[str, List[Scalar]] = {}
    for i, r in enumerate(rows):
        converted = row(r, f"{field}[{i}]", names)
        for k in out.keys() | converted.keys():
            if k not in out:
                out[k] = [None] * i
            out[k].append(converted.get(k))
    return out


def sequence(values: Any, field: str) -> List[Scalar]:
    """A column, array or list, value by value; ``field[i]`` names a value that cannot be sent."""
    kind = getattr(getattr(values, "dtype", None), "kind", "")
    # tolist() is the fast path for numbers, but turns datetime64[ns] into integers of nanoseconds
    seq = values.tolist() if hasattr(values, "tolist") and kind not in ("M", "m") else values
    return [scalar(v, f"{field}[{i}]") for i, v in enumerate(seq)]


def bounded_all(values: List[Scalar], field: str) -> List[Scalar]:
    """``values`` when every number is within the exporter's magnitude limit; else
    ConversionError naming ``field[i]``."""
    for i, v in enumerate(values):
        if isinstance(v, (int, float)) and abs(v) > MAX_MAGNITUDE:
            raise ConversionError(f"{field}[{i}]", MAX_MAGNITUDE_MESSAGE)
    return values
