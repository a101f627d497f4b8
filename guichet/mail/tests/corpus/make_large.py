"""Write large-attachment.eml: a reply-less Outlook message carrying a ~12 MB scanned PDF.

The file is committed (the corpus runner reads files from disk); this script is how it was
made, and the corpus test checks that running it again gives the same bytes. The PDF is made
of one page-sized block repeated, so that Git stores it compressed to a small fraction of its
size while the message itself stays as large as a real scan.

    python guichet/mail/tests/corpus/make_large.py
"""

import base64
import hashlib
from pathlib import Path

TARGET = Path(__file__).with_name("large-attachment.eml")
PDF_SIZE = 12_000_000
BOUNDARY = "_004_PAXPR07MB8841F0E1D2C3B4A5968778695A4B3PAXPR07MB8841eurp_"
FILENAME = "Contrat_maintenance_2027_signe.pdf"


def scanned_pdf(size: int = PDF_SIZE) -> bytes:
    """Bytes that look like a scanner's PDF: a header, image objects, a trailer.

    Every piece is a multiple of 57 bytes (one 76-character base64 line), so the encoded
    objects differ only by their number and compress well."""
    page = b""
    seed = b"cabinet-durand-scan"
    while len(page) < 57 * 200:
        seed = hashlib.sha256(seed).digest()
        page += seed
    page = page[: 57 * 200]
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    head = _padded(head, b"%", b"\n")
    parts = [head]
    length = len(head)
    number = 3
    end = b"\nendstream\nendobj\n"
    while length < size:
        start = (
            b"%d 0 obj\n<< /Type /XObject /Subtype /Image /Width 2480 /Height 3508"
            b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode"
            b" /Length %d" % (number, len(page))
        )
        obj = _padded(start, b"", b" >>\nstream\n", len(end)) + page + end
        parts.append(obj)
        length += len(obj)
        number += 1
    tail = b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (number, length)
    parts.append(tail)
    return b"".join(parts)


def _padded(start: bytes, lead: bytes, close: bytes, extra: int = 0) -> bytes:
    """`start` + spaces + `close`, `lead` first, the whole (plus `extra`) a multiple of 57."""
    body = start + lead
    missing = -(len(body) + len(close) + extra) % 57
    return body + b" " * missing + close


def wrapped_base64(data: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return b"\r\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def build() -> bytes:
    pdf = scanned_pdf()
    text = (
        "Bonjour,\r\n\r\n"
        "Vous trouverez ci-joint le contrat de maintenance 2027 signé, scanné à 600 dpi\r\n"
        "comme demandé. Le scanner ne sait pas faire plus léger, désolée.\r\n\r\n"
        "Marie Lefebvre\r\nAssistante de direction\r\nCabinet Durand\r\n"
    )
    headers = (
        "Return-Path: <marie.lefebvre@cabinet-durand.fr>\r\n"
        "Delivered-To: support@guichet.example\r\n"
        "Received: from EUR05-AM6-obe.outbound.protection.outlook.com"
        " (mail-am6eur05on2071.outbound.protection.outlook.com [198.51.100.71])\r\n"
        "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
        "\tby mx1.guichet.example (Postfix) with ESMTPS id 4ZLm2W9cRtz7kQv\r\n"
        "\tfor <support@guichet.example>; Wed, 2 Dec 2026 12:31:47 +0100 (CET)\r\n"
        "From: Marie Lefebvre <marie.lefebvre@cabinet-durand.fr>\r\n"
        "To: Support Guichet <support@guichet.example>\r\n"
        "Subject: =?utf-8?Q?Contrat_de_maintenance_2027_sign=C3=A9?=\r\n"
        "Thread-Topic: =?utf-8?Q?Contrat_de_maintenance_2027_sign=C3=A9?=\r\n"
        "Thread-Index: AdtKb0m4Qz1xVw7TnR3kYc8Lp2bWEA==\r\n"
        "Date: Wed, 2 Dec 2026 11:31:20 +0000\r\n"
        "Message-ID: <PAXPR07MB8841F0E1D2C3B4A5968778695A4B3"
        "@PAXPR07MB8841.eurprd07.prod.outlook.com>\r\n"
        "Accept-Language: fr-FR, en-US\r\n"
        "Content-Language: fr-FR\r\n"
        "X-MS-Has-Attach: yes\r\n"
        "X-MS-TNEF-Correlator:\r\n"
        "Content-Type: multipart/mixed;\r\n"
        f'\tboundary="{BOUNDARY}"\r\n'
        "MIME-Version: 1.0\r\n"
        "\r\n"
    )
    return b"".join(
        [
            headers.encode("ascii"),
            f"--{BOUNDARY}\r\n".encode(),
            b'Content-Type: text/plain; charset="utf-8"\r\n',
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            wrapped_base64(text.encode("utf-8")),
            b"\r\n\r\n",
            f"--{BOUNDARY}\r\n".encode(),
            f'Content-Type: application/pdf; name="{FILENAME}"\r\n'.encode(),
            f"Content-Description: {FILENAME}\r\n".encode(),
            f'Content-Disposition: attachment; filename="{FILENAME}";\r\n'.encode(),
            f"\tsize={len(pdf)};\r\n".encode(),
            b'\tcreation-date="Wed, 02 Dec 2026 11:30:58 GMT";\r\n',
            b'\tmodification-date="Wed, 02 Dec 2026 11:31:20 GMT"\r\n',
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            wrapped_base64(pdf),
            b"\r\n\r\n",
            f"--{BOUNDARY}--\r\n".encode(),
        ]
    )


def main() -> None:
    TARGET.write_bytes(build())


if __name__ == "__main__":
    main()
