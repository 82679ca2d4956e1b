"""Every view the build writes, opened from disk in headless Chromium with the network blocked.

Uses the system Chromium (Debian package `chromium`) through Playwright; nothing is downloaded.
Without a browser the tests skip and say why, unless KG_REQUIRE_BROWSER=1 (set by .ci/run), when
they fail instead. KG_UPDATE_SCREENSHOT=1 also writes the overview's screenshot to
docs/overview.png, the picture the README shows.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from kg.network import build_view, load_facts

ROOT = Path(__file__).resolve().parent.parent
DATA = re.compile(r'<script id="kg-data" type="application/json">(.*?)</script>', re.S)
REPORT_2018 = "https://w3id.org/policykg/id/report/wic-2018-wuzhen-outlook"
VIEWS = {  # page → how to build the same view again, to check what the browser holds
    "graph.html": ("overview", None),
    "graph-actors-topics.html": ("actors-topics", None),
    "graph-topics.html": ("topics", None),
    "graph-compare.html": ("compare", None),
    "graph-ego.html": ("ego", None),  # its focus is chosen by the build; checked against the page data
    "graph-report-wic-2017-internet-development-trends.html": ("report", ["wic-2017-internet-development-trends"]),
    "graph-report-wic-2018-wuzhen-outlook.html": ("report", ["wic-2018-wuzhen-outlook"]),
}


def _no_browser(reason: str):
    if os.environ.get("KG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and KG_REQUIRE_BROWSER=1 requires the browser test to run")
    pytest.skip(reason)


def _chromium() -> str | None:
    if os.environ.get("KG_CHROMIUM"):
        return os.environ["KG_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _no_browser("no Chromium found: install the Debian package `chromium` (apt-get install chromium) "
                    "or set KG_CHROMIUM to a Chromium/Chrome executable")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class OpenPage:
    """A view opened from disk, with everything the page asked of the network and logged."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1500, "height": 900}, offline=True)
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []

        def block(route):
            self.blocked.append(route.request.url)
            route.abort()

        self.context.route(re.compile(r"^(?!file:)"), block)  # anything but the file itself
        self.page = self.context.new_page()
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kg && window.kg.ready === true", timeout=120_000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def facts(built):
    return load_facts(built / "graph.ttl")


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_opens_offline_and_draws_the_whole_graph(browser, built, facts, name):
    path = built / name
    data = json.loads(DATA.search(path.read_text(encoding="utf-8")).group(1))
    view = OpenPage(browser, path)
    try:
        assert view.blocked == [] and view.failed == [] and view.errors == []
        drawn = view.js("[kg.network.body.nodeIndices.length, kg.network.body.edgeIndices.length]")
        kind, focus = VIEWS[name]
        if kind != "ego":
            g = build_view(facts, kind, focus)
            assert drawn == [g.number_of_nodes(), g.number_of_edges()]
        assert drawn == [len(data["nodes"]), len(data["edges"])] and drawn[0] > 0 and drawn[1] > 0
        # the legend names every group drawn, and every kind of link
        legend = view.js("Array.from(document.querySelectorAll('#legend-nodes li')).map(e => e.textContent)")
        assert legend[:len(data["groups"])] == [g["label"] for g in data["groups"]]
        links = view.js("Array.from(document.querySelectorAll('#legend-edges li')).map(e => e.textContent)")
        assert [t.rstrip(" →") for t in links] == [r["id"] for r in data["relations"]]
        assert view.page.is_visible("#search") and view.page.is_visible("#color-by")
        # physics has stopped: nothing moves once the page is ready
        before = view.js("JSON.stringify(kg.network.getPositions())")
        view.page.wait_for_timeout(300)
        assert view.js("JSON.stringify(kg.network.getPositions())") == before
    finally:
        view.close()


def _clear_point(view: OpenPage, kind: str) -> tuple[str, float, float]:
    """The most linked node of `kind` with a point on screen where a click can only hit it."""
    return view.js("""kind => {
        const net = kg.network, box = document.getElementById('network').getBoundingClientRect();
        const pos = net.getPositions();
        const ids = kg.data.nodes.filter(n => n.kind === kind)
            .sort((a, b) => b.degree - a.degree || (a.id < b.id ? -1 : 1)).map(n => n.id);
        for (const id of ids) {
            const p = net.canvasToDOM(pos[id]);
            const clear = kg.data.nodes.every(o => o.id === id ||
                Math.hypot(net.canvasToDOM(pos[o.id]).x - p.x, net.canvasToDOM(pos[o.id]).y - p.y) > 28);
            if (clear && p.x > 20 && p.y > 20 && p.x < box.width - 20 && p.y < box.height - 20)
                return [id, box.left + p.x, box.top + p.y];
        }
        return null;
    }""", kind)


def test_click_search_filter_and_screenshot_on_the_overview(browser, built, facts, tmp_path):
    view = OpenPage(browser, built / "graph.html")
    try:
        # a click on a commitment shows its sentence and its report in the side panel
        found = _clear_point(view, "commitment")
        assert found is not None, "no commitment drawn clear of other nodes"
        commitment, x, y = found
        view.page.mouse.click(x, y)
        assert view.js("kg.network.getSelectedNodes()") == [commitment]
        panel = view.page.inner_text("#panel")
        c = facts.commitments[commitment]
        assert facts.sentences[c.sentence].text in panel.replace("\n", " ")
        assert facts.reports[c.report].title in panel
        # the README's picture: the whole graph, and the evidence of the commitment just clicked
        box = view.page.locator("#network").bounding_box()
        view.page.mouse.move(box["x"] + 3, box["y"] + 3)  # hovering empty canvas hides the tooltip
        view.page.mouse.move(700, 20)
        view.page.wait_for_timeout(300)
        shot = tmp_path / "overview.png"
        view.page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
        if os.environ.get("KG_UPDATE_SCREENSHOT") == "1":
            (ROOT / "docs").mkdir(exist_ok=True)
            shutil.copyfile(shot, ROOT / "docs" / "overview.png")

        # search finds a node by name, selects it and shows its evidence
        view.page.fill("#search", "cybersecurity")
        view.page.press("#search", "Enter")
        topic = "https://w3id.org/policykg/topic/cybersecurity"
        assert view.js("kg.network.getSelectedNodes()") == [topic]
        assert view.page.inner_text("#panel h2") == "cybersecurity"
        assert "Evidence (" in view.page.inner_text("#panel")

        # the kind filter hides commitments (and their links); the report filter hides a report's nodes
        total = view.js("kg.nodes.length")
        view.page.get_by_label(re.compile(r"^ ?commitments \(\d+\)$")).uncheck()
        assert view.js("kg.nodes.length") == total - len(facts.commitments)
        assert view.js("kg.network.body.nodeIndices.length") == total - len(facts.commitments)
        view.page.get_by_label(re.compile(r"^ ?commitments \(\d+\)$")).check()
        view.page.get_by_label("Wuzhen Outlook 2018").uncheck()
        data = view.js("kg.data")
        index_2018 = [r["id"] for r in data["reports"]].index(REPORT_2018)
        only_2018 = sum(1 for n in data["nodes"] if n["reports"] == [index_2018])
        assert view.js("kg.nodes.length") == total - only_2018 and only_2018 > 0
        view.page.get_by_label("Wuzhen Outlook 2018").check()

        # colouring by community redraws the legend with one entry per community
        view.page.select_option("#color-by", "community")
        entries = view.js("document.querySelectorAll('#legend-nodes li:not(.help)').length")
        assert entries == view.js("kg.data.communities") > 1
        view.page.select_option("#color-by", "type")

        assert view.errors == [] and view.blocked == [] and view.failed == []
    finally:
        view.close()


def test_a_page_past_the_limits_shows_what_it_left_out(browser, built, tmp_path):
    """The overview of a graph with more reports than the limit (here 1 of the bundled 2), with
    room for 40 evidence sentences: the note above the drawing says what was kept, and the panel
    how many sentences of a node's evidence the page left out."""
    from kg.network import Limits
    from kg.viz import draw

    limits = Limits(reports=1, actors=5, topics=6, commitments=4, sentences=40)
    _, html = draw(load_facts(built / "store", detail=1), "overview", limits=limits)
    path = tmp_path / "limited.html"
    path.write_text(html, encoding="utf-8")
    view = OpenPage(browser, path)
    try:
        assert view.errors == [] and view.blocked == [] and view.failed == []
        assert view.js("kg.network.body.nodeIndices.length") == 1 + 5 + 6 + 4
        note = view.page.inner_text("#note")
        assert note.startswith("The graph holds 2 reports; this page is drawn from the 1 with the most commitments.")
        assert "the 5 most mentioned of" in note and "each node and link quotes only its first" in note
        kept = view.js("Math.max(...kg.data.nodes.map(n => n.evidence.length))")
        view.js("id => kg.showNode(id)", "https://w3id.org/policykg/actor/international-community")
        panel = view.page.inner_text("#panel")
        assert f"(a page keeps the first {kept})." in panel and "more sentences" in panel
        assert panel.count("— Wuzhen Outlook 2018, sentence") == kept
    finally:
        view.close()
