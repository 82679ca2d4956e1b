"""Stage 4, to RDF: one rdflib graph per report (its named graph), from the extraction records.

No blank nodes: every node has an IRI minted by `kg.iri`, so output is stable and diffable. A
report's graph holds everything needed to read it alone: its text structure, the actors and
topics it mentions (with labels, and the broader topics of those), and what was extracted.
"""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, SKOS, XSD

from .gazetteer import Vocabulary
from .iri import graph_iri, part_iri, place_iri, report_iri
from .records import Extraction
from .vocab import KG, NIF, PREFIXES, SCHEMA, TOPIC_SCHEME

DEONTIC = {"Obligation": KG.Obligation, "Recommendation": KG.Recommendation,
           "Pledge": KG.Pledge, "Aspiration": KG.Aspiration}
BOUND = {"Approximate": KG.Approximate, "LowerBound": KG.LowerBound, "UpperBound": KG.UpperBound}
EVENT_CLASS = {"ConferenceEdition": KG.ConferenceEdition, "Founding": KG.Founding}


def new_graph(identifier: URIRef | None = None) -> Graph:
    """An in-memory graph with our prefixes bound."""
    g = Graph(identifier=identifier)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def _span(g: Graph, node: URIRef, text: str, begin: int, end: int) -> None:
    g.add((node, NIF.anchorOf, Literal(text)))
    g.add((node, NIF.beginIndex, Literal(begin, datatype=XSD.nonNegativeInteger)))
    g.add((node, NIF.endIndex, Literal(end, datatype=XSD.nonNegativeInteger)))


def to_graph(ex: Extraction, vocab: Vocabulary) -> Graph:
    """The named graph of one report."""
    doc = ex.segmented.document
    slug = doc.slug
    g = new_graph(graph_iri(slug))
    report = report_iri(slug)

    g.add((report, RDF.type, KG.Report))
    for label in doc.title_labels:
        g.add((report, DCTERMS.title, Literal(label.text, lang=label.lang)))
    if doc.title_derived:
        g.add((report, KG.titleDerived, Literal(True)))
    g.add((report, KG.fileName, Literal(doc.file_name)))
    g.add((report, KG.sha256, Literal(doc.sha256)))
    g.add((report, KG.encoding, Literal(doc.encoding)))
    g.add((report, KG.charCount, Literal(len(doc.text))))
    g.add((report, DCTERMS.language, Literal(doc.language)))
    if doc.year:
        g.add((report, KG.year, Literal(str(doc.year), datatype=XSD.gYear)))
    if ex.author:
        g.add((report, DCTERMS.creator, URIRef(ex.author)))

    seg = ex.segmented
    for sec in seg.sections:
        node = part_iri(slug, "section", sec.index)
        g.add((node, RDF.type, KG.Section))
        g.add((node, KG.report, report))
        g.add((node, KG.index, Literal(sec.index)))
        if sec.number:
            g.add((node, KG.number, Literal(sec.number)))
        g.add((node, KG.heading, Literal(sec.heading)))
        g.add((node, NIF.beginIndex, Literal(sec.begin, datatype=XSD.nonNegativeInteger)))
        g.add((node, NIF.endIndex, Literal(sec.end, datatype=XSD.nonNegativeInteger)))
    for para in seg.paragraphs:
        node = part_iri(slug, "paragraph", para.index)
        g.add((node, RDF.type, KG.Paragraph))
        g.add((node, KG.report, report))
        g.add((node, KG.index, Literal(para.index)))
        if para.section is not None:
            g.add((node, KG.section, part_iri(slug, "section", para.section)))
        if para.number:
            g.add((node, KG.number, Literal(para.number)))
        g.add((node, NIF.beginIndex, Literal(para.begin, datatype=XSD.nonNegativeInteger)))
        g.add((node, NIF.endIndex, Literal(para.end, datatype=XSD.nonNegativeInteger)))
    for s in seg.sentences:
        node = part_iri(slug, "sentence", s.index)
        g.add((node, RDF.type, KG.Sentence))
        g.add((node, KG.report, report))
        g.add((node, KG.paragraph, part_iri(slug, "paragraph", s.paragraph)))
        g.add((node, KG.index, Literal(s.index)))
        if s.is_heading:
            g.add((node, KG.isHeading, Literal(True)))
        _span(g, node, s.text, s.begin, s.end)

    # actors and topics mentioned, with their descriptions
    for n, m in enumerate(sorted(ex.mentions, key=lambda m: (m.begin, m.end, m.kind, m.target)), start=1):
        node = part_iri(slug, "mention", n)
        g.add((node, RDF.type, KG.Mention))
        g.add((node, KG.refersTo, URIRef(m.target)))
        g.add((node, KG.sentence, part_iri(slug, "sentence", m.sentence)))
        _span(g, node, m.text, m.begin, m.end)
    for iri, actor in sorted(ex.actors.items()):
        node = URIRef(iri)
        g.add((node, RDF.type, KG[actor.kind]))
        g.add((node, SKOS.prefLabel, Literal(actor.label, lang="en")))
        for alt in actor.alt_labels:
            g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
        for acr in actor.acronyms:
            g.add((node, KG.acronym, Literal(acr)))
        if actor.iso_code:
            g.add((node, KG.isoCode, Literal(actor.iso_code)))
        if actor.discovered:
            g.add((node, KG.discovered, Literal(True)))
        if actor.parent:
            g.add((node, ORG.subOrganizationOf, URIRef(actor.parent)))
        for same in vocab.actor_graph.objects(node, OWL.sameAs):
            g.add((node, OWL.sameAs, same))
    topics = {m.target for m in ex.mentions if m.kind == "topic"}
    for c in list(topics):
        topics.update(vocab.ancestors(c))
    if topics:
        g.add((TOPIC_SCHEME, RDF.type, SKOS.ConceptScheme))
        for o in vocab.topic_graph.objects(TOPIC_SCHEME, SKOS.prefLabel):
            g.add((TOPIC_SCHEME, SKOS.prefLabel, o))
    for c in sorted(topics):
        node = URIRef(c)
        for p in (SKOS.prefLabel, SKOS.altLabel, KG.acronym, SKOS.definition, SKOS.broader, SKOS.topConceptOf):
            for o in vocab.topic_graph.objects(node, p):
                g.add((node, p, o))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, TOPIC_SCHEME))

    for n, c in enumerate(ex.commitments, start=1):
        node = part_iri(slug, "commitment", n)
        g.add((node, RDF.type, KG.Commitment))
        g.add((node, KG.sentence, part_iri(slug, "sentence", c.sentence)))
        g.add((node, KG.text, Literal(c.text)))
        g.add((node, NIF.beginIndex, Literal(c.begin, datatype=XSD.nonNegativeInteger)))
        g.add((node, NIF.endIndex, Literal(c.end, datatype=XSD.nonNegativeInteger)))
        g.add((node, KG.modality, Literal(c.modality)))
        g.add((node, KG.deonticClass, DEONTIC[c.deontic]))
        for a in c.agents:
            g.add((node, KG.agent, URIRef(a)))
        if c.agent_text:
            g.add((node, KG.agentText, Literal(c.agent_text)))
        for aim in c.aims:
            g.add((node, KG.aim, Literal(aim)))
        for p, v in ((KG.object, c.object), (KG.purpose, c.purpose), (KG.condition, c.condition)):
            if v:
                g.add((node, p, Literal(v)))
        for t in c.topics:
            g.add((node, KG.topic, URIRef(t)))

    for n, st in enumerate(ex.statistics, start=1):
        node = part_iri(slug, "statistic", n)
        g.add((node, RDF.type, KG.Statistic))
        g.add((node, KG.sentence, part_iri(slug, "sentence", st.sentence)))
        g.add((node, KG.text, Literal(st.text)))
        g.add((node, NIF.beginIndex, Literal(st.begin, datatype=XSD.nonNegativeInteger)))
        g.add((node, NIF.endIndex, Literal(st.end, datatype=XSD.nonNegativeInteger)))
        g.add((node, SCHEMA.value, Literal(st.value, datatype=XSD.decimal)))
        g.add((node, SCHEMA.unitText, Literal(st.unit)))
        if st.qualifier:
            g.add((node, KG.qualifier, Literal(st.qualifier)))
            g.add((node, KG.bound, BOUND[st.bound]))
        if st.measures:
            g.add((node, KG.measures, Literal(st.measures)))
        if st.period:
            g.add((node, KG.referencePeriod, Literal(st.period)))
        for t in st.topics:
            g.add((node, KG.topic, URIRef(t)))

    for ev in ex.events:
        node = URIRef(ev.key)
        g.add((node, RDF.type, EVENT_CLASS[ev.kind]))
        g.add((node, SKOS.prefLabel, Literal(ev.label, lang="en")))
        for si in [ev.sentence, *ev.extra_sentences]:
            g.add((node, KG.sentence, part_iri(slug, "sentence", si)))
        places = [place_iri(p) for p in ev.place]
        if places:
            g.add((node, SCHEMA.location, places[0]))
        for i, (name, p) in enumerate(zip(ev.place, places)):
            g.add((p, RDF.type, KG.Place))
            g.add((p, SKOS.prefLabel, Literal(name, lang="en")))
            if i + 1 < len(places):
                g.add((p, SCHEMA.containedInPlace, places[i + 1]))
        if ev.start:
            g.add((node, SCHEMA.startDate, Literal(ev.start, datatype=XSD.date)))
        if ev.end_date:
            g.add((node, SCHEMA.endDate, Literal(ev.end_date, datatype=XSD.date)))
        if ev.edition:
            g.add((node, KG.edition, Literal(ev.edition)))
        if ev.theme:
            g.add((node, KG.theme, Literal(ev.theme)))
        if ev.participants is not None:
            g.add((node, KG.participantCount, Literal(ev.participants)))
        if ev.countries is not None:
            g.add((node, KG.countryCount, Literal(ev.countries)))
        if ev.organiser:
            g.add((node, SCHEMA.organizer, URIRef(ev.organiser)))
        if ev.founded:
            g.add((node, KG.founded, URIRef(ev.founded)))
        for a in ev.initiators:
            g.add((node, KG.initiator, URIRef(a)))
    return g
