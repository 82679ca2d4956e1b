"""Interactive HTML views of the graph: self-contained pages that open from disk with no network.

A view is a networkx graph made by `kg.network` (overview, actors-topics, topics, report, ego,
compare); this module draws it with vis-network, the library pyvis wraps, through our own page
template (`kg/assets/view.html`) instead of pyvis's, because pyvis's page links Bootstrap and
tom-select from a CDN even in `in_line` mode, shows HTML tooltips as raw tags with vis-network 9
and keeps large graphs moving. vis-network 9.1.9 is vendored in `kg/assets/` (see its README) and
inlined with our CSS and JS, so no `http(s)://` script, link or font reference remains.

The page has a legend, a search box, filters by node kind, report and link kind, colouring by kind,
Louvain community or report, and a side panel with the evidence (sentences and their report) of
the clicked node or link. Physics lays the graph out once and then stops. The page is
deterministic: the same graph gives byte-identical HTML (everything sorted, seeds fixed).
"""
from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import networkx as nx
from jinja2 import Environment

from .errors import UsageError
from .network import (ABOUT, BROADER, CO_OCCURS, COMMITS_ON, COMMITS_TO, DEFAULT_LIMITS, DIRECTED, MENTIONED_IN,
                      MENTIONS, NO_LIMITS, STATED_IN, Facts, Limits, centrality, communities, default_pair, load_facts,
                      top, view)

ASSETS = Path(__file__).resolve().parent / "assets"
COLOR_BY = ("type", "community", "report")
#: Past this many nodes a page keeps the most central ones (and says so), unless --top says otherwise.
DEFAULT_TOP = 2000
#: Evidence sentences embedded per node or link; the panel says how many more there are. A page
#: past its limit of sentences (Limits.sentences) keeps fewer per item, the first of these that fits.
EVIDENCE_MAX = 30
EVIDENCE_STEPS = (EVIDENCE_MAX, 20, 10, 5, 3, 2, 1)
#: `kg build` writes a report page for each report, or for this many with the most commitments.
REPORT_PAGES_MAX = 10

KINDS = {  # kind → (legend label, vis-network shape)
    "report": ("report", "box"),
    "actor": ("actor", "dot"),
    "topic": ("topic", "diamond"),
    "commitment": ("commitment", "triangle"),
}
GROUPS = {  # group → (legend label, colour); a node's group is its kind except in topics and compare
    "report": ("report", "#4c72b0"),
    "first report": ("first report (left)", "#4c72b0"),
    "second report": ("second report (right)", "#2a4d80"),
    "actor": ("actor", "#dd8452"),
    "topic": ("topic", "#55a868"),
    "broader topic": ("broader topic (hierarchy only)", "#b5dcbc"),
    "commitment": ("commitment", "#c44e52"),
    "dropped": ("topic only in the first report (dropped)", "#c44e52"),
    "shared": ("topic in both reports", "#8172b3"),
    "new": ("topic only in the second report (new)", "#55a868"),
}
RELATIONS = {  # relation → (colour, dashed)
    COMMITS_TO: ("#dd8452", False),
    ABOUT: ("#55a868", False),
    STATED_IN: ("#4c72b0", False),
    MENTIONED_IN: ("#b0b0b0", True),
    COMMITS_ON: ("#a0522d", False),
    CO_OCCURS: ("#6aa87a", False),
    BROADER: ("#777777", True),
    MENTIONS: ("#9a9a9a", False),
}
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#1f77b4", "#8c564b"]
SEVERAL_REPORTS = "#8a8a8a"
TITLES = {
    "overview": "Who commits to what, on which topic",
    "actors-topics": "Actors and the topics they commit on",
    "topics": "Topics discussed together",
    "report": "One report",
    "ego": "Around one actor or topic",
    "compare": "Two reports compared by topic",
}
EXPLANATIONS = {
    "overview": "Actors commit to commitments, which are about topics and stated in reports; grey dashed links "
                "join an actor or topic to the reports that mention it.",
    "actors-topics": "A link joins an actor to a topic when the actor is the agent of a commitment on that topic; "
                     "its width is the number of such commitments.",
    "topics": "A link joins two topics named in the same sentence (width: number of sentences); dashed links "
              "lead to the broader topic in the SKOS hierarchy.",
    "report": "The commitments of one report, their actors and topics, and everything the report mentions.",
    "ego": "Everything within a few links of one actor or topic; reports are shown but not walked through.",
    "compare": "Topics only the first report mentions on the left (red, dropped), topics both mention in the "
               "middle (purple), topics only the second mentions on the right (green, new); by default the first "
               "report is the earliest and the second the latest. Link width: number of mentions.",
}


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _script_json(value) -> str:
    """JSON safe inside a <script> element: sorted keys, and no '<', '>' or '&' left raw."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _size(data: dict, degree: int) -> float:
    if data["kind"] == "report":
        return 30.0
    if data["kind"] in ("actor", "topic"):
        return round(min(42.0, 10 + 4 * math.sqrt(data.get("mentions", 0))), 2)
    return round(min(30.0, 9 + 2 * math.sqrt(degree)), 2)


def evidence_per_item(g: nx.MultiDiGraph, facts: Facts, budget: int) -> int:
    """How many evidence sentences each node and link of `g` keeps so that the page embeds at most
    `budget` sentences in all (0: no budget): the largest of EVIDENCE_STEPS that fits, else 1."""
    lists = [d["evidence"] for _, d in g.nodes(data=True)] + [d["evidence"] for _, _, d in g.edges(data=True)]
    for k in EVIDENCE_STEPS:
        if not budget or len({s for iris in lists for s in iris[:k] if s in facts.sentences}) <= budget:
            return k
    return EVIDENCE_STEPS[-1]


def page_data(g: nx.MultiDiGraph, facts: Facts, *, color_by: str = "type", left_out: int = 0,
              evidence_max: int = EVIDENCE_MAX) -> dict:
    """What the page's script draws: nodes, links, evidence sentences (the first `evidence_max` of
    each node and link), reports, legend entries and palettes, all in sorted order."""
    groups = communities(g)
    measures = centrality(g)
    report_ids = sorted({r for n in g.nodes for r in g.nodes[n]["reports"] if r in facts.reports},
                        key=lambda r: (facts.reports[r].year, facts.reports[r].title, r))
    report_index = {r: i for i, r in enumerate(report_ids)}
    sentences: list[str] = []
    sentence_index: dict[str, int] = {}

    def evidence(iris: list[str]) -> list[int]:
        out = []
        for s in iris[:evidence_max]:
            if s not in facts.sentences:
                continue
            if s not in sentence_index:
                sentence_index[s] = len(sentences)
                sentences.append(s)
            out.append(sentence_index[s])
        return out

    nodes = []
    for node in sorted(g.nodes):
        data = g.nodes[node]
        degree, between = measures[node]
        item = {"id": node, "label": _short(data["label"]), "name": data["label"], "kind": data["kind"],
                "group": data["group"], "reports": [report_index[r] for r in data["reports"] if r in report_index],
                "mentions": int(data.get("mentions", 0)), "degree": degree, "betweenness": between,
                "community": groups[node], "size": _size(data, degree), "info": [list(p) for p in data.get("info", [])],
                "evidence": evidence(data["evidence"]), "evidenceTotal": len(data["evidence"])}
        if "x" in data:
            # fixed layout (compare): boxes keep labels inside, so rows of topics do not overlap
            item.update(x=data["x"], y=data["y"], shape="box")
        nodes.append(item)
    edges = []
    for n, (u, v, key) in enumerate(sorted(g.edges(keys=True))):
        data = g.edges[u, v, key]
        edges.append({"id": f"e{n}", "from": u, "to": v, "relation": data["relation"], "weight": int(data["weight"]),
                      "evidence": evidence(data["evidence"]), "evidenceTotal": len(data["evidence"])})
    kinds = sorted({n["kind"] for n in nodes}, key=list(KINDS).index)
    used_groups = sorted({n["group"] for n in nodes}, key=list(GROUPS).index)
    relations = sorted({e["relation"] for e in edges}, key=list(RELATIONS).index)
    return {
        "view": g.graph.get("view", ""),
        "colorBy": color_by,
        "physics": not any("x" in n for n in nodes),
        "edgeLabels": g.graph.get("view") != "compare",
        "leftOut": left_out,
        "kinds": [{"id": k, "label": KINDS[k][0], "shape": KINDS[k][1]} for k in kinds],
        "groups": [{"id": k, "label": GROUPS[k][0], "color": GROUPS[k][1],
                    "shape": next(n.get("shape") or KINDS[n["kind"]][1] for n in nodes if n["group"] == k)}
                   for k in used_groups],
        "relations": [{"id": r, "color": RELATIONS[r][0], "dashes": RELATIONS[r][1], "arrows": DIRECTED[r]}
                      for r in relations],
        "reports": [{"id": r, "label": facts.reports[r].title, "year": facts.reports[r].year,
                     "color": PALETTE[i % len(PALETTE)]} for i, r in enumerate(report_ids)],
        "palette": PALETTE,
        "severalReports": SEVERAL_REPORTS,
        "communities": len(set(groups.values())),
        "nodes": nodes,
        "edges": edges,
        "sentences": [[facts.sentences[s].text, report_index.get(facts.sentences[s].report, -1),
                       facts.sentences[s].index] for s in sentences],
    }


def _heading(g: nx.MultiDiGraph, facts: Facts) -> str:
    kind = g.graph.get("view", "")
    title = TITLES.get(kind, kind)
    if kind == "report":
        title += f": {facts.reports[g.graph['focus']].title}"
    elif kind == "ego":
        entity = facts.entity(g.graph["focus"])
        title += f": {entity.label if entity else g.graph['focus']} (depth {g.graph['depth']})"
    elif kind == "compare":
        title += f": {facts.reports[g.graph['first']].title} → {facts.reports[g.graph['second']].title}"
    return title


@cache
def _template():
    """The page template, compiled once."""
    return Environment(autoescape=True, keep_trailing_newline=True).from_string(_asset("view.html"))


def render(g: nx.MultiDiGraph, facts: Facts, *, color_by: str = "type", left_out: int = 0,
           sentences: int = 0, notes: list[str] = (), graph_reports: int | None = None) -> str:
    """The HTML page of one view graph (from `kg.network.view`, with the facts it returns). The
    page embeds at most `sentences` evidence sentences (0: no limit); its note says what the view
    left out (`g.graph["notes"]`, then `notes`); its summary counts the `graph_reports` reports of
    the whole graph (default: those of `facts`)."""
    if color_by not in COLOR_BY:
        raise UsageError(f"unknown --color-by {color_by!r}; choose from {', '.join(COLOR_BY)}")
    evidence_max = evidence_per_item(g, facts, sentences)
    data = page_data(g, facts, color_by=color_by, left_out=left_out, evidence_max=evidence_max)
    kinds = {k["id"]: sum(1 for n in data["nodes"] if n["kind"] == k["id"]) for k in data["kinds"]}
    summary = (f"{_plural(len(data['nodes']), 'node')} "
               f"({', '.join(_plural(n, KINDS[k][0]) for k, n in kinds.items())}), "
               f"{_plural(len(data['edges']), 'link')}, {_plural(data['communities'], 'community', 'communities')}, "
               f"from {_plural(len(facts.reports) if graph_reports is None else graph_reports, 'report')}.")
    said = [*g.graph.get("notes", []), *notes]
    if left_out:
        said.append(f"Showing the {len(data['nodes'])} most central nodes of {len(data['nodes']) + left_out} "
                    f"(--top {len(data['nodes'])}); {left_out} less connected nodes are left out. "
                    f"Use --top 0 to draw them all, or the report and ego views to draw less.")
    if evidence_max < EVIDENCE_MAX:
        said.append(f"To keep the page small, each node and link quotes only its first "
                    f"{_plural(evidence_max, 'sentence')} of evidence ({len(data['sentences']):,} on the page).")
    return _template().render(title=_heading(g, facts), explanation=EXPLANATIONS.get(data["view"], ""),
                              summary=summary, note=" ".join(said), css=_asset("view.css"),
                              vis=_asset("vis-network.min.js"), js=_asset("view.js"), data=_script_json(data))


def file_name(g: nx.MultiDiGraph, facts: Facts, suffix: str = "html") -> str:
    """Where a view is written by default: graph.html for the overview, graph-<view>.html for the
    others, graph-report-<slug>.html for a report."""
    kind = g.graph.get("view", "overview")
    if kind == "overview":
        return f"graph.{suffix}"
    if kind == "report":
        return f"graph-report-{facts.reports[g.graph['focus']].slug}.{suffix}"
    return f"graph-{kind}.{suffix}"


def limits_for(top_n: int | None) -> Limits:
    """The limits of a page drawn with `--top top_n`: none for 0 (draw everything), else the defaults."""
    return NO_LIMITS if top_n == 0 else DEFAULT_LIMITS


def draw(facts: Facts, view_name: str = "overview", *, focus: list[str] | None = None, depth: int = 2,
         top_n: int | None = None, color_by: str = "type", notes: list[str] = (),
         limits: Limits | None = None) -> tuple[str, str]:
    """(file name, HTML page) of a named view of `facts`, within `limits` (default: `limits_for(top_n)`).
    `top_n` then keeps that many most central nodes (0: all, and no limit; None: all up to
    DEFAULT_TOP nodes); `notes` are added to what the page says it left out."""
    if top_n is not None and top_n < 0:
        raise UsageError("--top must be 0 (all nodes) or more")
    if color_by not in COLOR_BY:
        raise UsageError(f"unknown --color-by {color_by!r}; choose from {', '.join(COLOR_BY)}")
    limits = limits_for(top_n) if limits is None else limits
    g, drawn = view(facts, view_name, focus, depth, limits)
    name = file_name(g, drawn)
    g, left_out = top(g, DEFAULT_TOP if top_n is None else top_n)
    return name, render(g, drawn, color_by=color_by, left_out=left_out, sentences=limits.sentences, notes=notes,
                        graph_reports=len(facts.reports))


def render_views(source, top_n: int | None = None, limits: Limits | None = None) -> dict[str, str]:
    """The pages `kg build` writes, file name → HTML: graph.html (overview), graph-actors-topics.html,
    graph-topics.html, graph-compare.html (earliest and latest report, when there are two or more),
    graph-ego.html (around the most mentioned actor) and graph-report-<slug>.html per report (for the
    REPORT_PAGES_MAX reports with the most commitments, when there are more; the overview says so).
    `source` is a pyoxigraph Store, an rdflib graph or a graph path. Only the reports the pages draw
    are read in detail (`limits`, default: `limits_for(top_n)`)."""
    limits = limits_for(top_n) if limits is None else limits
    facts = load_facts(source, detail=limits.reports)
    ranked = facts.ranked_reports()
    overview_notes = []
    if len(ranked) > REPORT_PAGES_MAX:
        overview_notes.append(f"Report pages (graph-report-*.html) are written for the "
                              f"{_plural(REPORT_PAGES_MAX, 'report')} with the most commitments; "
                              f"kg viz --view report --focus REPORT draws any other.")
    requests: list[tuple[str, list[str], list[str]]] = [("overview", [], overview_notes), ("actors-topics", [], []),
                                                        ("topics", [], [])]
    if len(facts.reports) >= 2:
        requests.append(("compare", list(default_pair(facts)), []))
    mentioned = [a for a in facts.actors if facts.mention_counts.get(a)]
    if mentioned:
        requests.append(("ego", [min(mentioned, key=lambda a: (-facts.mention_counts[a], a))], []))
    requests += [("report", [r], []) for r in ranked[:REPORT_PAGES_MAX]]
    pages = dict(draw(facts, view_name, focus=focus, top_n=top_n, notes=notes, limits=limits)
                 for view_name, focus, notes in requests)
    return dict(sorted(pages.items()))
