"""The exporter's documented input limits, checked before anything is sent.

The numbers and messages come from ``limits.json``, which ``npm run api -w exporter`` generates
from the exporter's own code (its default configuration, ``stats/magnitude.ts`` and
``names.ts``), so a refusal here reads as the exporter's 400 or 413 would. A deployment may raise
the batch and body limits (``MODELWATCH_MAX_BATCH_EVENTS``, ``MODELWATCH_MAX_BODY_BYTES``); the
:class:`~modelwatch.Monitor` takes ``max_body_bytes`` to match.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any, Dict, Optional

_LIMITS: Dict[str, Any] = json.loads((Path(__file__).with_name("limits.json")).read_text(encoding="utf-8"))

#: Events per request the exporter accepts by default, and its 400 message beyond that.
MAX_BATCH_EVENTS: int = int(_LIMITS["max_batch_events"])
MAX_BATCH_EVENTS_MESSAGE: str = str(_LIMITS["max_batch_events_message"])
#: Largest JSON body, in bytes, the exporter accepts by default (413 beyond it), and its message.
MAX_BODY_BYTES: int = int(_LIMITS["max_body_bytes"])
MAX_BODY_BYTES_MESSAGE: str = str(_LIMITS["max_body_bytes_message"])
#: Largest magnitude of a number the exporter ingests (feature value, prediction, label, KPI).
MAX_MAGNITUDE: float = float(_LIMITS["max_magnitude"])
MAX_MAGNITUDE_MESSAGE: str = str(_LIMITS["max_magnitude_message"])
NAME_MAX_LENGTH: int = int(_LIMITS["name_max_length"])
NAME_RULE: str = str(_LIMITS["name_rule"])
FEATURE_NAME_RULE: str = str(_LIMITS["feature_name_rule"])

# ECMAScript's String.prototype.trim() whitespace (WhiteSpace and LineTerminator), which the
# exporter's feature-name rule uses; Python's str.isspace() differs (e.g. on U+FEFF).
_JS_SPACE = frozenset("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff")


def name_problem(kind: str, value: str) -> Optional[str]:
    """Why ``value`` is not a valid model or version name (``kind`` ``"model"`` or
    ``"version"``), in the exporter's words; ``None`` when it is. The rule (names.ts): 1–128 code
    points of Unicode letters, marks and digits, ``.``, ``_`` and ``-``, starting with a letter
    or digit."""
    ok = 1 <= len(value) <= NAME_MAX_LENGTH and unicodedata.category(value[0])[0] in "LN"
    ok = ok and all(c in "._-" or unicodedata.category(c)[0] in "LMN" for c in value[1:])
    return None if ok else f"{kind} must be a valid name: {NAME_RULE}"


def feature_name_problem(kind: str, value: str) -> Optional[str]:
    """Why ``value`` is not a valid feature or KPI name (``kind`` ``"feature name"`` or
    ``"KPI name"``), in the exporter's words; ``None`` when it is. The rule (names.ts): 1–128
    UTF-16 code units, no control characters, no leading or trailing whitespace, not
    ``__other__``."""
    units = len(value.encode("utf-16-le")) // 2
    ok = 1 <= units <= NAME_MAX_LENGTH and value != "__other__"
    ok = ok and not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value)
    ok = ok and not _js_space(value[0]) and not _js_space(value[-1])
    return None if ok else f"{kind} must be a valid name: {FEATURE_NAME_RULE}"


def _js_space(c: str) -> bool:
    return c in _JS_SPACE or unicodedata.category(c) == "Zs"
