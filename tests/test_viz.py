"""The views: projection of the RDF graph to networkx (kg.network), the HTML pages (kg.viz), the
`kg viz` and `kg export` commands. Expected values are recomputed here from the rdflib graph, by
another route than the SPARQL the projection uses."""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.cli import main
from kg.errors import UsageError
from kg import viz
from kg.network import (ABOUT, BROADER, CO_OCCURS, COMMITS_ON, COMMITS_TO, MENTIONED_IN, STATED_IN, STRENGTH, Limits,
                        build_view, communities, export_text, find_node, load_facts, simple, top)
from kg.viz import ASSETS, draw, render, render_views
from kg.vocab import ACTOR, KG, NIF, TOPIC

REPORT_2017 = "https://w3id.org/policykg/id/report/wic-2017-internet-development-trends"
REPORT_2018 = "https://w3id.org/policykg/id/report/wic-2018-wuzhen-outlook"
CDN = re.compile(r'(src|href)="https?://|@import|url\(\s*["\']?https?:', re.I)
DATA = re.compile(r'<script id="kg-data" type="application/json">(.*?)</script>', re.S)
NOTE = re.compile(r'<p id="note" class="note">(.*?)</p>', re.S)
#: Limits the bundled graph exceeds: it has two reports, so views draw one, as they draw the first
#: twelve of a thousand.
SMALL = Limits(reports=1, actors=5, topics=6, commitments=4, sentences=2000)


@pytest.fixture(scope="module")
def facts(built):
    return load_facts(built / "graph.ttl")


def page_json(html: str) -> dict:
    return json.loads(DATA.search(html).group(1))


def test_build_writes_every_view_self_contained(built):
    pages = sorted(p.name for p in built.glob("*.html"))
    assert pages == ["graph-actors-topics.html", "graph-compare.html", "graph-ego.html",
                     "graph-report-wic-2017-internet-development-trends.html",
                     "graph-report-wic-2018-wuzhen-outlook.html", "graph-topics.html", "graph.html"]
    for name in pages:
        html = (built / name).read_text(encoding="utf-8")
        assert not CDN.search(html), f"{name} references the network"
        assert "<link" not in html, name  # all CSS is inline
        assert "vis-network" in html and 'id="legend"' in html and 'id="search"' in html
        assert html.count("<script") == 3  # data, vendored vis-network, our script: nothing external


def test_pages_do_not_depend_on_how_the_graph_was_read(built, graph):
    """The build passes an rdflib graph; a Turtle file, the TriG named graphs and a pyoxigraph
    store give byte-identical pages: same facts, sorted the same way, same seeds."""
    from_build = {p.name: p.read_text(encoding="utf-8") for p in built.glob("*.html")}
    assert render_views(built / "graph.ttl") == from_build
    store = ox.Store()
    store.load(path=str(built / "graph.trig"), format=ox.RdfFormat.TRIG)
    assert len(list(store.named_graphs())) == 2
    assert render_views(store) == from_build
    assert render_views(graph) == from_build


def test_overview_links_every_commitment_to_its_agents_topics_report_and_sentence(facts, graph):
    g = build_view(facts, "overview")
    commitments = sorted(str(c) for c in graph.subjects(RDF.type, KG.Commitment))
    assert sorted(n for n, d in g.nodes(data=True) if d["kind"] == "commitment") == commitments
    for c in map(URIRef, commitments):
        sentence = graph.value(c, KG.sentence)
        report = str(graph.value(sentence, KG.report))
        assert g.edges[str(c), report, STATED_IN]["evidence"] == [str(sentence)]
        for agent in graph.objects(c, KG.agent):
            assert g.has_edge(str(agent), str(c), COMMITS_TO)
        for topic in graph.objects(c, KG.topic):
            assert g.has_edge(str(c), str(topic), ABOUT)
        assert g.nodes[str(c)]["evidence"] == [str(sentence)]
        assert facts.sentences[str(sentence)].text == " ".join(str(graph.value(sentence, NIF.anchorOf)).split())


def test_mentions_size_nodes_and_link_them_to_their_reports(facts, graph):
    g = build_view(facts, "overview")
    per_report = Counter()
    for m in graph.subjects(RDF.type, KG.Mention):
        per_report[str(graph.value(m, KG.refersTo)), str(graph.value(graph.value(m, KG.sentence), KG.report))] += 1
    for (target, report), n in per_report.items():
        assert g.edges[target, report, MENTIONED_IN]["weight"] == n
    community = str(ACTOR["international-community"])
    assert g.nodes[community]["mentions"] == sum(n for (t, _), n in per_report.items() if t == community) > 5
    assert g.nodes[community]["reports"] == [REPORT_2017, REPORT_2018]


def test_actors_topics_weight_counts_the_commitments_linking_them(facts, graph):
    expected = Counter((str(a), str(t)) for c in graph.subjects(RDF.type, KG.Commitment)
                       for a in graph.objects(c, KG.agent) for t in graph.objects(c, KG.topic))
    g = build_view(facts, "actors-topics")
    assert {(u, v): d["weight"] for u, v, d in g.edges(data=True)} == dict(expected)
    edge = g.edges[str(ACTOR["international-community"]), str(TOPIC["cybersecurity"]), COMMITS_ON]
    texts = [facts.sentences[s].text for s in edge["evidence"]]
    assert len(texts) == edge["weight"] and all("community" in t for t in texts)


def test_topics_view_counts_shared_sentences_and_keeps_the_skos_hierarchy(facts, graph):
    by_sentence = defaultdict(set)
    for m in graph.subjects(RDF.type, KG.Mention):
        target = graph.value(m, KG.refersTo)
        if (target, RDF.type, SKOS.Concept) in graph:
            by_sentence[graph.value(m, KG.sentence)].add(str(target))
    expected = Counter((a, b) for ts in by_sentence.values() for a in ts for b in ts if a < b)
    g = build_view(facts, "topics")
    assert {(u, v): d["weight"] for u, v, d in g.edges(data=True) if d["relation"] == CO_OCCURS} == dict(expected)
    broader = {(u, v) for u, v, d in g.edges(data=True) if d["relation"] == BROADER}
    for u, v in broader:
        assert (URIRef(u), SKOS.broader, URIRef(v)) in graph
    security = str(TOPIC["security-and-trust"])
    assert (str(TOPIC["cybersecurity"]), security) in broader
    assert g.nodes[security]["group"] == "broader topic"  # in the hierarchy, never mentioned


def test_compare_sorts_topics_into_dropped_shared_and_new(facts, graph):
    seen = defaultdict(set)
    for m in graph.subjects(RDF.type, KG.Mention):
        target = graph.value(m, KG.refersTo)
        if (target, RDF.type, SKOS.Concept) in graph:
            seen[str(target)].add(str(graph.value(graph.value(m, KG.sentence), KG.report)))
    g = build_view(facts, "compare")
    assert (g.graph["first"], g.graph["second"]) == (REPORT_2017, REPORT_2018)  # by year
    status = {n: d["group"] for n, d in g.nodes(data=True) if d["kind"] == "topic"}
    expected = {t: "shared" if len(rs) == 2 else ("dropped" if REPORT_2017 in rs else "new") for t, rs in seen.items()}
    assert status == expected
    assert status[str(TOPIC["cybersecurity"])] == "shared"
    # fixed layout: earlier report, dropped, shared, new, later report from left to right
    xs = {s: {g.nodes[n]["x"] for n in status if status[n] == s} for s in ("dropped", "shared", "new")}
    assert g.nodes[REPORT_2017]["x"] < min(xs["dropped"]) and max(xs["dropped"]) < min(xs["shared"])
    assert max(xs["shared"]) < min(xs["new"]) and max(xs["new"]) < g.nodes[REPORT_2018]["x"]
    reversed_ = build_view(facts, "compare", ["Wuzhen Outlook 2018", "wic-2017-internet-development-trends.txt"])
    assert {n for n, d in reversed_.nodes(data=True) if d["group"] == "new"} == \
        {n for n, s in status.items() if s == "dropped"}


def test_report_and_ego_views_keep_what_belongs_to_their_focus(facts):
    report = build_view(facts, "report", ["wuzhen"])
    assert [n for n, d in report.nodes(data=True) if d["kind"] == "report"] == [REPORT_2018]
    assert all(n.startswith(REPORT_2018 + "/") for n, d in report.nodes(data=True) if d["kind"] == "commitment")
    for n, d in report.nodes(data=True):
        assert all(facts.sentences[s].report == REPORT_2018 for s in d["evidence"])
    centre = str(TOPIC["cybersecurity"])
    ego1 = build_view(facts, "ego", ["cybersecurity"], depth=1)
    overview = build_view(facts, "overview")
    assert set(ego1) == {centre} | set(overview.predecessors(centre)) | set(overview.successors(centre))
    ego2 = build_view(facts, "ego", ["Cybersecurity"], depth=2)
    agents = {a for c in overview.predecessors(centre) if overview.nodes[c]["kind"] == "commitment"
              for a in overview.predecessors(c) if overview.nodes[a]["kind"] == "actor"}
    assert str(ACTOR["international-community"]) in agents <= set(ego2)
    assert len(ego2) < len(overview)  # reports are not walked through


def test_focus_names_one_node_or_says_why_not(facts):
    assert find_node(facts, "wic-2018-wuzhen-outlook.txt") == REPORT_2018
    assert find_node(facts, REPORT_2017) == REPORT_2017
    assert find_node(facts, "INTERNATIONAL COMMUNITY") == str(ACTOR["international-community"])
    with pytest.raises(UsageError, match="matches .* nodes"):
        find_node(facts, "internet")
    with pytest.raises(UsageError, match="matches no"):
        find_node(facts, "no such thing")
    with pytest.raises(UsageError, match="needs --focus"):
        build_view(facts, "ego")


def test_page_embeds_the_evidence_of_each_node_and_link(facts):
    name, html = draw(facts, "overview")
    assert name == "graph.html"
    data = page_json(html)
    g = build_view(facts, "overview")
    assert (len(data["nodes"]), len(data["edges"])) == (g.number_of_nodes(), g.number_of_edges())
    commitment = next(n for n in data["nodes"] if n["id"] == REPORT_2018 + "/commitment/9")
    text, report, index = data["sentences"][commitment["evidence"][0]]
    sentence = facts.commitments[commitment["id"]].sentence
    assert text == facts.sentences[sentence].text and "international community" in text
    assert data["reports"][report]["label"] == "Wuzhen Outlook 2018"
    assert ["modality", facts.commitments[commitment["id"]].modality] in commitment["info"]
    assert {k["id"] for k in data["kinds"]} == {"report", "actor", "topic", "commitment"}
    assert data["physics"] is True and data["leftOut"] == 0


def test_same_graph_same_bytes_and_seeded_communities(facts):
    assert draw(facts, "topics", color_by="community") == draw(facts, "topics", color_by="community")
    g = build_view(facts, "overview")
    first = communities(g)
    assert first == communities(build_view(facts, "overview"))
    assert sorted(set(first.values())) == list(range(len(set(first.values())))) and len(set(first.values())) > 1


def test_top_keeps_the_most_central_nodes_and_the_page_says_so(facts):
    g = build_view(facts, "overview")
    kept, left_out = top(g, 10)
    degree = dict(simple(g).degree())
    assert len(kept) == 10 and left_out == len(g) - 10
    assert min(degree[n] for n in kept) >= max(degree[n] for n in g if n not in kept)
    assert REPORT_2018 in kept
    _, html = draw(facts, "overview", top_n=10)
    assert f"Showing the 10 most central nodes of {len(g)}" in html
    assert len(page_json(html)["nodes"]) == 10


def test_labels_are_escaped_not_executed(tmp_path):
    """A label that closes the script element stays data."""
    g = Graph()
    report, topic, sentence, mention = (URIRef(f"https://w3id.org/policykg/id/report/x{s}") for s in ("", "/t", "/sentence/1", "/mention/1"))
    g.add((report, RDF.type, KG.Report))
    g.add((topic, RDF.type, SKOS.Concept))
    g.add((topic, SKOS.prefLabel, Literal("</script><script>alert(1)</script> & <b>", lang="en")))
    g.add((sentence, RDF.type, KG.Sentence))
    g.add((sentence, KG.report, report))
    g.add((sentence, NIF.anchorOf, Literal("A sentence about <b>x</b>.")))
    g.add((mention, RDF.type, KG.Mention))
    g.add((mention, KG.refersTo, topic))
    g.add((mention, KG.sentence, sentence))
    _, html = draw(load_facts(g), "overview")
    ours = html.replace((ASSETS / "vis-network.min.js").read_text(encoding="utf-8"), "")  # vis itself spells <b>
    assert "<script>alert" not in ours and "<b>" not in ours
    node = next(n for n in page_json(html)["nodes"] if n["kind"] == "topic")
    assert node["name"] == "</script><script>alert(1)</script> & <b>"


def test_kg_viz_and_export_commands(built, tmp_path, capsys):
    out = tmp_path / "compare.html"
    assert main(["viz", "--graph", str(built / "graph.ttl"), "--view", "compare", "--out", str(out)]) == 0
    assert page_json(out.read_text(encoding="utf-8"))["view"] == "compare"
    out = tmp_path / "ego.html"
    assert main(["viz", "--graph", str(built / "graph.trig"), "--view", "ego", "--focus", "cybersecurity",
                 "--depth", "1", "--color-by", "community", "--out", str(out)]) == 0
    assert page_json(out.read_text(encoding="utf-8"))["colorBy"] == "community"
    assert main(["viz", "--graph", str(built / "graph.ttl"), "--view", "report", "--out", str(tmp_path / "r.html")]) == 2
    assert capsys.readouterr().err.strip() == "kg: error: the report view needs --focus REPORT (a title, file name or slug)"

    graphml = tmp_path / "g.graphml"
    assert main(["export", "--format", "graphml", "--graph", str(built / "graph.ttl"), "--out", str(graphml)]) == 0
    back = nx.read_graphml(graphml)
    community = str(ACTOR["international-community"])
    assert back.nodes[community]["kind"] == "actor" and back.nodes[community]["label"] == "international community"
    c9 = REPORT_2018 + "/commitment/9"
    back = nx.read_graphml(graphml, force_multigraph=True)
    assert back.edges[c9, REPORT_2018, STATED_IN]["relation"] == STATED_IN
    assert "international community" in back.nodes[c9]["evidence"]
    gexf = tmp_path / "g.gexf"
    assert main(["export", "--format", "gexf", "--view", "actors-topics", "--graph", str(built / "graph.ttl"),
                 "--out", str(gexf)]) == 0
    text = gexf.read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text  # no date: the same graph gives the same file
    facts = load_facts(built / "graph.ttl")
    assert text == export_text(build_view(facts, "actors-topics"), facts, "gexf")
    assert nx.read_gexf(gexf).number_of_edges() == build_view(facts, "actors-topics").number_of_edges()


def test_render_refuses_unknown_colouring(facts):
    with pytest.raises(UsageError, match="color-by"):
        render(build_view(facts, "topics"), facts, color_by="rainbow")


def _mentions(graph) -> Counter:
    """(actor or topic, report) → mentions, read with rdflib: another route than the views' SPARQL."""
    return Counter((str(graph.value(m, KG.refersTo)), str(graph.value(graph.value(m, KG.sentence), KG.report)))
                   for m in graph.subjects(RDF.type, KG.Mention))


def _commitment_reports(graph) -> dict[str, str]:
    return {str(c): str(graph.value(graph.value(c, KG.sentence), KG.report))
            for c in graph.subjects(RDF.type, KG.Commitment)}


@pytest.mark.parametrize("source", ["store", "graph.ttl", "graph.trig"])
def test_summary_counts_every_report_without_reading_it(built, graph, source):
    """The counts Oxigraph aggregates (per named graph for the store and TriG, over the one default
    graph for Turtle) are those of the items the views read in detail."""
    facts = load_facts(built / source, detail=0)
    mentions = _mentions(graph)
    totals = Counter()
    for (target, _), n in mentions.items():
        totals[target] += n
    assert facts.mention_counts == dict(totals)
    assert facts.mention_counts[str(ACTOR["international-community"])] == sum(n for (t, _), n in mentions.items()
                                                                            if t == str(ACTOR["international-community"]))
    assert facts.mention_counts == {t: len(ss) for t, ss in facts.mentions.items()}
    per_report = Counter(_commitment_reports(graph).values())
    assert {r.iri: r.commitments for r in facts.reports.values()} == {REPORT_2017: per_report[REPORT_2017],
                                                                       REPORT_2018: per_report[REPORT_2018]}
    assert per_report[REPORT_2018] > per_report[REPORT_2017] > 0
    assert facts.ranked_reports() == [REPORT_2018, REPORT_2017]
    pairs = Counter((str(a), str(t)) for c in graph.subjects(RDF.type, KG.Commitment)
                    for a in graph.objects(c, KG.agent) for t in graph.objects(c, KG.topic))
    assert facts.pair_counts == dict(pairs)


def test_a_graph_past_the_report_limit_is_drawn_from_its_top_reports_and_says_so(built, graph):
    facts = load_facts(built / "store", detail=SMALL.reports)
    assert facts.detailed == (REPORT_2018,) and not facts.complete
    _, html = draw(facts, "overview", limits=SMALL)
    data = page_json(html)
    mentions = _mentions(graph)
    commitments_2018 = sorted(c for c, r in _commitment_reports(graph).items() if r == REPORT_2018)
    in_2018 = {t for t, r in mentions if r == REPORT_2018}
    nodes = {kind: {n["id"]: n for n in data["nodes"] if n["kind"] == kind} for kind in ("report", "actor", "topic",
                                                                                         "commitment")}
    assert list(nodes["report"]) == [REPORT_2018]
    assert [r["label"] for r in data["reports"]] == ["Wuzhen Outlook 2018"]  # the report filter lists the one drawn
    actors = {a for a in in_2018 if a.startswith(str(ACTOR))}
    topics = {t for t in in_2018 if t.startswith(str(TOPIC))}
    total = Counter()
    for (target, _), n in mentions.items():
        total[target] += n
    # the most mentioned in all reports, among those the drawn report mentions; sized by all mentions
    assert len(nodes["actor"]) == 5 and len(nodes["topic"]) == 6
    assert min(total[a] for a in nodes["actor"]) >= max(total[a] for a in actors - set(nodes["actor"]))
    assert min(total[t] for t in nodes["topic"]) >= max(total[t] for t in topics - set(nodes["topic"]))
    assert all(n["mentions"] == total[i] for i, n in {**nodes["actor"], **nodes["topic"]}.items())
    community = str(ACTOR["international-community"])
    assert community in nodes["actor"] and total[community] > mentions[community, REPORT_2018]
    # the strongest commitments of that report
    deontic = {c: str(graph.value(URIRef(c), KG.deonticClass)).rsplit("#", 1)[-1].lower() for c in commitments_2018}
    kept = set(nodes["commitment"])
    assert len(kept) == 4 and kept <= set(commitments_2018)
    assert max(STRENGTH.index(deontic[c]) for c in kept) <= min(STRENGTH.index(deontic[c])
                                                                for c in set(commitments_2018) - kept)
    # every evidence sentence is one of the drawn report's
    assert all(s[1] == 0 for s in data["sentences"]) and data["sentences"]
    note = NOTE.search(html).group(1)
    assert note.startswith("The graph holds 2 reports; this page is drawn from the 1 with the most commitments. "
                           f"Of what they hold, it keeps the 5 most mentioned of {len(actors)} actors, the 6 most "
                           f"mentioned of {len(topics)} topics and the 4 strongest of {len(commitments_2018)} "
                           "commitments (obligations first, then recommendations, pledges and aspirations).")
    assert "Node sizes count mentions in all 2 reports" in note


def test_views_past_the_limits_name_what_they_count(built):
    facts = load_facts(built / "store", detail=SMALL.reports)
    _, html = draw(facts, "ego", focus=["cybersecurity"], limits=SMALL)
    assert NOTE.search(html).group(1).startswith("The graph holds 2 reports; this page is drawn from the 1 with the "
                                                 "most commitments of the 2 that mention cybersecurity")
    assert {r["label"] for r in page_json(html)["reports"]} == {"Wuzhen Outlook 2018"}
    _, html = draw(facts, "topics", limits=SMALL)
    assert NOTE.search(html).group(1).startswith("The graph holds 2 reports; links count the sentences of the 1 with "
                                                 "the most commitments")
    assert len([n for n in page_json(html)["nodes"] if n["group"] == "topic"]) == 6
    _, html = draw(facts, "actors-topics", limits=SMALL)
    note = NOTE.search(html).group(1)
    assert note.startswith("Link widths count the commitments of all 2 reports; the evidence quoted comes from the 1")
    assert note.endswith("It keeps the 6 topics with the most commitments, of 23.")
    whole = build_view(facts, "actors-topics")
    edges = {(e["from"], e["to"]): e["weight"] for e in page_json(html)["edges"]}
    assert edges and all(whole.edges[u, v, COMMITS_ON]["weight"] == w for (u, v), w in edges.items())
    # a report page and the compare view are drawn whole, from their own reports
    _, html = draw(facts, "report", focus=["wic-2017-internet-development-trends"], limits=SMALL)
    assert NOTE.search(html) is None
    assert page_json(html) == page_json((built / "graph-report-wic-2017-internet-development-trends.html")
                                        .read_text(encoding="utf-8"))


def test_limited_pages_do_not_depend_on_how_the_graph_was_read(built):
    """Named graphs (store, TriG) are read one report at a time, Turtle whole: same pages."""
    pages = render_views(built / "store", limits=SMALL)
    assert render_views(built / "graph.ttl", limits=SMALL) == pages
    assert render_views(built / "graph.trig", limits=SMALL) == pages
    assert NOTE.search(pages["graph.html"]) is not None


def test_a_page_past_its_sentence_budget_quotes_fewer_sentences_per_item(facts):
    """The bundled overview quotes 109 sentences; with room for 100, each item keeps 3 (96 in all: 5
    each would take 102)."""
    evidence = [d["evidence"] for _, d in build_view(facts, "overview").nodes(data=True)]
    evidence += [d["evidence"] for _, _, d in build_view(facts, "overview").edges(data=True)]
    assert [len({s for e in evidence for s in e[:k]}) for k in (30, 5, 3)] == [109, 102, 96]
    _, html = draw(facts, "overview", limits=Limits(sentences=100))
    data = page_json(html)
    assert len(data["sentences"]) == 96
    assert max(len(x["evidence"]) for x in data["nodes"] + data["edges"]) == 3
    assert ("To keep the page small, each node and link quotes only its first 3 sentences of evidence (96 on the page)."
            == NOTE.search(html).group(1))
    community = next(n for n in data["nodes"] if n["id"] == str(ACTOR["international-community"]))
    assert len(community["evidence"]) == 3 and community["evidenceTotal"] > 3  # the panel says how many more


def test_build_writes_report_pages_for_the_reports_with_most_commitments(built, monkeypatch):
    monkeypatch.setattr(viz, "REPORT_PAGES_MAX", 1)
    pages = render_views(built / "store")
    assert [p for p in pages if p.startswith("graph-report-")] == ["graph-report-wic-2018-wuzhen-outlook.html"]
    assert ("Report pages (graph-report-*.html) are written for the 1 report with the most commitments"
            in NOTE.search(pages["graph.html"]).group(1))
