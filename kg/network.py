"""The RDF graph projected to networkx: the one module that turns triples into nodes and edges.

The facts are read with the SELECT queries in `kg/viz_queries/` (one pass each, so the cost is
linear in the graph) from a pyoxigraph Store, the store a build writes or an RDF file loaded into
memory; an rdflib graph is loaded into an in-memory Store first. Each view is then built from those
facts in sorted order, so the same graph always gives the same networkx graph, the same
communities and the same HTML. `kg viz` draws these graphs (kg/viz.py) and
`kg export --format graphml|gexf` writes them for Gephi or Cytoscape.

Node attributes: `kind` (report, actor, topic, commitment), `label`, `group` (what the legend
colours by type: the kind, or a topic's status in the compare view), `reports` (IRIs of the reports
the node comes from), `mentions`, `evidence` (IRIs of the sentences behind the node) and `info`
(label/value pairs shown beside the evidence). Edge attributes: `relation`, `weight`, `evidence`.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Graph

from .errors import QueryError, UsageError
from .vocab import KG

QUERY_DIR = Path(__file__).resolve().parent / "viz_queries"
VIEWS = ("overview", "actors-topics", "topics", "report", "ego", "compare")
EXPORT_FORMATS = ("graphml", "gexf")
#: Louvain is seeded so that communities (and the colours drawn from them) never change between runs.
LOUVAIN_SEED = 7

# Relations, by view: what an edge means, and whether its direction reads as an arrow.
COMMITS_TO = "commits to"
ABOUT = "about"
STATED_IN = "stated in"
MENTIONED_IN = "mentioned in"
COMMITS_ON = "commits on"
CO_OCCURS = "co-occurs with"
BROADER = "broader"
MENTIONS = "mentions"
DIRECTED = {COMMITS_TO: True, ABOUT: True, STATED_IN: True, MENTIONED_IN: True, COMMITS_ON: False,
            CO_OCCURS: False, BROADER: True, MENTIONS: True}


@dataclass(frozen=True)
class Sentence:
    iri: str
    text: str
    report: str
    index: int


@dataclass(frozen=True)
class Report:
    iri: str
    title: str
    year: str
    file: str

    @property
    def slug(self) -> str:
        """The last segment of the report's IRI (`wic-2018-wuzhen-outlook`)."""
        return self.iri.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Entity:
    """An actor or a topic."""

    iri: str
    kind: str
    label: str
    type: str
    broader: tuple[str, ...] = ()


@dataclass(frozen=True)
class Commitment:
    iri: str
    text: str
    modality: str
    deontic: str
    agent_text: str
    sentence: str
    report: str
    agents: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass
class Facts:
    """What the views are drawn from, keyed by IRI. `mentions` maps an actor or topic to the
    sentences naming it (one entry per mention, sorted)."""

    reports: dict[str, Report] = field(default_factory=dict)
    actors: dict[str, Entity] = field(default_factory=dict)
    topics: dict[str, Entity] = field(default_factory=dict)
    commitments: dict[str, Commitment] = field(default_factory=dict)
    mentions: dict[str, list[str]] = field(default_factory=dict)
    sentences: dict[str, Sentence] = field(default_factory=dict)

    @cached_property
    def committed(self) -> dict[str, list[str]]:
        """Sentences of the commitments each actor or topic takes part in (computed once)."""
        out: dict[str, list[str]] = defaultdict(list)
        for c in self.commitments.values():
            for x in (*c.agents, *c.topics):
                out[x].append(c.sentence)
        return out

    @cached_property
    def commitment_counts(self) -> dict[str, int]:
        """Number of commitments stated in each report (computed once)."""
        out: dict[str, int] = defaultdict(int)
        for c in self.commitments.values():
            out[c.report] += 1
        return out

    def entity(self, iri: str) -> Entity | None:
        return self.actors.get(iri) or self.topics.get(iri)

    def sentence_key(self, iri: str) -> tuple:
        """Sort key putting evidence in reading order: report title, then position in the report."""
        s = self.sentences.get(iri)
        if s is None:
            return ("\uffff", 0, iri)
        report = self.reports.get(s.report)
        return (report.title if report else s.report, s.index, iri)

    def restricted(self, report: str) -> "Facts":
        """The facts of one report only (its commitments, and mentions in its sentences)."""
        sentences = {k: s for k, s in self.sentences.items() if s.report == report}
        mentions = {t: [s for s in ss if s in sentences] for t, ss in self.mentions.items()}
        return replace(self, reports={report: self.reports[report]},
                       commitments={k: c for k, c in self.commitments.items() if c.report == report},
                       mentions={t: ss for t, ss in mentions.items() if ss}, sentences=sentences)


# ------------------------------------------------------------------ reading the RDF graph

def as_store(source: ox.Store | Graph | Path | str) -> ox.Store:
    """A pyoxigraph Store for `source`: a Store as is; an rdflib Graph or Dataset loaded into an
    in-memory Store; a path opened with `kg.store.open_store` (a store folder or an RDF file)."""
    if isinstance(source, ox.Store):
        return source
    if isinstance(source, Graph):
        store = ox.Store()
        if isinstance(source, Dataset) or getattr(source, "context_aware", False):
            store.load(source.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
        else:
            store.load(source.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return store
    from .store import open_store

    return open_store(Path(source))


def _select(store: ox.Store, name: str) -> list[dict[str, object]]:
    """The rows of `kg/viz_queries/<name>.rq` on the union of the store's graphs."""
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    try:
        solutions = store.query(text, use_default_graph_as_union=True)
    except (SyntaxError, OSError) as e:
        raise QueryError(f"viz query {name}: {e}") from e
    variables = [v.value for v in solutions.variables]
    return [{v: row[v] for v in variables} for row in solutions]


def _value(term) -> str:
    return "" if term is None else term.value


def _lang(term) -> str:
    return getattr(term, "language", None) or ""


def _best(labels: list) -> str:
    """The English label if there is one, else an untagged one, else the first in order."""
    if not labels:
        return ""
    return min(labels, key=lambda t: (_lang(t) != "en", _lang(t) != "", _lang(t), t.value)).value


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load_facts(source: ox.Store | Graph | Path | str) -> Facts:
    """Read reports, actors, topics, commitments, mentions and evidence sentences from `source`."""
    store = as_store(source)
    facts = Facts()

    titles: dict[str, list] = defaultdict(list)
    report_meta: dict[str, tuple[str, str]] = {}
    for row in _select(store, "reports"):
        iri = _value(row["report"])
        if row["title"] is not None:
            titles[iri].append(row["title"])
        year, file = report_meta.get(iri, ("", ""))
        report_meta[iri] = (max(year, _value(row["year"])), max(file, _value(row["file"])))
    for iri in sorted(report_meta):
        year, file = report_meta[iri]
        facts.reports[iri] = Report(iri, _words(_best(titles[iri])) or file or _local(iri), year, file)

    labels: dict[str, list] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, "actors"):
        iri = _value(row["actor"])
        types[iri].add(_value(row["type"]))
        if row["label"] is not None:
            labels[iri].append(row["label"])
    for iri in sorted(types):
        specific = sorted(t for t in types[iri] if t != str(KG.Actor)) or [str(KG.Actor)]
        facts.actors[iri] = Entity(iri, "actor", _best(labels[iri]) or _local(iri), _spaced(_local(specific[0])))

    labels = defaultdict(list)
    broader: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, "topics"):
        iri = _value(row["topic"])
        broader[iri]  # every concept gets an entry, with or without broader ones
        if row["label"] is not None:
            labels[iri].append(row["label"])
        if row["broader"] is not None:
            broader[iri].add(_value(row["broader"]))
    for iri in sorted(broader):
        if iri in facts.actors:
            continue
        facts.topics[iri] = Entity(iri, "topic", _best(labels[iri]) or _local(iri), "topic",
                                   tuple(sorted(broader[iri])))

    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"agent": set(), "topic": set()})
    for row in _select(store, "commitment-links"):
        links[_value(row["commitment"])][_value(row["relation"])].add(_value(row["target"]))
    for row in sorted(_select(store, "commitments"), key=lambda r: (_value(r["commitment"]), _value(r["deontic"]))):
        iri = _value(row["commitment"])
        if iri in facts.commitments:
            continue
        link = links.get(iri, {"agent": set(), "topic": set()})
        facts.commitments[iri] = Commitment(
            iri, _words(_value(row["text"])), _value(row["modality"]),
            _local(_value(row["deontic"])).lower() if row["deontic"] is not None else "",
            _value(row["agentText"]), _value(row["sentence"]), _value(row["report"]),
            tuple(sorted(a for a in link["agent"] if a in facts.actors)),
            tuple(sorted(t for t in link["topic"] if t in facts.topics)))

    for row in _select(store, "sentences"):
        iri = _value(row["sentence"])
        index = int(row["index"].value) if row["index"] is not None else 0
        facts.sentences[iri] = Sentence(iri, _words(_value(row["text"])), _value(row["report"]), index)

    mentions: dict[str, list[str]] = defaultdict(list)
    for row in _select(store, "mentions"):
        target, sentence = _value(row["target"]), _value(row["sentence"])
        if facts.entity(target) is not None and sentence in facts.sentences:
            mentions[target].append(sentence)
    facts.mentions = {t: sorted(ss, key=facts.sentence_key) for t, ss in sorted(mentions.items())}
    return facts


def _spaced(name: str) -> str:
    """`InternationalOrganisation` → `international organisation`."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


# ------------------------------------------------------------------ views

def _evidence(facts: Facts, sentences) -> list[str]:
    return sorted(set(sentences), key=facts.sentence_key)


def _reports_of(facts: Facts, sentences) -> list[str]:
    return sorted({facts.sentences[s].report for s in sentences if s in facts.sentences})


def _add_report(g: nx.MultiDiGraph, facts: Facts, report: Report, group: str = "report") -> None:
    info = [("year", report.year), ("file", report.file), ("commitments", str(facts.commitment_counts.get(report.iri, 0)))]
    g.add_node(report.iri, kind="report", label=report.title, group=group, reports=[report.iri],
               mentions=0, evidence=[], info=[(k, v) for k, v in info if v])


def _add_entity(g: nx.MultiDiGraph, facts: Facts, entity: Entity, group: str | None = None) -> None:
    sentences = facts.mentions.get(entity.iri, [])
    committed = facts.committed.get(entity.iri, [])
    info = [("type", entity.type)] if entity.kind == "actor" else []
    if entity.broader:
        info.append(("broader", ", ".join(sorted(facts.topics[b].label if b in facts.topics else _local(b)
                                                 for b in entity.broader))))
    g.add_node(entity.iri, kind=entity.kind, label=entity.label, group=group or entity.kind,
               reports=_reports_of(facts, [*sentences, *committed]), mentions=len(sentences),
               evidence=_evidence(facts, [*sentences, *committed]), info=info)


def _commitment_label(c: Commitment) -> str:
    words = c.text.split()
    short = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
    return short or c.modality


def overview(facts: Facts) -> nx.MultiDiGraph:
    """Reports, actors, topics and commitments: actor —commits to→ commitment —about→ topic,
    commitment —stated in→ report, actor or topic —mentioned in→ report (weight: mentions)."""
    g = nx.MultiDiGraph(view="overview")
    for report in facts.reports.values():
        _add_report(g, facts, report)
    linked = {x for c in facts.commitments.values() for x in (*c.agents, *c.topics)}
    for iri in sorted(set(facts.mentions) | linked):
        _add_entity(g, facts, facts.entity(iri))
    for iri, c in facts.commitments.items():
        info = [("modality", c.modality), ("deontic class", c.deontic), ("agent as written", c.agent_text),
                ("commitment", c.text)]
        g.add_node(iri, kind="commitment", label=_commitment_label(c), group="commitment",
                   reports=[c.report], mentions=0, evidence=[c.sentence], info=[(k, v) for k, v in info if v])
        for a in c.agents:
            g.add_edge(a, iri, key=COMMITS_TO, relation=COMMITS_TO, weight=1, evidence=[c.sentence])
        for t in c.topics:
            g.add_edge(iri, t, key=ABOUT, relation=ABOUT, weight=1, evidence=[c.sentence])
        if c.report in g:
            g.add_edge(iri, c.report, key=STATED_IN, relation=STATED_IN, weight=1, evidence=[c.sentence])
    for iri, sentences in facts.mentions.items():
        by_report: dict[str, list[str]] = defaultdict(list)
        for s in sentences:
            by_report[facts.sentences[s].report].append(s)
        for report in sorted(by_report):
            if report in g:
                g.add_edge(iri, report, key=MENTIONED_IN, relation=MENTIONED_IN, weight=len(by_report[report]),
                           evidence=_evidence(facts, by_report[report]))
    return g


def actors_topics(facts: Facts) -> nx.MultiDiGraph:
    """Actors and topics; an edge's weight is the number of commitments in which the actor is the
    agent and the topic a topic."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in facts.commitments.values():
        for a in c.agents:
            for t in c.topics:
                pairs[a, t].append(c.sentence)
    g = nx.MultiDiGraph(view="actors-topics")
    for iri in sorted({x for pair in pairs for x in pair}):
        _add_entity(g, facts, facts.entity(iri))
    for (a, t), sentences in sorted(pairs.items()):
        g.add_edge(a, t, key=COMMITS_ON, relation=COMMITS_ON, weight=len(sentences), evidence=_evidence(facts, sentences))
    return g


def topics(facts: Facts) -> nx.MultiDiGraph:
    """Topics that occur in the same sentence (weight: the number of such sentences), with the
    SKOS hierarchy: every broader concept of a mentioned topic, linked by `broader` edges."""
    by_sentence: dict[str, set[str]] = defaultdict(set)
    for iri, sentences in facts.mentions.items():
        if iri in facts.topics:
            for s in sentences:
                by_sentence[s].add(iri)
    mentioned = sorted({t for ts in by_sentence.values() for t in ts})
    shown = set(mentioned)
    stack = list(mentioned)
    while stack:
        for b in facts.topics[stack.pop()].broader:
            if b in facts.topics and b not in shown:
                shown.add(b)
                stack.append(b)
    g = nx.MultiDiGraph(view="topics")
    for iri in sorted(shown):
        _add_entity(g, facts, facts.topics[iri], group="topic" if iri in facts.mentions else "broader topic")
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s, ts in by_sentence.items():
        ordered = sorted(ts)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                pairs[a, b].append(s)
    for (a, b), sentences in sorted(pairs.items()):
        g.add_edge(a, b, key=CO_OCCURS, relation=CO_OCCURS, weight=len(sentences), evidence=_evidence(facts, sentences))
    for iri in sorted(shown):
        for b in facts.topics[iri].broader:
            if b in shown:
                g.add_edge(iri, b, key=BROADER, relation=BROADER, weight=1, evidence=[])
    return g


def find_node(facts: Facts, focus: str, kinds: tuple[str, ...] = ("report", "actor", "topic")) -> str:
    """The IRI `focus` names: an IRI, a slug, a label or acronym-free name, or a report's file name
    or title; failing an exact match, the one node whose label contains it. Raises UsageError when
    nothing or several nodes match."""
    candidates: list[tuple[str, list[str]]] = []
    if "report" in kinds:
        candidates += [(r.iri, [r.iri, r.slug, r.title, r.file, Path(r.file).stem]) for r in facts.reports.values()]
    if "actor" in kinds:
        candidates += [(e.iri, [e.iri, _local(e.iri), e.label]) for e in facts.actors.values()]
    if "topic" in kinds:
        candidates += [(e.iri, [e.iri, _local(e.iri), e.label]) for e in facts.topics.values()]
    wanted = focus.strip().casefold()
    exact = sorted({iri for iri, names in candidates if wanted in (n.casefold() for n in names if n)})
    if len(exact) == 1:
        return exact[0]
    partial = sorted({iri for iri, names in candidates if any(wanted in n.casefold() for n in names[1:] if n)})
    if len(exact) > 1 or len(partial) > 1:
        found = sorted(exact or partial)
        shown = ", ".join(_local(i) for i in found[:5]) + (" …" if len(found) > 5 else "")
        raise UsageError(f"--focus {focus!r} matches {len(found)} nodes ({shown}); be more precise")
    if partial:
        return partial[0]
    raise UsageError(f"--focus {focus!r} matches no {' or '.join(kinds)} in the graph")


def report_view(facts: Facts, focus: str) -> nx.MultiDiGraph:
    """The overview of one report: its commitments, and the actors and topics it mentions."""
    report = find_node(facts, focus, ("report",))
    g = overview(facts.restricted(report))
    g.graph.update(view="report", focus=report)
    return g


def ego(facts: Facts, focus: str, depth: int = 2) -> nx.MultiDiGraph:
    """The overview's nodes within `depth` links of one actor or topic, either direction. Reports
    are included but not walked through: every node of a report is two links from any other, so a
    walk through them would return the whole graph."""
    if depth < 1:
        raise UsageError("--depth must be 1 or more")
    centre = find_node(facts, focus, ("actor", "topic"))
    whole = overview(facts)
    if centre not in whole:
        raise UsageError(f"--focus {focus!r}: {_local(centre)} is neither mentioned nor committed to")
    undirected = whole.to_undirected(as_view=True)
    seen = {centre}
    frontier = [centre]
    for _ in range(depth):
        reached = []
        for node in frontier:
            if node != centre and whole.nodes[node]["kind"] == "report":
                continue
            for other in sorted(undirected.neighbors(node)):
                if other not in seen:
                    seen.add(other)
                    reached.append(other)
        frontier = reached
    g = nx.MultiDiGraph(whole.subgraph(sorted(seen)))
    g.graph.update(view="ego", focus=centre, depth=depth)
    return g


def default_pair(facts: Facts) -> tuple[str, str]:
    """The earliest and the latest report (by year, then title): what `compare` shows by default."""
    ordered = sorted(facts.reports.values(), key=lambda r: (r.year, r.title, r.iri))
    if len(ordered) < 2:
        raise UsageError("the compare view needs two reports; the graph holds "
                         f"{len(ordered)}")
    return ordered[0].iri, ordered[-1].iri


def compare(facts: Facts, first: str | None = None, second: str | None = None) -> nx.MultiDiGraph:
    """Two reports side by side by topic: topics both mention ("shared"), topics only the first
    mentions ("dropped") and only the second ("new"). Edges: report —mentions→ topic, weighted by
    the number of mentions. Nodes carry fixed positions (x, y): first report, dropped, shared,
    new, second report, left to right."""
    a, b = default_pair(facts) if first is None and second is None else (
        find_node(facts, first or "", ("report",)), find_node(facts, second or "", ("report",)))
    if a == b:
        raise UsageError("compare needs two different reports")
    per_report: dict[str, dict[str, list[str]]] = {a: defaultdict(list), b: defaultdict(list)}
    for iri, sentences in facts.mentions.items():
        if iri in facts.topics:
            for s in sentences:
                r = facts.sentences[s].report
                if r in per_report:
                    per_report[r][iri].append(s)
    g = nx.MultiDiGraph(view="compare", first=a, second=b)
    columns = {"dropped": -330, "shared": 0, "new": 330}
    _add_report(g, facts, facts.reports[a], group="first report")
    _add_report(g, facts, facts.reports[b], group="second report")
    g.nodes[a].update(x=-650, y=0)
    g.nodes[b].update(x=650, y=0)
    status = {}
    for t in sorted(set(per_report[a]) | set(per_report[b])):
        status[t] = "shared" if t in per_report[a] and t in per_report[b] else ("dropped" if t in per_report[a] else "new")
    for name, x in columns.items():
        column = sorted((t for t in status if status[t] == name),
                        key=lambda t: (-sum(len(per_report[r].get(t, [])) for r in (a, b)), facts.topics[t].label, t))
        for row, t in enumerate(column):
            _add_entity(g, facts, facts.topics[t], group=name)
            g.nodes[t]["info"] = [("in the comparison", name), *g.nodes[t]["info"]]
            g.nodes[t].update(x=x, y=(row - (len(column) - 1) / 2) * 34)
    for r in (a, b):
        for t, sentences in sorted(per_report[r].items()):
            g.add_edge(r, t, key=MENTIONS, relation=MENTIONS, weight=len(sentences), evidence=_evidence(facts, sentences))
    return g


def build_view(facts: Facts, view: str, focus: list[str] | None = None, depth: int = 2) -> nx.MultiDiGraph:
    """The networkx graph of one named view (see VIEWS); `focus` names the report (report view),
    the actor or topic (ego view) or the two reports (compare view)."""
    focus = [f for f in (focus or []) if f]
    if view == "overview":
        return overview(facts)
    if view == "actors-topics":
        return actors_topics(facts)
    if view == "topics":
        return topics(facts)
    if view == "report":
        if len(focus) != 1:
            raise UsageError("the report view needs --focus REPORT (a title, file name or slug)")
        return report_view(facts, focus[0])
    if view == "ego":
        if len(focus) != 1:
            raise UsageError("the ego view needs --focus ACTOR_OR_TOPIC")
        return ego(facts, focus[0], depth)
    if view == "compare":
        if len(focus) not in (0, 2):
            raise UsageError("the compare view takes no --focus (earliest and latest report) or two")
        return compare(facts, *focus) if focus else compare(facts)
    raise UsageError(f"unknown view {view!r}; choose from {', '.join(VIEWS)}")


# ------------------------------------------------------------------ measures

def simple(g: nx.MultiDiGraph) -> nx.Graph:
    """`g` without directions or parallel links, nodes and links in sorted order."""
    out = nx.Graph()
    out.add_nodes_from(sorted(g.nodes))
    out.add_edges_from(sorted((u, v) for u, v in g.edges()))
    return out


def communities(g: nx.MultiDiGraph) -> dict[str, int]:
    """Louvain communities (seeded, weighted), numbered 0.. by size then first node."""
    if g.number_of_nodes() == 0:
        return {}
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(g.nodes))
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1])):
        w = data.get("weight", 1) + (undirected[u][v]["weight"] if undirected.has_edge(u, v) else 0)
        undirected.add_edge(u, v, weight=w)
    found = nx.community.louvain_communities(undirected, weight="weight", seed=LOUVAIN_SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {n: i for i, c in enumerate(ordered) for n in c}


def centrality(g: nx.MultiDiGraph) -> dict[str, tuple[int, float]]:
    """(degree, betweenness) of every node, links counted in both directions. Betweenness is exact
    up to 1,000 nodes and estimated from 200 seeded sample nodes beyond."""
    undirected = simple(g)
    n = g.number_of_nodes()
    k = None if n <= 1000 else 200
    between = nx.betweenness_centrality(undirected, k=k, seed=LOUVAIN_SEED, normalized=True) if n else {}
    return {node: (undirected.degree(node), round(between.get(node, 0.0), 6)) for node in g.nodes}


def top(g: nx.MultiDiGraph, n: int) -> tuple[nx.MultiDiGraph, int]:
    """The `n` most central nodes of `g` (by degree, then mentions, then IRI) and the number of
    nodes left out."""
    if n <= 0 or g.number_of_nodes() <= n:
        return g, 0
    undirected = simple(g)
    ranked = sorted(g.nodes, key=lambda x: (-undirected.degree(x), -g.nodes[x].get("mentions", 0), x))
    kept = set(ranked[:n])
    sub = nx.MultiDiGraph(g.subgraph(kept))
    sub.graph.update(g.graph)
    return sub, g.number_of_nodes() - n


# ------------------------------------------------------------------ export for Gephi / Cytoscape

def exportable(g: nx.MultiDiGraph, facts: Facts) -> nx.MultiDiGraph:
    """A copy of `g` with only scalar attributes, as GraphML and GEXF need: lists joined with
    " | ", evidence given as its first sentence's text and a count, plus community, degree and
    betweenness."""
    out = nx.MultiDiGraph()
    out.graph.update({k: v for k, v in g.graph.items() if isinstance(v, (str, int, float))})
    groups = communities(g)
    measures = centrality(g)
    for node in sorted(g.nodes):
        data = g.nodes[node]
        attrs = {"label": data["label"], "kind": data["kind"], "group": data["group"],
                 "reports": " | ".join(facts.reports[r].title for r in data["reports"] if r in facts.reports),
                 "mentions": int(data.get("mentions", 0)), "community": groups[node],
                 "degree": measures[node][0], "betweenness": measures[node][1],
                 "evidence_count": len(data["evidence"]),
                 "evidence": facts.sentences[data["evidence"][0]].text if data["evidence"] else ""}
        for key, value in data.get("info", []):
            attrs["info_" + re.sub(r"\W+", "_", key)] = value
        out.add_node(node, **attrs)
    for u, v, key in sorted(g.edges(keys=True)):
        data = g.edges[u, v, key]
        out.add_edge(u, v, key=key, relation=data["relation"], label=data["relation"], weight=int(data["weight"]),
                     evidence_count=len(data["evidence"]),
                     evidence=facts.sentences[data["evidence"][0]].text if data["evidence"] else "")
    return out


def export_text(g: nx.MultiDiGraph, facts: Facts, fmt: str) -> str:
    """`g` as GraphML or GEXF text, byte-identical for the same graph (GEXF's date is dropped)."""
    flat = exportable(g, facts)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat, prettyprint=True)) + "\n"
    if fmt == "gexf":
        text = "\n".join(nx.generate_gexf(flat, prettyprint=True)) + "\n"
        return re.sub(r'\s+lastmodifieddate="[^"]*"', "", text, count=1)
    raise UsageError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
