"""The SPARQL 1.1 Protocol side of a request: its parameters from the URL, a form or a
direct body, with the checks the protocol asks for (one query, UTF-8 bodies, the media
types of a query POST, no updates), and plain-text error answers with a reason."""

from __future__ import annotations

import asyncio
import urllib.parse

from starlette.requests import Request
from starlette.responses import Response

MAX_BODY = 1_000_000
FORM = "application/x-www-form-urlencoded"


class HttpError(Exception):
    def __init__(self, status: int, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


def text(status: int, message: str, **headers: str) -> Response:
    return Response(message + "\n", status, headers, media_type="text/plain; charset=utf-8")


def _pairs(raw: str, where: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(raw, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise HttpError(400, f"the {where} is not percent-encoded UTF-8") from None


def _content_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type") or ""
    media, _, rest = header.partition(";")
    charset = None
    for part in rest.split(";"):
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


async def read_body(request: Request, timeout_s: float) -> bytes:
    """The request body, at most MAX_BODY bytes, within ``timeout_s``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise HttpError(413, f"the request body is larger than {MAX_BODY:,} bytes")

    async def collect() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise HttpError(413, f"the request body is larger than {MAX_BODY:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(collect(), timeout_s)
    except TimeoutError:
        raise HttpError(408, f"the request body did not arrive within {timeout_s:g} s") from None


def _utf8(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8") or body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise HttpError(415, f"the body must be UTF-8 (got charset {charset or 'UTF-16'})")
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(415, "the body is not UTF-8 text") from None
    if "\x00" in decoded:
        raise HttpError(415, "the body holds NUL characters (UTF-16?); send UTF-8 text")
    return decoded


async def protocol_request(request: Request, body_timeout_s: float) -> dict[str, list[str]]:
    """The protocol parameters of a query request (URL, form or direct body), with
    ``query`` holding every query text found; updates are refused here."""
    params: dict[str, list[str]] = {}

    def add(pairs: list[tuple[str, str]]) -> None:
        for key, value in pairs:
            params.setdefault(key, []).append(value)

    add(_pairs(request.scope["query_string"].decode("latin-1"), "query string"))
    if request.method == "POST":
        media, charset = _content_type(request)
        body = await read_body(request, body_timeout_s)
        if media == "application/sparql-update" or "update" in params:
            raise HttpError(403, "SPARQL Update is not allowed: this endpoint is read-only")
        if media == FORM:
            add(_pairs(_utf8(body, charset), "form body"))
        elif media == "application/sparql-query":
            if "query" in params:
                raise HttpError(400, "a direct query body and a 'query' parameter: send one")
            params["query"] = [_utf8(body, charset)]
        else:
            raise HttpError(415, f"POST a query as {FORM} (query=…) or application/sparql-query")
    if "update" in params:
        raise HttpError(403, "SPARQL Update is not allowed: this endpoint is read-only")
    if len(params.get("query", [])) > 1:
        raise HttpError(400, "more than one 'query' parameter: send exactly one query")
    return params
