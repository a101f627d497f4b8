"""Request bodies as inventory agents send them, and replies compressed the way they expect.

FusionInventory and GLPI Agent compress with zlib (RFC 1950) and say so in Content-Type;
older agents and proxies send gzip, raw deflate or a plain document, sometimes under the wrong
type, so a declared type is a hint and the bytes decide. Decompression never produces more
than `max_size` bytes: a few kilobytes of zeros inflate to gigabytes.
"""

import gzip
import zlib

from django.utils.translation import gettext

ZLIB, GZIP, PLAIN = "zlib", "gzip", "plain"

_DECLARED = {
    "application/x-compress-zlib": ZLIB,
    "application/x-compress": ZLIB,
    "application/x-gzip": GZIP,
    "application/gzip": GZIP,
    # What FusionInventory declares when it compresses with the gzip command.
    "application/x-compress-gzip": GZIP,
    "application/xml": PLAIN,
    "text/xml": PLAIN,
    "application/json": PLAIN,
}
# Types under which agents and proxies are known to post anything at all.
_VAGUE = frozenset({"", "application/octet-stream", "application/x-www-form-urlencoded"})
_REPLY_TYPES = {ZLIB: "application/x-compress-zlib", GZIP: "application/x-gzip"}
_BOM = b"\xef\xbb\xbf"


class BadPayload(Exception):
    """A request body the endpoint must refuse; `message` is shown in the agent's log and
    `status` is the HTTP status to answer (400, 413 or 415)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _too_large(max_size: int) -> BadPayload:
    return BadPayload(
        gettext("The inventory is larger than %(limit)s bytes once decompressed.")
        % {"limit": max_size},
        413,
    )


def _corrupt(kind: str) -> BadPayload:
    return BadPayload(gettext("The %(kind)s stream is truncated or corrupt.") % {"kind": kind}, 400)


def _looks_plain(body: bytes) -> bool:
    start = body[:64].lstrip()
    if start.startswith(_BOM):
        start = start[len(_BOM) :].lstrip()
    return start[:1] in (b"<", b"{")


def _looks_zlib(body: bytes) -> bool:
    # RFC 1950: deflate method, and the two header bytes form a multiple of 31.
    return len(body) >= 2 and body[0] & 0x0F == 8 and (body[0] << 8 | body[1]) % 31 == 0


def _sniff(body: bytes) -> str | None:
    if body[:2] == b"\x1f\x8b":
        return GZIP
    if _looks_zlib(body):
        return ZLIB
    if _looks_plain(body):
        return PLAIN
    return None


def _inflate(body: bytes, wbits: int, max_size: int, kind: str) -> bytes:
    """Inflate one stream or, for gzip, each member in turn, stopping past `max_size`."""
    output: list[bytes] = []
    produced = 0
    data = body
    while True:
        stream = zlib.decompressobj(wbits)
        try:
            chunk = stream.decompress(data, max_size - produced + 1)
        except zlib.error as error:
            raise _corrupt(kind) from error
        produced += len(chunk)
        if produced > max_size:
            raise _too_large(max_size)
        output.append(chunk)
        if not stream.eof:
            # Never flush(): it inflates whatever is left without any limit.
            raise _corrupt(kind)
        data = stream.unused_data
        # gzip allows several members one after the other; anything else after the end of the
        # stream is padding some clients add, and is ignored.
        if kind != GZIP or data[:2] != b"\x1f\x8b":
            return b"".join(output)


def _decompress(body: bytes, kind: str, max_size: int) -> bytes:
    if kind == GZIP:
        return _inflate(body, 16 + zlib.MAX_WBITS, max_size, GZIP)
    try:
        return _inflate(body, zlib.MAX_WBITS, max_size, ZLIB)
    except BadPayload as error:
        if error.status != 400:
            raise
        # A zlib header can be a coincidence: the body may be raw deflate (RFC 1951).
        return _inflate(body, -zlib.MAX_WBITS, max_size, ZLIB)


def decode_body(body: bytes, content_type: str, *, max_size: int) -> tuple[bytes, str]:
    """The plain document in a request body, and how it was encoded: "zlib", "gzip" or
    "plain" (the reply is to be encoded the same way).

    Raises BadPayload: 400 for an empty, truncated or corrupt body, 413 when it is larger
    than `max_size` bytes (compressed or not), 415 for a body of a type that is none of the
    inventory formats."""
    if not body:
        raise BadPayload(gettext("The request body is empty."), 400)
    if len(body) > max_size:
        raise _too_large(max_size)
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    declared = _DECLARED.get(media_type)
    sniffed = _sniff(body)
    if declared == ZLIB and sniffed in (None, ZLIB):
        # Without a zlib header, a body declared as zlib is raw deflate.
        return _decompress(body, ZLIB, max_size), ZLIB
    if declared == ZLIB and sniffed == PLAIN:
        # Raw deflate can begin with "<" or "{" too; a plain document mislabelled as zlib
        # rarely inflates, and never to something that looks like a document.
        try:
            document = _inflate(body, -zlib.MAX_WBITS, max_size, ZLIB)
        except BadPayload as error:
            if error.status != 400:
                raise
        else:
            if _looks_plain(document):
                return document, ZLIB
    if sniffed == PLAIN:
        return body, PLAIN
    if sniffed is not None:
        return _decompress(body, sniffed, max_size), sniffed
    if declared == GZIP:
        raise _corrupt(GZIP)
    if declared is None and media_type not in _VAGUE:
        raise BadPayload(
            gettext("Unsupported content type %(type)s.") % {"type": media_type[:100]}, 415
        )
    raise BadPayload(
        gettext("The request body is not an XML or JSON document, compressed or not."), 400
    )


def encode_reply(document: bytes, encoding: str) -> tuple[bytes, str]:
    """A reply body and its Content-Type, compressed like the request was (`encoding` as
    `decode_body` returned it)."""
    if encoding == ZLIB:
        # The default level matters: FusionInventory recognises a zlib reply only by the
        # 78 9C header that level produces.
        return zlib.compress(document), _REPLY_TYPES[ZLIB]
    if encoding == GZIP:
        return gzip.compress(document, mtime=0), _REPLY_TYPES[GZIP]
    if encoding == PLAIN:
        start = document.lstrip()[:1]
        return document, "application/json" if start in (b"{", b"[") else "application/xml"
    raise ValueError(f"unknown reply encoding {encoding!r}")
