"""JSON through orjson, byte for byte as DRF's JSONRenderer; CSV for every list, columns in the serializer's order."""

import csv
import datetime
import io
import uuid

import orjson
from django.utils.functional import Promise
from rest_framework import renderers, serializers
from rest_framework.renderers import BaseRenderer

from core.api.fields import JudgesField
from core.csvsafe import csv_safe

# Spreadsheets run a cell starting with these as a formula; text from sources must stay text.
LIST_SEPARATOR = "; "
# Which key of a nested summary names it in a single cell (first present wins).
LABEL_KEYS = ("code", "slug", "key", "paragraph", "general_list_number", "id")


def columns_for(serializer, prefix=""):
    """Column names for a serializer: nested summaries flatten to ``case.short_title``."""
    names = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        child = getattr(field, "summary_class", None)
        if isinstance(field, serializers.Serializer):
            names.extend(columns_for(field, f"{prefix}{name}."))
        elif child is not None and not isinstance(field, (serializers.ManyRelatedField, JudgesField)):
            names.extend(columns_for(child(), f"{prefix}{name}."))
        else:
            names.append(f"{prefix}{name}")
    return names


def flatten(data, prefix=""):
    row = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            row.update(flatten(value, f"{prefix}{key}."))
        else:
            row[f"{prefix}{key}"] = value
    return row


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(cell(label(item)) for item in value)
    if isinstance(value, dict):
        return cell(label(value))
    return csv_safe(value)


def label(item):
    if isinstance(item, dict):
        for key in LABEL_KEYS:
            if item.get(key) not in (None, ""):
                return item[key]
        # A role or seat ({"party": {...}, "role": "applicant"}): the nested object, then its role.
        nested = next((value for value in item.values() if isinstance(value, dict)), None)
        if nested is not None:
            extras = [value for value in item.values() if isinstance(value, str)]
            return f"{label(nested)} ({', '.join(extras)})" if extras else label(nested)
        return ""
    return item


class CSVRenderer(BaseRenderer):
    """RFC 4180 CSV: every value quoted as needed, so newlines in a summary stay inside its cell."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if response is not None and response.status_code >= 400:
            writer.writerow(["field", "message"])
            for field, messages in data.items() if isinstance(data, dict) else [("detail", data)]:
                for message in messages if isinstance(messages, list) else [messages]:
                    writer.writerow([field, cell(message)])
            return buffer.getvalue().encode(self.charset)
        rows = data.get("results", [data]) if isinstance(data, dict) else list(data or [])
        serializer = view.get_serializer() if view is not None and hasattr(view, "get_serializer") else None
        if serializer is not None and getattr(view, "csv_from_serializer", True):
            header = columns_for(serializer)
        else:
            header = list(flatten(rows[0])) if rows else []
        writer.writerow(header)
        for item in rows:
            flat = flatten(item)
            writer.writerow([cell(flat.get(column)) for column in header])
        return buffer.getvalue().encode(self.charset)


# Values orjson writes exactly as DRF's JSONRenderer does (the types DRF's encoder converts to a
# string are handed to that encoder). orjson writes floats in another notation (0.00001, not
# 1e-05) and NaN as null where DRF refuses it, so a float sends the answer through DRF's renderer.
_SAME_IN_ORJSON = (str, int, type(None), datetime.date, datetime.time, uuid.UUID, Promise)
_MAX_CONTAINERS = 1_000_000
_LINE_SEPARATORS = ("\u2028".encode(), "\u2029".encode())


def only_orjson_safe_values(data) -> bool:
    """Whether orjson would write every value in ``data`` as DRF's renderer does (no float, no stranger)."""
    pending, containers = [data], 0
    while pending:
        item = pending.pop()
        if isinstance(item, (dict, list, tuple)):
            containers += 1
            if containers > _MAX_CONTAINERS:
                return False  # a cycle, or more than any answer holds: DRF's renderer says which
            pending.extend(item.values() if isinstance(item, dict) else item)
        elif isinstance(item, float) or not isinstance(item, _SAME_IN_ORJSON):
            return False
    return True


class OrjsonRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer's bytes, from orjson: compact, UTF-8, U+2028/U+2029 escaped.

    An indented answer (the browsable API's), a float, or anything orjson refuses (an integer
    past 64 bits, a key that is not a string, a lone surrogate) goes through DRF's renderer, which
    gives the answer or the error it always gave. The API's read path marks an answer it knows has
    no float (``Response.orjson_safe``), so only other answers are checked value by value.
    """

    _encoder = renderers.JSONRenderer.encoder_class()

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        usable = self.ensure_ascii is False and self.compact and self.strict
        if not usable or self.get_indent(accepted_media_type, renderer_context) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        response = renderer_context.get("response")
        if not getattr(response, "orjson_safe", False) and not only_orjson_safe_values(data):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            content = orjson.dumps(data, default=self._encoder.default, option=orjson.OPT_PASSTHROUGH_DATETIME)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        for separator in _LINE_SEPARATORS:
            if separator in content:
                content = content.replace(separator, separator.decode().encode("unicode_escape"))
        return content
