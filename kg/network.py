"""The RDF graph projected to networkx: the one module that turns triples into nodes and edges.

The facts are read with the SELECT queries in `kg/viz_queries/` from a pyoxigraph Store (the store
a build writes, or an RDF file loaded into memory; an rdflib graph is loaded into an in-memory
Store first). They come in two parts, so that a graph of thousands of reports is drawn at the
cost of a few:

- the summary, for every report: reports with their number of commitments, actors, topics, how
  many times each actor or topic is mentioned, and how many commitments join each actor to each
  topic, all counted by Oxigraph (GROUP BY) without reading the items;
- the detail of the reports a view draws (their sentences, mentions and commitments), read on
  demand. When each report has its own named graph (the build's store, TriG), only those graphs
  are read; a file without named graphs is read once, whole.

Each view is then built in sorted order, so the same graph always gives the same networkx graph,
the same communities and the same HTML. A graph of more reports than `Limits.reports` is drawn
from its reports with the most commitments, keeping the most mentioned actors and topics and the
strongest commitments; `g.graph["notes"]` says what a view left out. `kg viz` draws these graphs
(kg/viz.py) and `kg export --format graphml|gexf` writes them, whole, for Gephi or Cytoscape.

Node attributes: `kind` (report, actor, topic, commitment), `label`, `group` (what the legend
colours by type: the kind, or a topic's status in the compare view), `reports` (IRIs of the reports
the node comes from), `mentions`, `evidence` (IRIs of the sentences behind the node) and `info`
(label/value pairs shown beside the evidence). Edge attributes: `relation`, `weight`, `evidence`.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Iterable

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
#: Betweenness is exact up to this many nodes, and estimated from BETWEENNESS_SAMPLES seeded source
#: nodes beyond (exact costs nodes x links: seconds per page at a few hundred nodes).
BETWEENNESS_EXACT_MAX = 150
BETWEENNESS_SAMPLES = 50
#: Deontic classes, strongest first: the order in which a view keeps commitments past its limit.
STRENGTH = ("obligation", "recommendation", "pledge", "aspiration")

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
class Limits:
    """How much of a large graph one view draws. A graph of up to `reports` reports is drawn whole
    (12: the colours of the report palette); a larger one from its `reports` reports with the most
    commitments, keeping of what they hold the `actors` and `topics` mentioned most and the
    `commitments` of the strongest deontic class. A page embeds at most `sentences` evidence
    sentences. 0 means no limit. The page says what a limit left out."""

    reports: int = 12
    actors: int = 40
    topics: int = 80
    commitments: int = 150
    sentences: int = 2000


#: What `kg build` and `kg viz` draw.
DEFAULT_LIMITS = Limits()
#: Everything (`kg viz --top 0`, `kg export`).
NO_LIMITS = Limits(0, 0, 0, 0, 0)


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
    commitments: int = 0

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
    """What the views are drawn from, keyed by IRI.

    `reports` (with their number of commitments), `actors`, `topics`, `mention_counts` (how many
    times each actor or topic is mentioned) and `pair_counts` (how many commitments have an actor
    as agent and a topic as topic) cover every report of `reports`. `commitments` and `mentions`
    (an actor or topic → the sentences naming it, one entry per mention, in reading order) cover
    the reports of `detailed` only: all of them for a graph within the limits. `sentences` holds
    every evidence sentence read so far."""

    reports: dict[str, Report] = field(default_factory=dict)
    actors: dict[str, Entity] = field(default_factory=dict)
    topics: dict[str, Entity] = field(default_factory=dict)
    commitments: dict[str, Commitment] = field(default_factory=dict)
    mentions: dict[str, list[str]] = field(default_factory=dict)
    sentences: dict[str, Sentence] = field(default_factory=dict)
    mention_counts: dict[str, int] = field(default_factory=dict)
    pair_counts: dict[tuple[str, str], int] = field(default_factory=dict)
    detailed: tuple[str, ...] = ()
    source: "_Detail | None" = field(default=None, repr=False, compare=False)

    @cached_property
    def committed(self) -> dict[str, list[str]]:
        """Sentences of the commitments each actor or topic takes part in (computed once)."""
        out: dict[str, list[str]] = defaultdict(list)
        for c in self.commitments.values():
            for x in (*c.agents, *c.topics):
                out[x].append(c.sentence)
        return out

    @property
    def complete(self) -> bool:
        """Whether every report is read in detail."""
        return len(self.detailed) == len(self.reports)

    def entity(self, iri: str) -> Entity | None:
        return self.actors.get(iri) or self.topics.get(iri)

    def sentence_key(self, iri: str) -> tuple:
        """Sort key putting evidence in reading order: report title, then position in the report."""
        s = self.sentences.get(iri)
        if s is None:
            return ("\uffff", 0, iri)
        report = self.reports.get(s.report)
        return (report.title if report else s.report, s.index, iri)

    def ranked_reports(self) -> list[str]:
        """The reports, those with the most commitments first, then the latest, then by title."""
        return sorted(self.reports, key=lambda r: (-self.reports[r].commitments, -_year(self.reports[r].year),
                                                   self.reports[r].title, r))

    def with_detail(self, reports: Iterable[str]) -> "Facts":
        """The same facts with the commitments and mentions of exactly these reports (read from the
        source the first time a report is asked for)."""
        wanted = tuple(dict.fromkeys(reports))
        if wanted == self.detailed:
            return self
        if self.source is None:
            raise ValueError("these facts were not read by load_facts: no detail can be read")
        details = self.source.read(wanted)
        mentions: dict[str, list[str]] = defaultdict(list)
        commitments: dict[str, Commitment] = {}
        for r in wanted:
            for target, sentence in details[r].mentions:
                mentions[target].append(sentence)
            commitments.update((c.iri, c) for c in details[r].commitments)
        facts = replace(self, detailed=wanted, commitments=dict(sorted(commitments.items())), mentions={})
        facts.mentions = {t: sorted(ss, key=facts.sentence_key) for t, ss in sorted(mentions.items())}
        return facts

    def restricted(self, *reports: str) -> "Facts":
        """The facts of these reports only: their commitments and mentions, and counts over them."""
        facts = self.with_detail(reports)
        pairs = Counter((a, t) for c in facts.commitments.values() for a in c.agents for t in c.topics)
        return replace(facts, reports={r: self.reports[r] for r in sorted(reports)},
                       mention_counts={t: len(ss) for t, ss in facts.mentions.items()},
                       pair_counts=dict(sorted(pairs.items())))

    def linked_reports(self, entity: str) -> list[str]:
        """The reports that mention `entity` or have it as a commitment's agent, ranked as in
        `ranked_reports`."""
        linked = self.source.linked(entity) if self.source is not None else set()
        return [r for r in self.ranked_reports() if r in linked]


def _year(year: str) -> int:
    return int(year) if year.isdigit() else 0


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


def _select(store: ox.Store, name: str, graphs: list[str] | None = None,
            bindings: dict[str, str] | None = None) -> list[dict[str, object]]:
    """The rows of `kg/viz_queries/<name>.rq`, on the union of the store's graphs or, given
    `graphs`, on the union of those named graphs only; `bindings` binds variables to IRIs."""
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    options: dict[str, object] = {"use_default_graph_as_union": True}
    if graphs is not None:
        options = {"default_graph": [ox.NamedNode(g) for g in graphs]}
    if bindings:
        options["substitutions"] = {ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()}
    try:
        solutions = store.query(text, **options)
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


@dataclass
class _Report:
    """What the views read of one report: its mentions (target, sentence) and commitments."""

    mentions: list[tuple[str, str]] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)


class _Detail:
    """Reads the sentences, mentions and commitments of reports from a store, each report once.

    When every report is typed in a named graph of its own (the build's store, TriG), the queries
    run on the graphs of the reports asked for; otherwise (Turtle, N-Triples: one default graph)
    the whole graph is read the first time and split by report. The queries and the splitting are
    the same either way, so both give the same facts."""

    def __init__(self, store: ox.Store, reports: Iterable[str], actors: dict[str, Entity],
                 topics: dict[str, Entity]):
        self.store, self.actors, self.topics = store, actors, topics
        self.reports = sorted(reports)
        graphs: dict[str, set[str]] = defaultdict(set)
        for row in _select(store, "report-graphs"):
            graphs[_value(row["report"])].add(_value(row["graph"]))
        owners = Counter(g for gs in graphs.values() for g in gs)
        own = all(len(graphs.get(r, ())) == 1 and owners[next(iter(graphs[r]))] == 1 for r in self.reports)
        #: report → its named graph, when each report has its own; else None
        self.graph_of = {r: next(iter(graphs[r])) for r in self.reports} if own and self.reports else None
        self.sentences: dict[str, Sentence] = {}
        self.details: dict[str, _Report] = {}

    def read(self, reports: Iterable[str]) -> dict[str, _Report]:
        """The detail of these reports, read now unless it was before."""
        missing = [r for r in reports if r not in self.details]
        if missing:
            if self.graph_of is None:
                self._read(None, self.reports)
            else:
                self._read(sorted(self.graph_of[r] for r in missing if r in self.graph_of), missing)
        return {r: self.details.get(r, _Report()) for r in reports}

    def _read(self, graphs: list[str] | None, reports: list[str]) -> None:
        wanted = set(reports)
        sentences: dict[str, Sentence] = {}
        for row in sorted(_select(self.store, "sentences", graphs), key=lambda r: tuple(map(_value, r.values()))):
            iri, report = _value(row["sentence"]), _value(row["report"])
            if report in wanted and iri not in sentences:
                index = int(row["index"].value) if row["index"] is not None else 0
                sentences[iri] = Sentence(iri, _words(_value(row["text"])), report, index)
        details = {r: _Report() for r in reports}
        used: set[str] = set()
        for row in _select(self.store, "mentions", graphs):
            target, sentence = _value(row["target"]), _value(row["sentence"])
            if (target in self.actors or target in self.topics) and sentence in sentences:
                details[sentences[sentence].report].mentions.append((target, sentence))
                used.add(sentence)
        links: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"agent": set(), "topic": set()})
        for row in _select(self.store, "commitment-links", graphs):
            links[_value(row["commitment"])][_value(row["relation"])].add(_value(row["target"]))
        seen: set[str] = set()
        rows = _select(self.store, "commitments", graphs)
        for row in sorted(rows, key=lambda r: (_value(r["commitment"]), _value(r["deontic"]))):
            iri, report = _value(row["commitment"]), _value(row["report"])
            if iri in seen or report not in wanted:
                continue
            seen.add(iri)
            link = links.get(iri, {"agent": set(), "topic": set()})
            details[report].commitments.append(Commitment(
                iri, _words(_value(row["text"])), _value(row["modality"]),
                _local(_value(row["deontic"])).lower() if row["deontic"] is not None else "",
                _value(row["agentText"]), _value(row["sentence"]), report,
                tuple(sorted(a for a in link["agent"] if a in self.actors)),
                tuple(sorted(t for t in link["topic"] if t in self.topics))))
            used.add(_value(row["sentence"]))
        self.sentences.update((s, sentences[s]) for s in sorted(used) if s in sentences)
        self.details.update(details)

    def commitment_counts(self) -> dict[str, int]:
        """Number of commitments of each report: counted per named graph when each report has one,
        else from the detail of every report."""
        if self.graph_of is None:
            details = self.read(self.reports)
            return {r: len(d.commitments) for r, d in details.items()}
        report_of = {g: r for r, g in self.graph_of.items()}
        return {report_of[_value(row["graph"])]: int(row["commitments"].value)
                for row in _select(self.store, "graph-commitments") if _value(row["graph"]) in report_of}

    def linked(self, entity: str) -> set[str]:
        """The reports that mention `entity` or have it as a commitment's agent."""
        if self.graph_of is None:
            return {r for r, d in self.read(self.reports).items()
                    if any(t == entity for t, _ in d.mentions) or any(entity in c.agents for c in d.commitments)}
        report_of = {g: r for r, g in self.graph_of.items()}
        rows = _select(self.store, "graph-links", bindings={"entity": entity})
        return {report_of[_value(row["graph"])] for row in rows if _value(row["graph"]) in report_of}


def load_facts(source: ox.Store | Graph | Path | str, detail: int = DEFAULT_LIMITS.reports) -> Facts:
    """Read the summary of `source` (reports, actors, topics and their counts) and the detail of
    its `detail` reports with the most commitments (0: of every report). Views read the detail
    of other reports when they need it."""
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

    source_ = _Detail(store, report_meta, facts.actors, facts.topics)
    counts = source_.commitment_counts()
    for iri in sorted(report_meta):
        year, file = report_meta[iri]
        title = _words(_best(titles[iri])) or file or _local(iri)
        facts.reports[iri] = Report(iri, title, year, file, counts.get(iri, 0))
    facts.mention_counts = {_value(row["target"]): int(row["mentions"].value)
                            for row in sorted(_select(store, "mention-counts"), key=lambda r: _value(r["target"]))
                            if facts.entity(_value(row["target"])) is not None}
    pairs = {(_value(row["agent"]), _value(row["topic"])): int(row["commitments"].value)
             for row in _select(store, "commitment-pairs")}
    facts.pair_counts = {(a, t): n for (a, t), n in sorted(pairs.items()) if a in facts.actors and t in facts.topics}
    facts.source, facts.sentences = source_, source_.sentences
    ranked = facts.ranked_reports()
    return facts.with_detail(ranked[:detail] if detail else ranked)


def _spaced(name: str) -> str:
    """`InternationalOrganisation` → `international organisation`."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


# ------------------------------------------------------------------ views

def _evidence(facts: Facts, sentences) -> list[str]:
    return sorted(set(sentences), key=facts.sentence_key)


def _reports_of(facts: Facts, sentences) -> list[str]:
    return sorted({facts.sentences[s].report for s in sentences if s in facts.sentences})


def _add_report(g: nx.MultiDiGraph, facts: Facts, report: Report, group: str = "report") -> None:
    info = [("year", report.year), ("file", report.file), ("commitments", str(report.commitments))]
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
               reports=_reports_of(facts, [*sentences, *committed]), mentions=facts.mention_counts.get(entity.iri, 0),
               evidence=_evidence(facts, [*sentences, *committed]), info=info)


def _commitment_label(c: Commitment) -> str:
    words = c.text.split()
    short = " ".join(words[:6]) + (" …" if len(words) > 6 else "")
    return short or c.modality


def _and(parts: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _keep(g: nx.MultiDiGraph, kind: str, limit: int, key, phrase: str, keep: Iterable[str] = ()) -> str:
    """Remove the nodes of `kind` past the first `limit` by `key` (nodes in `keep` first); when
    some were, `phrase` with {kept}, {total} and {kind} filled in, else ''."""
    keep = set(keep)
    nodes = sorted((n for n, d in g.nodes(data=True) if d["kind"] == kind), key=lambda n: (n not in keep, key(n), n))
    if not limit or len(nodes) <= limit:
        return ""
    g.remove_nodes_from(nodes[limit:])
    return phrase.format(kept=f"{limit:,}", total=f"{len(nodes):,}", kind=kind)


def _limit(g: nx.MultiDiGraph, facts: Facts, limits: Limits, keep: Iterable[str] = ()) -> str:
    """Keep in a view of part of a large graph (reports, actors, topics and commitments) the most
    mentioned actors and topics and the strongest commitments (then those linked to most kept
    actors and topics, then those of the highest ranked report); the sentence saying what was
    kept, or ''. A view of every report is left whole."""
    if facts.complete:
        return ""
    mentions = lambda n: -facts.mention_counts.get(n, 0)  # noqa: E731
    most_mentioned = "the {kept} most mentioned of {total} {kind}s"
    parts = [_keep(g, "actor", limits.actors, mentions, most_mentioned, keep),
             _keep(g, "topic", limits.topics, mentions, most_mentioned, keep)]
    rank = {r: i for i, r in enumerate(facts.ranked_reports())}

    def strongest(n: str) -> tuple:
        c = facts.commitments[n]
        linked = sum(1 for x in nx.all_neighbors(g, n) if g.nodes[x]["kind"] in ("actor", "topic"))
        return (STRENGTH.index(c.deontic) if c.deontic in STRENGTH else len(STRENGTH), -linked, rank.get(c.report, 0))

    parts.append(_keep(g, "commitment", limits.commitments, strongest, "the {kept} strongest of {total} {kind}s "
                       "(obligations first, then recommendations, pledges and aspirations)", keep))
    parts = [p for p in parts if p]
    return f"Of what they hold, it keeps {_and(parts)}." if parts else ""


def _scope(facts: Facts) -> str:
    """The sentence saying which reports a view of a large graph is drawn from, or ''."""
    if facts.complete:
        return ""
    return (f"The graph holds {len(facts.reports):,} reports; this page is drawn from the {len(facts.detailed):,} "
            f"with the most commitments.")


def _overview(facts: Facts) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(view="overview")
    for iri in sorted(facts.detailed):
        _add_report(g, facts, facts.reports[iri])
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


def _top_reports(facts: Facts, limits: Limits) -> Facts:
    ranked = facts.ranked_reports()
    return facts.with_detail(ranked[:limits.reports] if limits.reports else ranked)


def overview(facts: Facts, limits: Limits = NO_LIMITS) -> tuple[nx.MultiDiGraph, Facts]:
    """Reports, actors, topics and commitments: actor —commits to→ commitment —about→ topic,
    commitment —stated in→ report, actor or topic —mentioned in→ report (weight: mentions).
    Of a graph past the limits: the reports with the most commitments, the most mentioned actors
    and topics in them, and their strongest commitments."""
    facts = _top_reports(facts, limits)
    g = _overview(facts)
    notes = [_scope(facts), _limit(g, facts, limits)]
    if not facts.complete:
        notes.append(f"Node sizes count mentions in all {len(facts.reports):,} reports; links and evidence come "
                     f"from the {len(facts.detailed):,} drawn.")
    g.graph["notes"] = [n for n in notes if n]
    return g, facts


def actors_topics(facts: Facts, limits: Limits = NO_LIMITS) -> tuple[nx.MultiDiGraph, Facts]:
    """Actors and topics; an edge's weight is the number of commitments in which the actor is the
    agent and the topic a topic (in every report; the evidence comes from the reports read in
    detail). Of a graph past the limits: the actors and topics with the most such commitments."""
    facts = _top_reports(facts, limits)
    evidence: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in facts.commitments.values():
        for a in c.agents:
            for t in c.topics:
                evidence[a, t].append(c.sentence)
    g = nx.MultiDiGraph(view="actors-topics")
    for iri in sorted({x for pair in facts.pair_counts for x in pair}):
        _add_entity(g, facts, facts.entity(iri))
    for (a, t), n in facts.pair_counts.items():
        g.add_edge(a, t, key=COMMITS_ON, relation=COMMITS_ON, weight=n, evidence=_evidence(facts, evidence[a, t]))
    weight: Counter = Counter()
    for (a, t), n in facts.pair_counts.items():
        weight[a] += n
        weight[t] += n
    notes = []
    if not facts.complete:
        notes.append(f"Link widths count the commitments of all {len(facts.reports):,} reports; the evidence quoted "
                     f"comes from the {len(facts.detailed):,} with the most commitments.")
        parts = [_keep(g, kind, limit, lambda x: -weight[x], "the {kept} {kind}s with the most commitments, of {total}")
                 for kind, limit in (("actor", limits.actors), ("topic", limits.topics))]
        if any(parts):
            notes.append(f"It keeps {_and([p for p in parts if p])}.")
    g.graph["notes"] = notes
    return g, facts


def topics(facts: Facts, limits: Limits = NO_LIMITS) -> tuple[nx.MultiDiGraph, Facts]:
    """Topics that occur in the same sentence (weight: the number of such sentences), with the
    SKOS hierarchy: every broader concept of a mentioned topic, linked by `broader` edges. Of a
    graph past the limits: the sentences of the reports with the most commitments, and the most
    mentioned topics."""
    facts = _top_reports(facts, limits)
    mentioned = sorted(t for t in facts.mentions if t in facts.topics)
    notes = []
    if not facts.complete:
        notes.append(f"The graph holds {len(facts.reports):,} reports; links count the sentences of the "
                     f"{len(facts.detailed):,} with the most commitments, node sizes the mentions in all of them.")
    if not facts.complete and limits.topics and len(mentioned) > limits.topics:
        notes.append(f"It keeps the {limits.topics:,} most mentioned of the {len(mentioned):,} topics named, "
                     f"with their broader topics.")
        mentioned = sorted(sorted(mentioned, key=lambda t: (-facts.mention_counts.get(t, 0), t))[:limits.topics])
    by_sentence: dict[str, set[str]] = defaultdict(set)
    for iri in mentioned:
        for s in facts.mentions[iri]:
            by_sentence[s].add(iri)
    shown = set(mentioned)
    stack = list(mentioned)
    while stack:
        for b in facts.topics[stack.pop()].broader:
            if b in facts.topics and b not in shown:
                shown.add(b)
                stack.append(b)
    g = nx.MultiDiGraph(view="topics", notes=notes)
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
    return g, facts


def find_node(facts: Facts, focus: str, kinds: tuple[str, ...] = ("report", "actor", "topic")) -> str:
    """The IRI `focus` names: an IRI, a slug, a label or acronym-free name, or a report's file name
    or title; failing an exact match, the one node whose label contains it. Raises UsageError when
    nothing or several nodes match."""
    known = [facts.reports if "report" in kinds else {}, facts.actors if "actor" in kinds else {},
             facts.topics if "topic" in kinds else {}]
    if any(focus in nodes for nodes in known):
        return focus  # an IRI: no need to compare every name (a build asks for one page per report)
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


def report_view(facts: Facts, focus: str) -> tuple[nx.MultiDiGraph, Facts]:
    """The overview of one report, whole: its commitments, and the actors and topics it mentions."""
    report = find_node(facts, focus, ("report",))
    facts = facts.restricted(report)
    g = _overview(facts)
    g.graph.update(view="report", focus=report)
    return g, facts


def ego(facts: Facts, focus: str, depth: int = 2, limits: Limits = NO_LIMITS) -> tuple[nx.MultiDiGraph, Facts]:
    """The overview's nodes within `depth` links of one actor or topic, either direction. Reports
    are included but not walked through: every node of a report is two links from any other, so a
    walk through them would return the whole graph. Of a graph past the limits: the overview of
    the reports with the most commitments among those that mention the actor or topic (or have it
    as agent), keeping the most mentioned actors and topics and the strongest commitments."""
    if depth < 1:
        raise UsageError("--depth must be 1 or more")
    centre = find_node(facts, focus, ("actor", "topic"))
    linked = facts.ranked_reports()
    if limits.reports and len(linked) > limits.reports:
        linked = facts.linked_reports(centre)
    facts = facts.with_detail(linked[:limits.reports] if limits.reports else linked)
    whole = _overview(facts)
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
    notes = []
    if not facts.complete:
        label = facts.entity(centre).label
        notes.append(f"The graph holds {len(facts.reports):,} reports; this page is drawn from the "
                     f"{len(facts.detailed):,} with the most commitments of the {len(linked):,} that mention {label} "
                     f"(node sizes count mentions in all reports).")
    kept = _limit(g, facts, limits, keep=[centre])
    if kept:
        notes.append(kept)
        # a node reached only through left-out nodes is no longer in the neighbourhood
        g.remove_nodes_from(set(g) - nx.node_connected_component(g.to_undirected(as_view=True), centre))
    g.graph.update(view="ego", focus=centre, depth=depth, notes=notes)
    return g, facts


def default_pair(facts: Facts) -> tuple[str, str]:
    """The earliest and the latest report (by year, then title): what `compare` shows by default."""
    ordered = sorted(facts.reports.values(), key=lambda r: (r.year, r.title, r.iri))
    if len(ordered) < 2:
        raise UsageError("the compare view needs two reports; the graph holds "
                         f"{len(ordered)}")
    return ordered[0].iri, ordered[-1].iri


def compare(facts: Facts, first: str | None = None, second: str | None = None) -> tuple[nx.MultiDiGraph, Facts]:
    """Two reports side by side by topic: topics both mention ("shared"), topics only the first
    mentions ("dropped") and only the second ("new"). Edges: report —mentions→ topic, weighted by
    the number of mentions. Nodes carry fixed positions (x, y): first report, dropped, shared,
    new, second report, left to right. Node sizes count mentions in the two reports."""
    a, b = default_pair(facts) if first is None and second is None else (
        find_node(facts, first or "", ("report",)), find_node(facts, second or "", ("report",)))
    if a == b:
        raise UsageError("compare needs two different reports")
    facts = facts.restricted(a, b)
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
    return g, facts


def view(facts: Facts, name: str, focus: list[str] | None = None, depth: int = 2,
         limits: Limits = NO_LIMITS) -> tuple[nx.MultiDiGraph, Facts]:
    """The networkx graph of one named view (see VIEWS) within `limits`, and the facts it was
    drawn from (the evidence its nodes name is in their `sentences`). `focus` names the report
    (report view), the actor or topic (ego view) or the two reports (compare view)."""
    focus = [f for f in (focus or []) if f]
    if name == "overview":
        return overview(facts, limits)
    if name == "actors-topics":
        return actors_topics(facts, limits)
    if name == "topics":
        return topics(facts, limits)
    if name == "report":
        if len(focus) != 1:
            raise UsageError("the report view needs --focus REPORT (a title, file name or slug)")
        return report_view(facts, focus[0])
    if name == "ego":
        if len(focus) != 1:
            raise UsageError("the ego view needs --focus ACTOR_OR_TOPIC")
        return ego(facts, focus[0], depth, limits)
    if name == "compare":
        if len(focus) not in (0, 2):
            raise UsageError("the compare view takes no --focus (earliest and latest report) or two")
        return compare(facts, *focus) if focus else compare(facts)
    raise UsageError(f"unknown view {name!r}; choose from {', '.join(VIEWS)}")


def build_view(facts: Facts, view_name: str, focus: list[str] | None = None, depth: int = 2,
               limits: Limits = NO_LIMITS) -> nx.MultiDiGraph:
    """The networkx graph of one named view (see `view`); by default the whole of it."""
    return view(facts, view_name, focus, depth, limits)[0]


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
    up to BETWEENNESS_EXACT_MAX nodes and estimated from BETWEENNESS_SAMPLES seeded sample nodes beyond."""
    undirected = simple(g)
    n = g.number_of_nodes()
    k = None if n <= BETWEENNESS_EXACT_MAX else BETWEENNESS_SAMPLES
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
