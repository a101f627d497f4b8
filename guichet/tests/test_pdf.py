"""PDFs are made from self-contained HTML: a `data:` image is drawn, while a file of the
server or an address on the network is left out, never read."""

import base64
import io

from PIL import Image

from guichet.lib.pdf import html_to_pdf


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (4, 4), 0).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_data_image_is_drawn():
    uri = "data:image/png;base64," + base64.b64encode(_png()).decode()
    pdf = html_to_pdf(f'<p>QR</p><img src="{uri}" style="width: 20mm">')
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" in pdf


def test_files_and_the_network_are_never_fetched(tmp_path):
    image = tmp_path / "secret.png"
    image.write_bytes(_png())
    pdf = html_to_pdf(
        f'<link rel="stylesheet" href="http://127.0.0.1:9/style.css">'
        f'<p>QR</p><img src="{image.as_uri()}" style="width: 20mm">'
    )
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf
