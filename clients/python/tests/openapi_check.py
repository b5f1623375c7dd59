"""Checks a request the client sent against the exporter's OpenAPI document.

A small JSON-Schema subset, enough for the exporter's document: local ``$ref``
(``#/components/schemas/…``), type, enum, const, anyOf/oneOf, allOf, properties, required,
additionalProperties, propertyNames, items, minimum/maximum (and exclusive), minLength/maxLength,
minItems/maxItems, pattern. A validation keyword outside that subset is reported as an error,
so that the check can never pass a body merely because it did not understand the schema. Stricter than JSON Schema on one point, on purpose: an object
schema that lists ``properties`` and says nothing of ``additionalProperties`` does NOT allow
other keys here — a field the document does not define is a client bug even if the server
happens to ignore it.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
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
    return [f"{method} {template}: {e}" for e in Checker(doc).errors(schema, body, "body")]


def request_schema(doc: Dict[str, Any], method: str, template: str) -> Dict[str, Any]:
    """The resolved JSON request schema of an operation (``$ref`` followed)."""
    op = doc["paths"][template][method.lower()]
    return Checker(doc).resolve(op["requestBody"]["content"]["application/json"]["schema"])


_UNDERSTOOD = {
    "$ref", "type", "enum", "const", "anyOf", "oneOf", "allOf", "properties", "required", "additionalProperties",
    "propertyNames", "items", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "minItems", "maxItems", "pattern",
    # annotations: no effect on validity
    "format", "description", "default", "example", "examples", "title", "readOnly", "writeOnly", "deprecated",
}


class Checker:
    def __init__(self, doc: Dict[str, Any]) -> None:
        self.doc = doc

    def resolve(self, schema: Dict[str, Any]) -> Dict[str, Any]:
        seen = 0
        while "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/") or seen > 20:
                raise AssertionError(f"cannot resolve $ref {ref!r}")
            target: Any = self.doc
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            seen += 1
        if "allOf" in schema:  # merge, so that a property defined by any part counts as defined
            merged: Dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
            for part in (self.resolve(p) for p in schema["allOf"]):
                merged["properties"] = {**merged.get("properties", {}), **part.get("properties", {})}
                merged["required"] = [*merged.get("required", []), *part.get("required", [])]
                for k, v in part.items():
                    merged.setdefault(k, v)
            schema = merged
        return schema

    def errors(self, schema: Dict[str, Any], value: Any, where: str) -> List[str]:
        schema = self.resolve(schema)
        unknown = set(schema) - _UNDERSTOOD
        if unknown:
            return [f"{where}: schema keywords {sorted(unknown)} are not understood by the check"]
        return errors(schema, value, where, self)


def errors(schema: Dict[str, Any], value: Any, where: str, checker: Checker) -> List[str]:
    out: List[str] = []
    alternatives = schema.get("anyOf", schema.get("oneOf"))
    if alternatives is not None:
        if all(checker.errors(s, value, where) for s in alternatives):
            out.append(f"{where}: {value!r} matches none of anyOf")
        return out
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_TYPES[t](value) for t in names):
            return [f"{where}: {value!r} is not {'/'.join(names)}"]
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{where}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        out.append(f"{where}: {value!r} is not {schema['const']!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{where}: {value} > {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            out.append(f"{where}: {value} <= {schema['exclusiveMinimum']}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            out.append(f"{where}: {value} >= {schema['exclusiveMaximum']}")
    if isinstance(value, str):
        out += _string(schema, value, where)
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            out.append(f"{where}: {len(value)} items outside [{schema.get('minItems')}, {schema.get('maxItems')}]")
        if "items" in schema:
            for i, item in enumerate(value):
                out += checker.errors(schema["items"], item, f"{where}[{i}]")
    if isinstance(value, dict):
        out += _object(schema, value, where, checker)
    return out


def _string(schema: Dict[str, Any], value: str, where: str) -> List[str]:
    out = []
    if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", len(value)):
        out.append(f"{where}: length {len(value)} outside [{schema.get('minLength')}, {schema.get('maxLength')}]")
    if "pattern" in schema and not re.search(_python_pattern(schema["pattern"]), value):
        out.append(f"{where}: {value!r} does not match {schema['pattern']}")
    return out


def _object(schema: Dict[str, Any], value: Dict[str, Any], where: str, checker: Checker) -> List[str]:
    out = []
    props: Dict[str, Any] = schema.get("properties", {})
    extra: Optional[Any] = schema.get("additionalProperties")
    for key in schema.get("required", []):
        if key not in value:
            out.append(f"{where}: required field {key!r} missing")
    for key, item in value.items():
        if "propertyNames" in schema:
            out += _string(checker.resolve(schema["propertyNames"]), key, f"{where} key {key!r}")
        if key in props:
            out += checker.errors(props[key], item, f"{where}.{key}")
        elif isinstance(extra, dict):
            out += checker.errors(extra, item, f"{where}.{key}")
        elif props or extra is False:
            out.append(f"{where}: field {key!r} is not defined by the document")
    return out


@functools.lru_cache(maxsize=None)
def _category_ranges(major: str) -> str:
    """Every code point whose Unicode general category starts with ``major`` (L, M, N), as the
    ``a-z``-style ranges of a character class: Python's ``re`` has no ``\\p{…}`` escapes."""
    ranges: List[Tuple[int, int]] = []
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp)).startswith(major):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


@functools.lru_cache(maxsize=None)
def _python_pattern(pattern: str) -> str:
    """The document's ECMAScript ``u``-flag pattern in Python ``re`` syntax: ``\\p{L}``, ``\\p{M}``
    and ``\\p{N}`` become explicit ranges (inside a class as they stand, outside in brackets)."""
    out: List[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        m = re.match(r"\\p\{([LMN])\}", pattern[i:])
        if m:
            ranges = _category_ranges(m.group(1))
            out.append(ranges if in_class else f"[{ranges}]")
            i += m.end()
            continue
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)
