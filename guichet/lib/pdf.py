"""PDF from self-contained HTML (WeasyPrint). The documents inline their styles and images:
nothing is fetched, neither a file of the server nor anything on the network, whatever
address a template or a user's text may hold; `data:` images (the labels' QR codes) are
decoded in memory."""


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only PDF downloads need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Any other address is refused; WeasyPrint leaves that resource out and goes on.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()
