"""Checks a request the client sent against the exporter's OpenAPI document.

A small JSON-Schema subset, enough for the exporter's document: type, enum, anyOf,
properties, required, additionalProperties, propertyNames, items, min/max, minLength/maxLength,
minItems/maxItems, pattern. Stricter than JSON Schema on one point, on purpose: an object
schema that lists ``properties`` and says nothing of ``additionalProperties`` does NOT allow
other keys here — a field the document does not define is a client bug even if the server
happens to ignore it.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def operation(doc: Dict[str, Any], method: str, path: str) -> Tuple[str, Dict[str, Any]]:
    """The (template, operation) the document defines for ``method path``; AssertionError if none."""
    bare = path.split("?", 1)[0]
    for template, ops in doc["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, bare) and method.lower() in ops:
            return template, ops[method.lower()]
    raise AssertionError(f"{method} {bare} is not an operation of the OpenAPI document")


def request_errors(doc: Dict[str, Any], method: str, path: str, body: Any) -> List[str]:
    """Every way ``body`` departs from the operation's request schema (empty when it conforms)."""
    template, op = operation(doc, method, path)
    if body is None:
        return [] if not op.get("requestBody", {}).get("required") else [f"{method} {template}: body required"]
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return [f"{method} {template}: the document defines no JSON body"]
    return [f"{method} {template}: {e}" for e in errors(schema, body, "body")]


def errors(schema: Dict[str, Any], value: Any, where: str) -> List[str]:
    out: List[str] = []
    if "anyOf" in schema:
        if all(errors(s, value, where) for s in schema["anyOf"]):
            out.append(f"{where}: {value!r} matches none of anyOf")
        return out
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_TYPES[t](value) for t in names):
            return [f"{where}: {value!r} is not {'/'.join(names)}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, str):
        out += _string(schema, value, where)
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            out.append(f"{where}: {len(value)} items outside [{schema.get('minItems')}, {schema.get('maxItems')}]")
        if "items" in schema:
            for i, item in enumerate(value):
                out += errors(schema["items"], item, f"{where}[{i}]")
    if isinstance(value, dict):
        out += _object(schema, value, where)
    return out


def _string(schema: Dict[str, Any], value: str, where: str) -> List[str]:
    out = []
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
        out.append(f"{where}: length {len(value)} outside [{schema.get('minLength')}, {schema.get('maxLength')}]")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(f"{where}: {value!r} does not match {schema['pattern']}")
    return out


def _object(schema: Dict[str, Any], value: Dict[str, Any], where: str) -> List[str]:
    out = []
    props: Dict[str, Any] = schema.get("properties", {})
    extra: Optional[Any] = schema.get("additionalProperties")
    for key in schema.get("required", []):
        if key not in value:
            out.append(f"{where}: required field {key!r} missing")
    for key, item in value.items():
        if "propertyNames" in schema:
            out += _string(schema["propertyNames"], key, f"{where} key {key!r}")
        if key in props:
            out += errors(props[key], item, f"{where}.{key}")
        elif isinstance(extra, dict):
            out += errors(extra, item, f"{where}.{key}")
        elif props or extra is False:
            out.append(f"{where}: field {key!r} is not defined by the document")
    return out
