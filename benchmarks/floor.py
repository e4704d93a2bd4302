"""The floor: the filings list as a bare WSGI function, for comparison with the project's endpoint.

No Django, no DRF: three hand-written SQL statements (the count, the page with its case and filing
party, the page's sources) through psycopg2 on one persistent connection per process, and
``json.dumps``. It answers ``/bench/floor/filings/?page=N&page_size=M`` with the same JSON body as
``/api/v1/filings/?page=N&page_size=M`` (links and ``api_url``s point at the API, as the API's
do), which benchmarks/run.py checks before it measures anything. What it leaves out (middleware,
authentication, throttling, content negotiation, filters, ETags, validation of every parameter) is
what the comparison puts a price on. Mounted by benchmarks/wsgi.py; no state besides the connection.
"""

import json
from datetime import UTC
from urllib.parse import parse_qs, quote, urlencode
from zoneinfo import ZoneInfo

import psycopg2

API = "/api/v1/"
LIST_PATH = API + "filings/"

# Set by configure() from the Django settings (benchmarks/wsgi.py), so both answer alike.
CONFIG = {
    "connect": {},  # psycopg2.connect() keyword arguments
    "time_zone": "UTC",
    "page_size": 50,
    "max_page_size": 500,
    "media_url": "/media/",
}

COUNT_SQL = "SELECT count(*) FROM filings_filing"
PAGE_SQL = """
SELECT f.id, f.slug, f.kind, f.title, f.filed_on, f.due_on, f.document_number, f.url, f.document,
       f.summary, f.requested_measures, f.confidence, f.note, f.version, f.created_at, f.updated_at,
       c.id, c.general_list_number, c.short_title, p.id, p.code, p.short_name
FROM filings_filing f
JOIN cases_case c ON c.id = f.case_id
JOIN parties_party p ON p.id = f.filed_by_id
ORDER BY f.filed_on, f.due_on, f.id
LIMIT %s OFFSET %s
"""
SOURCES_SQL = """
SELECT fs.filing_id, s.id, s.key, s.title
FROM filings_filing_sources fs
JOIN sources_source s ON s.id = fs.source_id
WHERE fs.filing_id = ANY(%s)
ORDER BY s.published_on DESC, s.key
"""

MEDIA_SAFE = "/~!*()'"

_connection = None
queries = 0  # statements run by this process, for the benchmark's queries-per-request column


def configure(**settings):
    CONFIG.update(settings)


def _execute(sql, params=None):
    global _connection, queries
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(**CONFIG["connect"])
        _connection.autocommit = True
    cursor = _connection.cursor()
    queries += 1
    cursor.execute(sql, params)
    return cursor.fetchall()


def _timestamp(value, zone):
    # As DRF's DateTimeField renders it: in the current time zone, ISO 8601, "Z" for UTC.
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value):
    return value.isoformat() if value is not None else None


def _media(base, name):
    # As Django's FileSystemStorage.url() (filepath_to_uri) and DRF's FileField make it absolute.
    return f"{base}{CONFIG['media_url']}{quote(name, safe=MEDIA_SAFE)}" if name else None


def _with_query(query: dict, **changes) -> str:
    query = dict(query)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = [str(value)]
    return urlencode(sorted(query.items()), doseq=True)


def _respond(start_response, status, body):
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def _positive(query, name, default):
    raw = query.get(name, [None])[-1]
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValueError(name)
    return int(raw)


def filings(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    try:
        page = _positive(query, "page", 1)
        page_size = min(_positive(query, "page_size", CONFIG["page_size"]), CONFIG["max_page_size"])
    except ValueError as error:
        return _respond(start_response, "400 Bad Request", {str(error): ["Must be a whole number from 1."]})
    scheme = "https" if environ.get("HTTP_X_FORWARDED_PROTO") == "https" else environ["wsgi.url_scheme"]
    base = f"{scheme}://{environ.get('HTTP_HOST') or environ['SERVER_NAME']}"
    zone = ZoneInfo(CONFIG["time_zone"]) if CONFIG["time_zone"] != "UTC" else UTC

    count = _execute(COUNT_SQL)[0][0]
    pages = max(1, -(-count // page_size))
    if page > pages:
        return _respond(start_response, "404 Not Found", {"detail": "Invalid page."})
    rows = _execute(PAGE_SQL, (page_size, (page - 1) * page_size))
    sources = {row[0]: [] for row in rows}
    if rows:
        for filing_id, source_id, key, title in _execute(SOURCES_SQL, (list(sources),)):
            sources[filing_id].append(
                {"id": source_id, "api_url": f"{base}{API}sources/{source_id}/", "key": key, "title": title}
            )
    results = []
    for row in rows:
        (pk, slug, kind, title, filed_on, due_on, document_number, url, document, summary, requested) = row[:11]
        (confidence, note, version, created_at, updated_at) = row[11:16]
        case_id, number, short_title, party_id, code, short_name = row[16:]
        results.append(
            {
                "id": pk,
                "api_url": f"{base}{API}filings/{pk}/",
                "case": {
                    "id": case_id,
                    "api_url": f"{base}{API}cases/{case_id}/",
                    "general_list_number": number,
                    "short_title": short_title,
                },
                "slug": slug,
                "filed_by": {
                    "id": party_id,
                    "api_url": f"{base}{API}parties/{party_id}/",
                    "code": code,
                    "short_name": short_name,
                },
                "kind": kind,
                "title": title,
                "filed_on": _date(filed_on),
                "due_on": _date(due_on),
                "document_number": document_number,
                "url": url,
                "document": _media(base, document),
                "summary": summary,
                "requested_measures": requested,
                "sources": sources[pk],
                "confidence": confidence,
                "note": note,
                "version": version,
                "created_at": _timestamp(created_at, zone),
                "updated_at": _timestamp(updated_at, zone),
            }
        )
    link = base + LIST_PATH + "?"
    body = {
        "count": count,
        "next": link + _with_query(query, page=page + 1) if page < pages else None,
        "previous": (link + _with_query(query, page=page - 1 if page > 2 else None)).rstrip("?") if page > 1 else None,
        "results": results,
    }
    return _respond(start_response, "200 OK", body)


def application(environ, start_response):
    if environ.get("PATH_INFO") != "/bench/floor/filings/":
        return _respond(start_response, "404 Not Found", {"detail": "Not found."})
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return _respond(start_response, "405 Method Not Allowed", {"detail": "Method not allowed."})
    global _connection
    try:
        return filings(environ, start_response)
    except psycopg2.Error:
        if _connection is not None:
            _connection.close()
        _connection = None
        return _respond(start_response, "503 Service Unavailable", {"detail": "The database is unavailable."})
