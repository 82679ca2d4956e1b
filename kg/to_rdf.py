"""Stage 4, to RDF: one named graph per report, from the extraction records, as N-Quads text.

The triples are written as N-Triples/N-Quads lines directly (no rdflib terms or graph on the hot
path: building an rdflib graph cost as much as extraction itself); `to_graph` parses the same
lines into an rdflib graph for callers that want one.

No blank nodes: every node has an IRI minted by `kg.iri`, so output is stable and diffable. A
report's graph holds everything needed to read it alone: its text structure, the actors and
topics it mentions (with labels, and the broader topics of those), and what was extracted.
"""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, SKOS, XSD

from .gazetteer import Vocabulary
from .iri import graph_iri, part_iri, place_iri, report_iri
from .records import Extraction
from .vocab import KG, NIF, PREFIXES, SCHEMA, TOPIC_SCHEME


def _i(iri: str) -> str:
    return f"<{iri}>"


def _escaped(text: str) -> str:
    """N-Triples escapes of a string literal: backslash (first), quote and line breaks; the rest
    may stay raw. Four str.replace calls are ~30x faster than str.translate with a table."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _s(text: str) -> str:
    """A plain (xsd:string) literal."""
    return f'"{_escaped(text)}"'


def _lang(text: str, lang: str) -> str:
    return f'"{_escaped(text)}"@{lang.lower()}'


def _typed(lexical: str, datatype: str) -> str:
    return f'"{_escaped(lexical)}"^^<{datatype}>'


_INTEGER = f"^^<{XSD.integer}>"
_NONNEG = f"^^<{XSD.nonNegativeInteger}>"


def _date_type(iso: str) -> str:
    """The XML Schema type of an ISO date as precise as the report gives it: 2018-11-07, 2014-11, 2014."""
    return str({10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(iso)])


def _int(n: int) -> str:
    return f'"{int(n)}"{_INTEGER}'


def _nonneg(n: int) -> str:
    return f'"{int(n)}"{_NONNEG}'


TRUE = f'"true"^^<{XSD.boolean}>'


@lru_cache(maxsize=4096)
def _decimal(value: str) -> str:
    # rdflib's canonical lexical form ("1500" → "1500.0"), as the rdflib-built graphs had it
    return _typed(str(Literal(value, datatype=XSD.decimal)), str(XSD.decimal))


def term(t) -> str:
    """An rdflib term (IRI or literal) in N-Triples syntax."""
    if isinstance(t, URIRef):
        return _i(str(t))
    if isinstance(t, Literal):
        if t.language:
            return _lang(str(t), t.language)
        if t.datatype is not None and t.datatype != XSD.string:
            return _typed(str(t), str(t.datatype))
        return _s(str(t))
    raise ValueError(f"not an IRI or literal: {t!r}")


# vocabulary terms in N-Triples syntax, spelt once
A = _i(str(RDF.type))
P = {name: _i(str(iri)) for name, iri in {
    "title": DCTERMS.title, "alternative": DCTERMS.alternative, "creator": DCTERMS.creator,
    "language": DCTERMS.language,
    "prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel, "inScheme": SKOS.inScheme,
    "subOrganizationOf": ORG.subOrganizationOf, "sameAs": OWL.sameAs,
    "anchorOf": NIF.anchorOf, "beginIndex": NIF.beginIndex, "endIndex": NIF.endIndex,
    "value": SCHEMA.value, "unitText": SCHEMA.unitText, "location": SCHEMA.location,
    "containedInPlace": SCHEMA.containedInPlace, "startDate": SCHEMA.startDate,
    "endDate": SCHEMA.endDate, "organizer": SCHEMA.organizer,
}.items()}
K = {name: _i(str(KG[name])) for name in (
    "Report", "Section", "Paragraph", "Sentence", "Mention", "Commitment", "Statistic", "Place",
    "titleDerived", "fileName", "alsoReadFrom", "sha256", "encoding", "charCount", "year", "report", "index",
    "number", "heading", "section", "paragraph", "isHeading", "refersTo", "mentionsActor", "mentionsTopic",
    "sentenceCount", "commitmentCount", "statisticCount", "sentence", "acronym",
    "isoCode", "discovered", "text", "modality", "deonticClass", "agent", "agentText", "aim",
    "object", "purpose", "condition", "topic", "qualifier", "bound", "measures", "referencePeriod",
    "edition", "theme", "participantCount", "countryCount", "founded", "initiator")}
DEONTIC = {name: _i(str(KG[name])) for name in ("Obligation", "Recommendation", "Pledge", "Aspiration")}
BOUND = {name: _i(str(KG[name])) for name in ("Approximate", "LowerBound", "UpperBound")}
EVENT_CLASS = {name: _i(str(KG[name])) for name in ("ConferenceEdition", "Founding")}
CONCEPT, SCHEME = _i(str(SKOS.Concept)), _i(str(TOPIC_SCHEME))


def new_graph(identifier: URIRef | None = None) -> Graph:
    """An in-memory rdflib graph with our prefixes bound."""
    g = Graph(identifier=identifier)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


# Descriptions copied from the vocabulary are the same in every report: made once per vocabulary.
# (A Vocabulary is not hashable, so it is keyed by identity and kept alive by the entry.)
_MEMO: dict[int, tuple[Vocabulary, dict]] = {}


def _memo(vocab: Vocabulary) -> dict:
    entry = _MEMO.get(id(vocab))
    if entry is None or entry[0] is not vocab:
        _MEMO.clear()
        entry = _MEMO[id(vocab)] = (vocab, {})
    return entry[1]


def _concept_lines(vocab: Vocabulary, concept: str) -> tuple[str, ...]:
    """A topic's description, copied from the topic scheme (the same for every report)."""
    memo = _memo(vocab)
    if ("concept", concept) in memo:
        return memo["concept", concept]
    node = URIRef(concept)
    out = []
    for p in (SKOS.prefLabel, SKOS.altLabel, KG.acronym, SKOS.definition, SKOS.broader, SKOS.topConceptOf):
        for o in vocab.topic_graph.objects(node, p):
            out.append(f"{_i(concept)} {_i(str(p))} {term(o)}")
    out.append(f"{_i(concept)} {A} {CONCEPT}")
    out.append(f"{_i(concept)} {P['inScheme']} {SCHEME}")
    memo["concept", concept] = result = tuple(out)
    return result


def _scheme_lines(vocab: Vocabulary) -> tuple[str, ...]:
    memo = _memo(vocab)
    if "scheme" not in memo:
        out = [f"{SCHEME} {A} {_i(str(SKOS.ConceptScheme))}"]
        out += [f"{SCHEME} {P['prefLabel']} {term(o)}" for o in vocab.topic_graph.objects(TOPIC_SCHEME, SKOS.prefLabel)]
        memo["scheme"] = tuple(out)
    return memo["scheme"]


def _same_as(vocab: Vocabulary, actor: str) -> tuple[str, ...]:
    memo = _memo(vocab)
    if ("sameAs", actor) not in memo:
        memo["sameAs", actor] = tuple(str(o) for o in vocab.actor_graph.objects(URIRef(actor), OWL.sameAs))
    return memo["sameAs", actor]


def triples(ex: Extraction, vocab: Vocabulary) -> list[str]:
    """The triples of one report's graph, each an N-Triples statement without the final " .",
    in the order they were made (may repeat)."""
    doc = ex.segmented.document
    slug = doc.slug
    report = _i(str(report_iri(slug)))
    prefix = str(part_iri(slug, "x", 0))[:-len("x/0")]   # id/report/<slug>/
    out: list[str] = []
    add = out.append

    def part(kind: str, n: int) -> str:
        return f"<{prefix}{kind}/{n}>"

    def span(node: str, text: str, begin: int, end: int) -> None:
        add(f"{node} {P['anchorOf']} {_s(text)}")
        add(f"{node} {P['beginIndex']} {_nonneg(begin)}")
        add(f"{node} {P['endIndex']} {_nonneg(end)}")

    add(f"{report} {A} {K['Report']}")
    for label in doc.title_labels:
        add(f"{report} {P['title']} {_lang(label.text, label.lang)}")
    for label in doc.alternative_titles:
        add(f"{report} {P['alternative']} {_lang(label.text, label.lang)}")
    if doc.title_derived:
        add(f"{report} {K['titleDerived']} {TRUE}")
    add(f"{report} {K['fileName']} {_s(doc.file_name)}")
    for copy in sorted(doc.also_read_from):
        add(f"{report} {K['alsoReadFrom']} {_s(copy)}")
    add(f"{report} {K['sha256']} {_s(doc.sha256)}")
    add(f"{report} {K['encoding']} {_s(doc.encoding)}")
    add(f"{report} {K['charCount']} {_int(len(doc.text))}")
    add(f"{report} {P['language']} {_s(doc.language)}")
    if doc.year:
        add(f"{report} {K['year']} {_typed(str(doc.year), str(XSD.gYear))}")
    if ex.author:
        add(f"{report} {P['creator']} {_i(ex.author)}")
    # derived: how much was read from the report (counting the parts of every report took seconds on many)
    add(f"{report} {K['sentenceCount']} {_nonneg(len(ex.segmented.sentences))}")
    add(f"{report} {K['commitmentCount']} {_nonneg(len(ex.commitments))}")
    add(f"{report} {K['statisticCount']} {_nonneg(len(ex.statistics))}")

    seg = ex.segmented
    for sec in seg.sections:
        node = part("section", sec.index)
        add(f"{node} {A} {K['Section']}")
        add(f"{node} {K['report']} {report}")
        add(f"{node} {K['index']} {_int(sec.index)}")
        if sec.number:
            add(f"{node} {K['number']} {_s(sec.number)}")
        add(f"{node} {K['heading']} {_s(sec.heading)}")
        add(f"{node} {P['beginIndex']} {_nonneg(sec.begin)}")
        add(f"{node} {P['endIndex']} {_nonneg(sec.end)}")
    for para in seg.paragraphs:
        node = part("paragraph", para.index)
        add(f"{node} {A} {K['Paragraph']}")
        add(f"{node} {K['report']} {report}")
        add(f"{node} {K['index']} {_int(para.index)}")
        if para.section is not None:
            add(f"{node} {K['section']} {part('section', para.section)}")
        if para.number:
            add(f"{node} {K['number']} {_s(para.number)}")
        add(f"{node} {P['beginIndex']} {_nonneg(para.begin)}")
        add(f"{node} {P['endIndex']} {_nonneg(para.end)}")
    for s in seg.sentences:
        node = part("sentence", s.index)
        add(f"{node} {A} {K['Sentence']}")
        add(f"{node} {K['report']} {report}")
        add(f"{node} {K['paragraph']} {part('paragraph', s.paragraph)}")
        add(f"{node} {K['index']} {_int(s.index)}")
        if s.is_heading:
            add(f"{node} {K['isHeading']} {TRUE}")
        span(node, s.text, s.begin, s.end)

    # actors and topics mentioned, with their descriptions
    for n, m in enumerate(sorted(ex.mentions, key=lambda m: (m.begin, m.end, m.kind, m.target)), start=1):
        node = part("mention", n)
        add(f"{node} {A} {K['Mention']}")
        add(f"{node} {K['refersTo']} {_i(m.target)}")
        add(f"{node} {K['sentence']} {part('sentence', m.sentence)}")
        span(node, m.text, m.begin, m.end)
    # derived: the actors the report names, once each (queries over many reports read these, not every mention)
    for target in sorted({m.target for m in ex.mentions if m.kind == "actor"}):
        add(f"{report} {K['mentionsActor']} {_i(target)}")
    # and the topics each sentence names, once each (which topics come together in a sentence)
    for sentence, target in sorted({(m.sentence, m.target) for m in ex.mentions if m.kind == "topic"}):
        add(f"{part('sentence', sentence)} {K['mentionsTopic']} {_i(target)}")
    for iri, actor in sorted(ex.actors.items()):
        node = _i(iri)
        add(f"{node} {A} {_i(str(KG[actor.kind]))}")
        add(f"{node} {P['prefLabel']} {_lang(actor.label, 'en')}")
        for alt in actor.alt_labels:
            add(f"{node} {P['altLabel']} {_lang(alt, 'en')}")
        for acr in actor.acronyms:
            add(f"{node} {K['acronym']} {_s(acr)}")
        if actor.iso_code:
            add(f"{node} {K['isoCode']} {_s(actor.iso_code)}")
        if actor.discovered:
            add(f"{node} {K['discovered']} {TRUE}")
        if actor.parent:
            add(f"{node} {P['subOrganizationOf']} {_i(actor.parent)}")
        for same in _same_as(vocab, iri):
            add(f"{node} {P['sameAs']} {_i(same)}")
    topics = {m.target for m in ex.mentions if m.kind == "topic"}
    for c in list(topics):
        topics.update(vocab.ancestors(c))
    if topics:
        out.extend(_scheme_lines(vocab))
    for c in sorted(topics):
        out.extend(_concept_lines(vocab, c))

    for n, c in enumerate(ex.commitments, start=1):
        node = part("commitment", n)
        add(f"{node} {A} {K['Commitment']}")
        add(f"{node} {K['sentence']} {part('sentence', c.sentence)}")
        add(f"{node} {K['text']} {_s(c.text)}")
        add(f"{node} {P['beginIndex']} {_nonneg(c.begin)}")
        add(f"{node} {P['endIndex']} {_nonneg(c.end)}")
        add(f"{node} {K['modality']} {_s(c.modality)}")
        add(f"{node} {K['deonticClass']} {DEONTIC[c.deontic]}")
        for a in c.agents:
            add(f"{node} {K['agent']} {_i(a)}")
        if c.agent_text:
            add(f"{node} {K['agentText']} {_s(c.agent_text)}")
        for aim in c.aims:
            add(f"{node} {K['aim']} {_s(aim)}")
        for p, v in (("object", c.object), ("purpose", c.purpose), ("condition", c.condition)):
            if v:
                add(f"{node} {K[p]} {_s(v)}")
        for t in c.topics:
            add(f"{node} {K['topic']} {_i(t)}")

    for n, st in enumerate(ex.statistics, start=1):
        node = part("statistic", n)
        add(f"{node} {A} {K['Statistic']}")
        add(f"{node} {K['sentence']} {part('sentence', st.sentence)}")
        add(f"{node} {K['text']} {_s(st.text)}")
        add(f"{node} {P['beginIndex']} {_nonneg(st.begin)}")
        add(f"{node} {P['endIndex']} {_nonneg(st.end)}")
        add(f"{node} {P['value']} {_decimal(str(st.value))}")
        add(f"{node} {P['unitText']} {_s(st.unit)}")
        if st.qualifier:
            add(f"{node} {K['qualifier']} {_s(st.qualifier)}")
            add(f"{node} {K['bound']} {BOUND[st.bound]}")
        if st.measures:
            add(f"{node} {K['measures']} {_s(st.measures)}")
        if st.period:
            add(f"{node} {K['referencePeriod']} {_s(st.period)}")
        for t in st.topics:
            add(f"{node} {K['topic']} {_i(t)}")

    for ev in ex.events:
        node = _i(ev.key)
        add(f"{node} {A} {EVENT_CLASS[ev.kind]}")
        add(f"{node} {P['prefLabel']} {_lang(ev.label, 'en')}")
        for si in [ev.sentence, *ev.extra_sentences]:
            add(f"{node} {K['sentence']} {part('sentence', si)}")
        places = [_i(str(place_iri(p))) for p in ev.place]
        if places:
            add(f"{node} {P['location']} {places[0]}")
        for i, (name, p) in enumerate(zip(ev.place, places)):
            add(f"{p} {A} {K['Place']}")
            add(f"{p} {P['prefLabel']} {_lang(name, 'en')}")
            if i + 1 < len(places):
                add(f"{p} {P['containedInPlace']} {places[i + 1]}")
        if ev.start:
            add(f"{node} {P['startDate']} {_typed(ev.start, _date_type(ev.start))}")
        if ev.end_date:
            add(f"{node} {P['endDate']} {_typed(ev.end_date, _date_type(ev.end_date))}")
        if ev.edition:
            add(f"{node} {K['edition']} {_int(ev.edition)}")
        if ev.theme:
            add(f"{node} {K['theme']} {_s(ev.theme)}")
        if ev.participants is not None:
            add(f"{node} {K['participantCount']} {_int(ev.participants)}")
        if ev.countries is not None:
            add(f"{node} {K['countryCount']} {_int(ev.countries)}")
        if ev.organiser:
            add(f"{node} {P['organizer']} {_i(ev.organiser)}")
        if ev.founded:
            add(f"{node} {K['founded']} {_i(ev.founded)}")
        for a in ev.initiators:
            add(f"{node} {K['initiator']} {_i(a)}")
    return out


def to_nquads(ex: Extraction, vocab: Vocabulary) -> str:
    """The report's named graph (`id:graph/<slug>`) as N-Quads: one line per distinct triple,
    sorted, so the same extraction always gives the same text."""
    g = _i(str(graph_iri(ex.segmented.document.slug)))
    return "".join(sorted({f"{t} {g} .\n" for t in triples(ex, vocab)}))


def to_graph(ex: Extraction, vocab: Vocabulary) -> Graph:
    """The named graph of one report as an rdflib graph (for tests and small jobs)."""
    g = new_graph(graph_iri(ex.segmented.document.slug))
    g.parse(data="".join(f"{t} .\n" for t in triples(ex, vocab)), format="nt")
    return g
