"""The API's request body parser: DRF's JSON parser, with a bound on nesting.

JSON nested about a thousand levels deep makes Python's decoder raise RecursionError, which DRF's
parser does not catch (a 500); a little less deep parses, and then every piece of code that walks
the data recursively is at risk. No resource of this API nests more than a few levels (a list of
ids, or of {"id": ...} summaries), so anything deeper than MAX_DEPTH is refused before any of it is
read.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - nested more than {MAX_DEPTH} levels deep; no resource of this API nests that deep."


def nesting_depth(data, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest in parsed JSON (a scalar is 0), counting no further than limit + 1."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if depth > limit:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if nesting_depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
