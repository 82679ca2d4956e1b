"""The vocabulary module, the ontology and the loaded gazetteer and topic scheme stay in step."""
from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from kg.gazetteer import ONTOLOGY_DIR
from kg.vocab import KG, TOPIC_SCHEME


def test_every_term_of_kg_ttl_is_in_the_vocabulary_module_and_back():
    g = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    ns = str(KG._NS)
    declared = {str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns)}
    in_code = set(KG.__annotations__)
    assert declared == in_code


def test_every_ontology_term_has_label_and_comment():
    g = Graph().parse(ONTOLOGY_DIR / "kg.ttl")
    for s in set(g.subjects(RDF.type, None)):
        if isinstance(s, URIRef) and str(s).startswith(str(KG._NS)):
            assert g.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None, s
            assert g.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")) is not None, s


def test_misspelt_term_fails():
    import pytest
    with pytest.raises(AttributeError):
        KG.Commitmnet  # noqa: B018


def test_topic_scheme_has_a_hierarchy_of_at_least_60_concepts(vocab):
    assert len(vocab.concepts) >= 60
    g = Graph().parse(ONTOLOGY_DIR / "topics.ttl")
    tops = set(g.subjects(SKOS.topConceptOf, TOPIC_SCHEME))
    assert len(tops) >= 6
    for iri, c in vocab.concepts.items():
        assert URIRef(iri) in tops or c.broader, iri
    assert "https://w3id.org/policykg/topic/cybersecurity" in vocab.ancestors("https://w3id.org/policykg/topic/cybercrime")


def test_gazetteer_has_all_countries_and_the_main_organisations(vocab):
    countries = [a for a in vocab.actors.values() if a.kind == "Country"]
    assert len(countries) >= 249
    assert len({a.iso_code for a in countries}) == len(countries)
    itu = vocab.actors["https://w3id.org/policykg/actor/international-telecommunication-union"]
    assert itu.kind == "InternationalOrganisation" and "ITU" in itu.acronyms
    g = Graph().parse(ONTOLOGY_DIR / "actors.ttl")
    assert (URIRef("https://w3id.org/policykg/actor/united-nations"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1065")) in g


def test_communique_themes_are_topics_under_the_six_areas(vocab):
    """A G20-style declaration is read with topics beyond the digital: food, energy, finance, health."""
    def iri(slug):
        return f"https://w3id.org/policykg/topic/{slug}"
    assert iri("sustainable-development") in vocab.ancestors(iri("food-security"))
    assert iri("health") in vocab.ancestors(iri("pandemic-preparedness"))
    assert iri("governance-and-law") in vocab.ancestors(iri("anti-corruption"))
    found = {iri for _, _, iri in vocab.topic_matcher.find(
        "We will take further coordinated actions to address food security challenges and accelerate clean "
        "energy transitions, and we ask the Task Force to strengthen pandemic prevention, preparedness and response.")}
    assert found == {iri("food-security"), iri("energy-transition"), iri("pandemic-preparedness")}


def test_phrase_matcher_takes_the_longest_phrase_and_copies_are_independent():
    from kg.gazetteer import PhraseMatcher
    m = PhraseMatcher()
    m.add("United Nations", "un")
    m.add("United Nations General Assembly", "unga")
    m.add("internet users", "users")
    doc = m.copy()
    doc.add("New Donors", "donors")   # a name one document registers
    text = "The United Nations General Assembly and the United Nations asked Internet users and New Donors."
    assert [v for _, _, v in doc.find(text)] == ["unga", "un", "users", "donors"]
    assert [v for _, _, v in m.find(text)] == ["unga", "un", "users"]
    assert doc.find("the United Nations")[0][:2] == (4, 18)


def test_a_vocabulary_with_an_invalid_iri_or_language_tag_is_refused(tmp_path):
    # report graphs are parsed leniently (kg.pipeline.process_document) because their IRIs and
    # language tags come from the vocabulary, checked strictly when it is loaded
    import shutil

    import pytest

    from kg.errors import KgError
    from kg.gazetteer import load_vocabulary

    for bad, expected in [("<https://example.org/a b>", "Invalid IRI code point"),
                          ('"United Nations"@en-x-toolongtoolong', "subtag")]:
        folder = tmp_path / f"onto{len(expected)}"
        shutil.copytree(ONTOLOGY_DIR, folder)
        actors = folder / "actors.ttl"
        obj = "owl:sameAs " + bad if bad.startswith("<") else "skos:altLabel " + bad
        actors.write_text(actors.read_text(encoding="utf-8") + f"\nactor:united-nations {obj} .\n", encoding="utf-8")
        with pytest.raises(KgError, match=expected) as raised:
            load_vocabulary(folder)
        assert str(raised.value).startswith(f"{actors}: invalid vocabulary")


def test_minted_iris_are_valid_iris():
    # the other half of that argument: IRIs minted from any text are valid
    import pyoxigraph as ox
    from hypothesis import given, strategies as st

    from kg.ingest import slugify
    from kg.iri import actor_iri, event_iri, part_iri, place_iri

    @given(st.text(max_size=40), st.integers(min_value=0, max_value=10**6))
    def check(text, n):
        for iri in (actor_iri(text), event_iri(text, "5"), place_iri(text), part_iri(slugify(text) or "x", "sentence", n)):
            ox.NamedNode(str(iri))

    check()
