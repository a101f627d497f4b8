"""The mail corpus (corpus/*.eml, corpus/expected.json) read by `parse`: every message as a
real client or robot delivers it, each checked against what the desk must read of it.

expected.json also declares what ingesting each message must do (`ingest`); that part is run by
the ingestion tests. Here only its shape is checked, so that a case cannot be left without one.
"""

import hashlib
import importlib.util
import json
import re
from functools import cache
from pathlib import Path

import pytest

from guichet.mail.parse import Inbound, Unreadable, parse

CORPUS = Path(__file__).with_name("corpus")
CASES = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
BY_FILE = {case["file"]: case for case in CASES}

# Expectations that parse.py does not meet yet, as "file:field". For these the test asserts
# that the field still fails: once parse.py is fixed, the entry must be removed from here.
# Expectations parse does not meet yet, "file:field" (a listed gap that starts passing fails
# the test, so the list only shrinks).
KNOWN_GAPS: set[str] = set()

PARSE_FIELDS = {
    "sender",
    "sender_name",
    "subject",
    "subject_contains",
    "text",
    "text_contains",
    "text_excludes",
    "references",
    "ticket_reference",
    "automatic",
    "attachments",
    "message_id",
    "problems_nonempty",
    "unreadable",
}
AUTOMATIC = {"", "auto-submitted", "auto-reply", "bulk", "list", "bounce", "no-reply sender"}
OUTCOMES = {
    "ticket",
    "followup",
    "ignored",
    "refused",
    "quarantined",
    "ticket_not_attached",
    "duplicate",
}
THREADS = {"sent", "subject", "received"}
PLACEHOLDERS = {
    1001: "<guichet.ticket.1001.placeholder@guichet.example>",
    2002: "<guichet.ticket.2002.placeholder@guichet.example>",
}
GENERATED_ID = re.compile(r"<[0-9a-f]{64}@no-message-id\.invalid>")


@cache
def raw(file: str) -> bytes:
    return (CORPUS / file).read_bytes()


@cache
def read(file: str) -> Inbound | Unreadable:
    try:
        return parse(raw(file))
    except Unreadable as error:
        return error


def _attachment_failures(found: Inbound, expected: list[dict]) -> str:
    actual = [
        {
            "filename": a.filename,
            "content_type": a.content_type,
            "inline": a.inline,
            "size": len(a.data),
        }
        for a in found.attachments
    ]
    if len(actual) != len(expected):
        return f"{len(expected)} attachment(s) expected, got {actual}"
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        for key in ("filename", "content_type", "inline"):
            if key in want and want[key] != got[key]:
                return f"attachment {index}: {key} {want[key]!r} expected, got {got}"
        if got["size"] < want.get("min_size", 0):
            return f"attachment {index}: at least {want['min_size']} bytes expected, got {got}"
    return ""


def failures(file: str, expected: dict) -> dict[str, str]:
    """The expectations of `expected` that parsing `file` does not meet, by field."""
    found = read(file)
    if isinstance(found, Unreadable):
        if expected.get("unreadable"):
            return {}
        return {"unreadable": f"parse raised Unreadable({found})"}
    if expected.get("unreadable"):
        return {"unreadable": "parse read the message instead of raising Unreadable"}

    failed: dict[str, str] = {}
    for key in ("sender", "sender_name", "subject", "text", "references", "ticket_reference"):
        if key in expected and getattr(found, key) != expected[key]:
            failed[key] = f"{expected[key]!r} expected, got {getattr(found, key)!r}"
    if "automatic" in expected and found.automatic != expected["automatic"]:
        failed["automatic"] = f"{expected['automatic']!r} expected, got {found.automatic!r}"
    if "subject_contains" in expected and expected["subject_contains"] not in found.subject:
        failed["subject_contains"] = f"{expected['subject_contains']!r} not in {found.subject!r}"
    missing = [needle for needle in expected.get("text_contains", []) if needle not in found.text]
    if missing:
        failed["text_contains"] = f"{missing!r} not in {found.text!r}"
    present = [needle for needle in expected.get("text_excludes", []) if needle in found.text]
    if present:
        failed["text_excludes"] = f"{present!r} in {found.text!r}"
    if "message_id" in expected:
        if expected["message_id"] == "generated":
            if not GENERATED_ID.fullmatch(found.message_id):
                failed["message_id"] = f"a generated id expected, got {found.message_id!r}"
        elif found.message_id != expected["message_id"]:
            failed["message_id"] = f"{expected['message_id']!r} expected, got {found.message_id!r}"
    if "problems_nonempty" in expected and bool(found.problems) != expected["problems_nonempty"]:
        failed["problems_nonempty"] = f"problems: {found.problems!r}"
    if "attachments" in expected:
        message = _attachment_failures(found, expected["attachments"])
        if message:
            failed["attachments"] = message
    return failed


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_the_message_reads_as_expected(case):
    file = case["file"]
    failed = failures(file, case["parse"])
    gaps = {entry.split(":", 1)[1] for entry in KNOWN_GAPS if entry.split(":", 1)[0] == file}

    unexpected = {field: message for field, message in failed.items() if field not in gaps}
    fixed = gaps - failed.keys()
    assert not unexpected, f"{file}: {unexpected}"
    assert not fixed, f"{file}: {sorted(fixed)} now read as expected, remove from KNOWN_GAPS"


def test_a_message_without_id_gets_the_id_of_its_bytes():
    for case in CASES:
        if case["parse"].get("message_id") == "generated":
            file = case["file"]
            digest = hashlib.sha256(raw(file)).hexdigest()
            assert read(file).message_id == f"<{digest}@no-message-id.invalid>"


def test_every_message_is_a_case_and_every_case_a_message():
    on_disk = {path.name for path in CORPUS.glob("*.eml")}
    listed = [case["file"] for case in CASES]

    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert on_disk - set(listed) == set(), "messages without a case"
    assert set(listed) - on_disk == set(), "cases without a message"


def test_every_case_says_what_to_expect():
    for case in CASES:
        assert case.get("description"), case["file"]
        assert set(case["parse"]) <= PARSE_FIELDS, case["file"]
        assert case["parse"], case["file"]
        assert case["parse"].get("automatic", "") in AUTOMATIC, case["file"]


def test_every_case_declares_an_ingest_outcome():
    seen: list[str] = []
    for case in CASES:
        file, ingest, expected = case["file"], case["ingest"], case["parse"]
        assert ingest.get("outcome") in OUTCOMES, file
        assert isinstance(ingest.get("sender_known", False), bool), file
        assert isinstance(ingest.get("mailbox_accepts_unknown", True), bool), file
        if ingest["outcome"] == "quarantined":
            assert expected.get("unreadable") is True, file
        if expected.get("unreadable"):
            assert ingest["outcome"] == "quarantined", file
        if ingest["outcome"] == "refused":
            assert ingest["mailbox_accepts_unknown"] is False and not ingest["sender_known"], file
        if ingest["outcome"] == "ignored":
            assert expected.get("automatic"), f"{file}: ignored but not automatic"
        if ingest["outcome"] in ("ticket", "followup", "ticket_not_attached", "refused"):
            assert expected.get("automatic") == "", f"{file}: a person's message must say so"
        if ingest["outcome"] == "duplicate":
            first = ingest["duplicate_of"]
            assert first in seen, f"{file}: duplicate of a case that does not come before it"
            assert expected["message_id"] == BY_FILE[first]["parse"]["message_id"], file
            assert raw(file) != raw(first), f"{file}: a redelivery differs by its Received headers"
        thread = ingest.get("thread")
        if ingest["outcome"] in ("followup", "ticket_not_attached"):
            assert thread in THREADS, file
        if thread is not None:
            _check_thread(file, ingest, expected, seen)
        seen.append(file)


def _check_thread(file: str, ingest: dict, expected: dict, seen: list[str]) -> None:
    thread = ingest["thread"]
    assert thread in THREADS, file
    if thread == "received":
        first = ingest["thread_file"]
        assert first in seen, f"{file}: threads on a case that does not come before it"
        assert BY_FILE[first]["ingest"]["outcome"] == "ticket", file
        assert BY_FILE[first]["parse"]["message_id"] in expected["references"], file
        return
    ticket = ingest["ticket"]
    assert ticket in PLACEHOLDERS, file
    if thread == "sent":
        assert PLACEHOLDERS[ticket] in expected["references"], file
    else:
        assert expected["references"] == [], file
        assert expected["ticket_reference"] == ticket, file


def test_known_gaps_name_expectations_of_the_corpus():
    for entry in KNOWN_GAPS:
        file, field = entry.split(":", 1)
        assert file in BY_FILE, entry
        assert field in BY_FILE[file]["parse"], entry


def test_the_corpus_keeps_both_line_endings():
    # Guards against a checkout that rewrites line endings (core.autocrlf, a .gitattributes).
    crlf = [path.name for path in CORPUS.glob("*.eml") if b"\r\n" in raw(path.name)[:2000]]
    lf = [path.name for path in CORPUS.glob("*.eml") if b"\r\n" not in raw(path.name)]

    assert len(crlf) >= 5 and len(lf) >= 5, (crlf, lf)


def test_the_large_message_is_what_make_large_writes():
    spec = importlib.util.spec_from_file_location("make_large", CORPUS / "make_large.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    assert raw(module.TARGET.name) == module.build()
    assert len(raw(module.TARGET.name)) < 20_000_000
