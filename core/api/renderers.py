"""CSV for every list: one row per object, columns in the serializer's order."""

import csv
import io

from rest_framework import serializers
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
