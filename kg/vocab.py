"""The one place IRIs are spelt.

`KG` lists every term of `ontology/kg.ttl` as a `DefinedNamespace`, so a misspelt term raises
instead of minting a stray IRI; `tests/test_vocab.py` keeps the two in step. Instance IRIs are
minted by `kg.iri`, from the namespaces below.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/policykg/"


class KG(DefinedNamespace):
    """Terms of the kg ontology (`ontology/kg.ttl`)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Report: URIRef
    Section: URIRef
    Paragraph: URIRef
    Sentence: URIRef
    Mention: URIRef
    Actor: URIRef
    InternationalOrganisation: URIRef
    Forum: URIRef
    Company: URIRef
    GovernmentBody: URIRef
    Country: URIRef
    StakeholderGroup: URIRef
    Signatories: URIRef
    Commitment: URIRef
    DeonticClass: URIRef
    Statistic: URIRef
    Bound: URIRef
    Event: URIRef
    ConferenceEdition: URIRef
    Founding: URIRef
    Place: URIRef
    # individuals
    Obligation: URIRef
    Recommendation: URIRef
    Pledge: URIRef
    Aspiration: URIRef
    Approximate: URIRef
    LowerBound: URIRef
    UpperBound: URIRef
    # properties
    report: URIRef
    section: URIRef
    paragraph: URIRef
    sentence: URIRef
    index: URIRef
    number: URIRef
    heading: URIRef
    isHeading: URIRef
    fileName: URIRef
    alsoReadFrom: URIRef
    sha256: URIRef
    encoding: URIRef
    charCount: URIRef
    sentenceCount: URIRef
    commitmentCount: URIRef
    statisticCount: URIRef
    year: URIRef
    titleDerived: URIRef
    refersTo: URIRef
    mentionsActor: URIRef
    mentionsTopic: URIRef
    acronym: URIRef
    isoCode: URIRef
    isoAlpha3: URIRef
    discovered: URIRef
    topic: URIRef
    agent: URIRef
    agentText: URIRef
    modality: URIRef
    deonticClass: URIRef
    strength: URIRef
    aim: URIRef
    object: URIRef
    purpose: URIRef
    condition: URIRef
    text: URIRef
    qualifier: URIRef
    bound: URIRef
    measures: URIRef
    referencePeriod: URIRef
    edition: URIRef
    theme: URIRef
    participantCount: URIRef
    countryCount: URIRef
    initiator: URIRef
    founded: URIRef


ONTOLOGY = URIRef(BASE + "ontology")
ACTOR = Namespace(BASE + "actor/")
TOPIC = Namespace(BASE + "topic/")
ID = Namespace(BASE + "id/")
TOPIC_SCHEME = URIRef(BASE + "topic/scheme")

SCHEMA = SDO


class NIF(DefinedNamespace):
    """The NIF Core terms we use for text spans."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    anchorOf: URIRef
    beginIndex: URIRef
    endIndex: URIRef


WIKIDATA = Namespace("http://www.wikidata.org/entity/")

#: Prefixes bound on every graph we write, so output files read the same everywhere.
PREFIXES = {
    "kg": KG._NS,
    "actor": ACTOR,
    "topic": TOPIC,
    "id": ID,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "foaf": FOAF,
    "org": ORG,
    "schema": SCHEMA,
    "nif": NIF._NS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WIKIDATA,
}

__all__ = ["KG", "ACTOR", "TOPIC", "ID", "TOPIC_SCHEME", "SCHEMA", "NIF", "ORG", "WIKIDATA",
           "PREFIXES", "ONTOLOGY", "DCTERMS", "FOAF", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD"]
