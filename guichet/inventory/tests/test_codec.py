import gzip
import zlib

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.inventory.formats.codec import BadPayload, decode_body, encode_reply


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the default language is French)."""
    with translation.override("en"):
        yield


XML = b'<?xml version="1.0" encoding="UTF-8" ?>\n<REQUEST><QUERY>PROLOG</QUERY></REQUEST>\n'
JSON = b'{"action": "contact", "deviceid": "pc-2024-01-01-00-00-00"}'
MB = 1024 * 1024


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    "content_type", ["application/x-compress-zlib", "application/x-compress", "", "text/plain"]
)
def test_it_inflates_zlib_bodies(content_type):
    assert decode_body(zlib.compress(XML), content_type, max_size=MB) == (XML, "zlib")


def test_it_inflates_raw_deflate_declared_as_zlib():
    assert decode_body(raw_deflate(JSON), "application/x-compress-zlib", max_size=MB) == (
        JSON,
        "zlib",
    )


@pytest.mark.parametrize(
    "content_type",
    ["application/x-gzip", "application/gzip", "application/x-compress-gzip", None, ""],
)
def test_it_inflates_gzip_bodies(content_type):
    assert decode_body(gzip.compress(XML), content_type, max_size=MB) == (XML, "gzip")


def test_it_reads_every_member_of_a_gzip_body():
    body = gzip.compress(XML[:20]) + gzip.compress(XML[20:])
    assert decode_body(body, "application/x-gzip", max_size=MB) == (XML, "gzip")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (XML, "application/xml"),
        (XML, "text/xml; charset=UTF-8"),
        (JSON, "application/json"),
        (b"\n  " + JSON, None),
        (b"\xef\xbb\xbf" + XML, "application/octet-stream"),
        (XML, "application/x-compress-zlib"),  # an agent that says zlib and did not compress
    ],
)
def test_it_passes_plain_documents_through(body, content_type):
    assert decode_body(body, content_type, max_size=MB) == (body, "plain")


def test_the_bytes_win_over_a_wrong_declared_type():
    assert decode_body(zlib.compress(JSON), "application/json", max_size=MB) == (JSON, "zlib")
    assert decode_body(gzip.compress(JSON), "application/x-compress-zlib", max_size=MB) == (
        JSON,
        "gzip",
    )


def test_it_ignores_padding_after_a_complete_zlib_stream():
    assert decode_body(zlib.compress(XML) + b"\0\0", "", max_size=MB) == (XML, "zlib")


def test_a_zlib_bomb_stops_at_the_limit():
    bomb = zlib.compress(bytes(50 * MB), 9)
    assert len(bomb) < 100_000
    with pytest.raises(BadPayload) as caught:
        decode_body(bomb, "application/x-compress-zlib", max_size=MB)
    assert caught.value.status == 413
    assert "1048576" in caught.value.message


def test_a_gzip_bomb_stops_at_the_limit():
    with pytest.raises(BadPayload) as caught:
        decode_body(gzip.compress(bytes(50 * MB)), "application/x-gzip", max_size=MB)
    assert caught.value.status == 413


def test_a_bomb_split_into_gzip_members_stops_at_the_limit_too():
    member = gzip.compress(bytes(MB // 2))
    with pytest.raises(BadPayload) as caught:
        decode_body(member * 3, "application/x-gzip", max_size=MB)
    assert caught.value.status == 413


def test_a_document_of_exactly_the_limit_is_accepted():
    document = b"<" + b" " * (MB - 1)
    assert decode_body(zlib.compress(document), "", max_size=MB) == (document, "zlib")


def test_a_plain_body_over_the_limit_is_refused():
    with pytest.raises(BadPayload) as caught:
        decode_body(XML, "application/xml", max_size=10)
    assert caught.value.status == 413


# gzip members carry a time stamp: fixed, so that every test worker collects the same ids.
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (zlib.compress(XML * 50)[:-20], "application/x-compress-zlib"),
        (zlib.compress(XML * 50)[:-20], None),
        (gzip.compress(XML * 50, mtime=0)[:-20], "application/x-gzip"),
        (gzip.compress(XML, mtime=0)[:-4], None),
        (b"\x78\x9c" + b"garbage that is not deflate", "application/x-compress-zlib"),
        (b"\x1f\x8b\x08" + b"garbage", "application/x-gzip"),
        (b"not a gzip body", "application/x-gzip"),
    ],
)
def test_truncated_or_corrupt_streams_are_bad_requests(body, content_type):
    with pytest.raises(BadPayload) as caught:
        decode_body(body, content_type, max_size=MB)
    assert caught.value.status == 400
    assert "truncated or corrupt" in caught.value.message


@pytest.mark.parametrize("content_type", [None, "", "application/octet-stream"])
def test_garbage_is_a_bad_request(content_type):
    with pytest.raises(BadPayload) as caught:
        decode_body(b"\x00\x01garbage\xff", content_type, max_size=MB)
    assert caught.value.status == 400


def test_an_unknown_type_that_is_no_inventory_is_unsupported():
    with pytest.raises(BadPayload) as caught:
        decode_body(b"\x89PNG\r\n\x1a\n", "image/png", max_size=MB)
    assert caught.value.status == 415
    assert "image/png" in caught.value.message


def test_an_empty_body_is_a_bad_request():
    with pytest.raises(BadPayload) as caught:
        decode_body(b"", "application/x-compress-zlib", max_size=MB)
    assert caught.value.status == 400


def test_the_reply_is_compressed_like_the_request():
    body, content_type = encode_reply(XML, "zlib")
    # FusionInventory recognises a zlib reply by these two bytes only.
    assert body[:2] == b"\x78\x9c"
    assert zlib.decompress(body) == XML
    assert content_type == "application/x-compress-zlib"

    body, content_type = encode_reply(JSON, "gzip")
    assert gzip.decompress(body) == JSON
    assert content_type == "application/x-gzip"


def test_a_plain_reply_names_its_format():
    assert encode_reply(XML, "plain") == (XML, "application/xml")
    assert encode_reply(JSON, "plain") == (JSON, "application/json")


def test_a_reply_round_trips_through_decode_body():
    for encoding in ("zlib", "gzip", "plain"):
        body, content_type = encode_reply(JSON, encoding)
        assert decode_body(body, content_type, max_size=MB) == (JSON, encoding)


def test_an_unknown_reply_encoding_is_a_programming_error():
    with pytest.raises(ValueError):
        encode_reply(XML, "brotli")


content_types = st.sampled_from(
    [None, "", "application/x-compress-zlib", "application/x-compress", "application/x-gzip",
     "application/gzip", "application/xml", "text/xml", "application/json", "image/png",
     "application/octet-stream"]
)  # fmt: skip


def _decodes_or_refuses(body, content_type):
    try:
        document, encoding = decode_body(body, content_type, max_size=4096)
    except BadPayload as error:
        assert error.status in (400, 413, 415)
        assert error.message
    else:
        assert encoding in ("zlib", "gzip", "plain")
        assert len(document) <= 4096


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=300), content_types)
def test_any_bytes_decode_or_raise_bad_payload(body, content_type):
    _decodes_or_refuses(body, content_type)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["zlib", "gzip", "deflate"]), content_types)
def test_damaged_streams_decode_or_raise_bad_payload(data, kind, content_type):
    body = {"zlib": zlib.compress, "gzip": gzip.compress, "deflate": raw_deflate}[kind](data)
    cut = len(data) % max(len(body), 1)
    _decodes_or_refuses(body[:cut] + data[:3], content_type)
