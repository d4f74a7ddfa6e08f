"""The chat page as the service serves it: headers, caching, and files that obey the CSP.

The browser tests prove the page works; these cheap checks keep the rules that
make it safe from eroding (an inline script, a style attribute, innerHTML).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient

from tutor.web import STATIC_DIR


def test_the_page_is_served_at_the_root_with_a_strict_csp(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert '<html lang="ko">' in response.text


def test_static_files_and_the_icon_are_served_and_revalidated(client: TestClient) -> None:
    for path, kind in [("/static/app.js", "javascript"), ("/static/app.css", "text/css"),
                       ("/static/icon.svg", "image/svg+xml"), ("/favicon.ico", "image/svg+xml")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert kind in response.headers["content-type"], path
        assert response.headers["cache-control"] == "no-cache", path
        assert "content-security-policy" in response.headers
    etag = client.get("/static/app.js").headers["etag"]
    assert client.get("/static/app.js", headers={"If-None-Match": etag}).status_code == 304


def _modules() -> list[Path]:
    return sorted(STATIC_DIR.glob("*.js"))


def test_every_module_is_served_as_javascript_under_nosniff(client: TestClient) -> None:
    # A module script with any other type is refused by the browser when nosniff is set.
    assert len(_modules()) > 5
    for module in _modules():
        response = client.get(f"/static/{module.name}")
        assert response.status_code == 200, module.name
        assert response.headers["x-content-type-options"] == "nosniff"
        media_type = response.headers["content-type"].split(";")[0].strip()
        assert media_type in ("text/javascript", "application/javascript"), (module.name, media_type)


def test_the_page_loads_one_entry_module_whose_imports_all_exist() -> None:
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/app.js">']
    reached, queue = set(), ["app.js"]
    while queue:
        name = queue.pop()
        if name in reached:
            continue
        reached.add(name)
        source = (STATIC_DIR / name).read_text(encoding="utf-8")
        for target in re.findall(r'^import .* from "([^"]+)";$', source, re.M):
            assert target.startswith("./") and (STATIC_DIR / target[2:]).is_file(), (name, target)
            queue.append(target[2:])
    assert reached == {m.name for m in _modules()}, "a module is never imported"


def test_missing_and_escaping_paths_are_not_found(client: TestClient) -> None:
    assert client.get("/static/nope.js").status_code == 404
    assert client.get("/static/../../tutor/config.py").status_code == 404
    assert client.get("/static/%2e%2e/__init__.py").status_code == 404


class _Audit(HTMLParser):
    """Everything in the page that a CSP without 'unsafe-inline' would block or that loads from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("src", "href") and value and re.match(r"^(https?:)?//", value):
                self.problems.append(f"<{tag} {name}={value}> loads from another origin")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            if "src" not in names:
                self.problems.append("inline <script>")
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("script with inline content")


def test_the_html_has_no_inline_script_style_or_third_party_files() -> None:
    audit = _Audit()
    audit.feed((STATIC_DIR / "index.html").read_text(encoding="utf-8"))
    assert audit.problems == []


def test_no_module_turns_text_into_markup() -> None:
    for module in _modules():
        source = module.read_text(encoding="utf-8")
        source = re.sub(r"^\s*//.*$", "", source, flags=re.M)  # the comments may name what is forbidden
        for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                          "new Function", "setAttribute(\"style\"", "http://", "https://", "import(",
                          "createContextualFragment", "DOMParser"):
            assert forbidden not in source, (module.name, forbidden)


def test_every_ui_string_exists_in_both_languages() -> None:
    strings = (STATIC_DIR / "strings.js").read_text(encoding="utf-8")
    blocks = re.search(r"\n  ko: \{(.*?)\n  \},\n  en: \{(.*?)\n  \},", strings, re.S)
    assert blocks
    keys = [set(re.findall(r"^\s+(\w+):", block, re.M)) for block in blocks.groups()]
    assert keys[0] == keys[1]
    used = set(re.findall(r'data-i18n(?:-label|-placeholder)?="(\w+)"',
                          (STATIC_DIR / "index.html").read_text(encoding="utf-8")))
    for module in _modules():
        source = module.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bt\("(\w+)"', source)) | set(re.findall(r'i18n\([^,]+, "(\w+)"', source))
    assert len(used) > 40
    assert used - keys[0] == set()


def test_the_static_files_are_package_data() -> None:
    # pyproject's package-data ships web/static/*: keep every file at that level (no subfolders).
    assert all(path.is_file() for path in Path(STATIC_DIR).iterdir())
