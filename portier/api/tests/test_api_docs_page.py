"""/api/v1/docs works without internet: Swagger UI's files come from our own static files."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "script" and not attrs.get("src"):
            self._in_script = attrs.get("type") or "text/javascript"

    def handle_data(self, data):
        if self._in_script is not None:
            self.inline_scripts.append((self._in_script, data))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def read_page(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = Assets()
    page.feed(response.content.decode())
    return page


def test_the_docs_page_loads_only_same_origin_files_that_exist(client, db):
    page = read_page(client)
    assert page.urls, "the page references Swagger UI's script and style"
    assert any(url.endswith(".js") for url in page.urls)
    assert any(url.endswith(".css") for url in page.urls)
    for url in page.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content if response.streaming else [response.content])
        response.close()


def test_the_docs_page_runs_no_inline_script_and_calls_no_validator(client, db):
    page = read_page(client)
    # Only a JSON data block, which a Content-Security-Policy does not treat as a script.
    assert page.inline_scripts
    for kind, text in page.inline_scripts:
        assert kind == "application/json", text
        swagger_settings = json.loads(text)
    # Swagger UI would otherwise ask validator.swagger.io for a badge about every spec.
    assert swagger_settings["validatorUrl"] is None
    assert not re.search(r"https?://", json.dumps(swagger_settings))
