"""The question library: every named query answers its question on the bundled corpus.

Each test runs one `queries/*.rq` through kg.query on the freshly built graph (union of the
report graphs) and checks facts a reader of the two WIC reports can verify."""
from __future__ import annotations

import pytest

from kg.pipeline import CORPUS_DIR
from kg.query import named_queries, run_query
from kg.store import open_store

LIBRARY = named_queries()
W17 = "WIC 2017 Internet Development Trends"
W18 = "Wuzhen Outlook 2018"


@pytest.fixture(scope="module")
def store(built):
    return open_store(built / "graph.trig")


def ask(store, name: str, **params) -> list[dict[str, str]]:
    return run_query(store, LIBRARY[name].text, params, name).values()


def test_library_has_at_least_15_questions_each_with_a_test():
    assert len(LIBRARY) >= 15
    tested = {name[len("test_"):].replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(LIBRARY) <= tested, f"named queries without a test: {sorted(set(LIBRARY) - tested)}"
    for q in LIBRARY.values():
        assert q.question.endswith("?"), q.name
        assert "# Columns:" in q.text, q.name


def test_actors(store):
    rows = {r["label"]: r for r in ask(store, "actors")}
    assert rows["World Internet Conference"]["type"] == "Forum"
    assert rows["World Internet Conference"]["acronyms"] == "WIC"
    assert rows["United Nations"]["type"] == "InternationalOrganisation"
    assert rows["United Nations"]["acronyms"] == "UN"
    counts = [int(r["mentions"]) for r in ask(store, "actors")]
    assert counts == sorted(counts, reverse=True)


def test_topics(store):
    rows = {r["label"]: r for r in ask(store, "topics")}
    cyber = rows["cybersecurity"]
    assert "cyber security" in cyber["altLabel"].split("|")
    assert cyber["altLabel"].split("|") == sorted(cyber["altLabel"].split("|"))
    assert int(cyber["withNarrower"]) > int(cyber["mentions"]) > 0  # cybercrime etc. are narrower
    assert rows["cybercrime"]["broader"] == "cybersecurity"


def test_commitments(store):
    rows = ask(store, "commitments")
    by_text = {r["text"]: r for r in rows}
    gov = next(r for t, r in by_text.items() if t.startswith("They should develop respective law"))
    assert (gov["report"], gov["agent"], gov["modality"], gov["deontic"]) == (W17, "governments", "should", "Recommendation")
    assert {r["report"] for r in rows} == {W17, W18}
    assert all(r["modality"].lower() in r["text"].lower() for r in rows)


def test_commitments_by_actor(store):
    rows = ask(store, "commitments-by-actor")  # default: international community
    assert {r["agent"] for r in rows} == {"international community"}
    assert {r["report"] for r in rows} == {W17, W18}
    assert any(r["text"].startswith("The international community should work on a concept of collaborative cybersecurity") for r in rows)
    # an acronym, in any case, names the actor
    wic = ask(store, "commitments-by-actor", actor="wic")
    assert {r["agent"] for r in wic} == {"World Internet Conference"}
    assert any(r["modality"] == "hope that" for r in wic)


def test_commitments_by_topic(store):
    rows = ask(store, "commitments-by-topic", topic="cybersecurity")
    assert {r["report"] for r in rows} == {W17, W18}
    agents = {(r["report"], r["agent"]) for r in rows}
    assert (W17, "governments") in agents
    assert (W18, "international community") in agents
    # narrower topics (skos:broader*) count: cybercrime is a narrower topic of cybersecurity
    gov = next(r for r in rows if r["agent"] == "governments")
    assert gov["topics"].split(", ") == ["cyber defense", "cybercrime", "cybersecurity", "cyberterrorism"]
    assert {r["topic"] for r in rows} == {"cybersecurity"}
    assert len({(r["text"], r["agent"]) for r in rows}) == len(rows)  # one row per commitment and agent
    # an alternative label, in any case, names the same topic
    alt = ask(store, "commitments-by-topic", topic="Cyber Security")
    assert [(r["text"], r["agent"]) for r in alt] == [(r["text"], r["agent"]) for r in rows]


def test_actor_topic_matrix(store):
    rows = ask(store, "actor-topic-matrix")
    cells = {(r["actor"], r["topic"]): int(r["commitments"]) for r in rows}
    assert cells[("international community", "cybersecurity")] >= 2
    assert cells[("governments", "cybersecurity")] >= 1
    counts = [int(r["commitments"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_topic_trend(store):
    rows = {r["topic"]: r for r in ask(store, "topic-trend")}
    assert rows["data security"]["trend"] == "new"  # discussed in 2018, not in 2017
    assert rows["blockchain"]["trend"] == "dropped"
    for r in rows.values():
        before, after = int(r["before"]), int(r["after"])
        expected = ("new" if before == 0 else "dropped" if after == 0 else "rising" if after > before
                    else "falling" if after < before else "steady")
        assert r["trend"] == expected, r
        assert (r["from"], r["to"]) == ("2017", "2018")
    # the years are parameters: swapping them swaps new and dropped
    swapped = {r["topic"]: r["trend"] for r in ask(store, "topic-trend", **{"from": "2018", "to": "2017"})}
    assert swapped["data security"] == "dropped" and swapped["blockchain"] == "new"


def test_actors_in_every_report(store):
    rows = ask(store, "actors-in-every-report")
    names = {r["actor"] for r in rows}
    assert {"international community", "World Internet Conference", "United Nations"} <= names
    assert {r["reports"] for r in rows} == {"2"}
    assert "High-level Advisory Council" not in names  # only the 2018 report names it


def test_reports_link_the_actors_their_mentions_name(store):
    """kg:mentionsActor (derived in kg/to_rdf.py, read by actors-in-every-report) links each report
    to exactly the actors its mentions name: no topic, none missing, none extra."""
    prefix = "PREFIX kg: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    linked = run_query(store, prefix + "SELECT DISTINCT ?r ?a WHERE { ?r kg:mentionsActor ?a }").values()
    named = run_query(store, prefix + """SELECT DISTINCT ?r ?a WHERE {
        ?m kg:refersTo ?a ; kg:sentence/kg:report ?r . FILTER NOT EXISTS { ?a a skos:Concept } }""").values()
    assert sorted((x["r"], x["a"]) for x in linked) == sorted((x["r"], x["a"]) for x in named)
    w17 = "https://w3id.org/policykg/id/report/wic-2017-internet-development-trends"
    w18 = "https://w3id.org/policykg/id/report/wic-2018-wuzhen-outlook"
    council = "https://w3id.org/policykg/actor/high-level-advisory-council"
    pairs = {(x["r"], x["a"]) for x in linked}
    assert (w18, council) in pairs and (w17, council) not in pairs
    assert (w17, "https://w3id.org/policykg/actor/governments") in pairs
    assert not any(a.startswith("https://w3id.org/policykg/topic/") for _, a in pairs)


def test_sentences_link_the_topics_their_mentions_name(store):
    """kg:mentionsTopic (derived in kg/to_rdf.py, read by co-occurring-topics) links each sentence
    to exactly the topics its mentions name: no actor, none missing, none extra."""
    prefix = "PREFIX kg: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    linked = run_query(store, prefix + "SELECT DISTINCT ?s ?t WHERE { ?s kg:mentionsTopic ?t }").values()
    named = run_query(store, prefix + """SELECT DISTINCT ?s ?t WHERE {
        ?m kg:refersTo ?t ; kg:sentence ?s . ?t a skos:Concept }""").values()
    pairs = {(x["s"], x["t"]) for x in linked}
    assert len(pairs) == len(linked) and pairs == {(x["s"], x["t"]) for x in named}
    assert all(t.startswith("https://w3id.org/policykg/topic/") for _, t in pairs)
    sentence = "https://w3id.org/policykg/id/report/wic-2018-wuzhen-outlook/sentence/"
    assert any(s.startswith(sentence) and t.endswith("/digital-divide") for s, t in pairs)


def test_reports_state_the_counts_of_their_parts(store):
    """kg:sentenceCount, kg:commitmentCount and kg:statisticCount (derived in kg/to_rdf.py, read by
    the reports query) equal the parts of each report in the graph."""
    prefix = "PREFIX kg: <https://w3id.org/policykg/ontology#> "
    stated = run_query(store, prefix + """SELECT ?r ?s ?c ?st WHERE {
        ?r kg:sentenceCount ?s ; kg:commitmentCount ?c ; kg:statisticCount ?st }""").values()
    counted = run_query(store, prefix + """SELECT ?r (COUNT(DISTINCT ?s) AS ?n)
        (COUNT(DISTINCT ?c) AS ?nc) (COUNT(DISTINCT ?st) AS ?ns) WHERE {
        ?s a kg:Sentence ; kg:report ?r .
        OPTIONAL { ?c a kg:Commitment ; kg:sentence ?s }
        OPTIONAL { ?st a kg:Statistic ; kg:sentence ?s } } GROUP BY ?r""").values()
    assert sorted((x["r"], x["s"], x["c"], x["st"]) for x in stated) == \
        sorted((x["r"], x["n"], x["nc"], x["ns"]) for x in counted)
    w18 = "https://w3id.org/policykg/id/report/wic-2018-wuzhen-outlook"
    assert int(next(x["c"] for x in stated if x["r"] == w18)) > 0


def test_co_occurring_topics(store):
    rows = ask(store, "co-occurring-topics")
    pairs = {(r["topic"], r["other"]): int(r["sentences"]) for r in rows}
    assert pairs[("cybercrime", "cybersecurity")] >= 2
    assert all(r["topic"] < r["other"] for r in rows)


def test_evidence(store):
    rows = ask(store, "evidence")  # default: the first commitment of the 2018 report
    assert len(rows) == 1
    ev = rows[0]
    assert ev["file"] == "wic-2018-wuzhen-outlook.txt" and ev["report"] == W18
    text = (CORPUS_DIR / ev["file"]).read_text(encoding="utf-8")
    assert text[int(ev["sentenceBegin"]):int(ev["sentenceEnd"])] == ev["sentence"]
    assert text[int(ev["begin"]):int(ev["end"])] == ev["span"]
    # any extracted item: here a statistic of the 2017 report, given as an IRI
    stat = ask(store, "evidence", item="<https://w3id.org/policykg/id/report/wic-2017-internet-development-trends/statistic/1>")
    assert len(stat) == 1 and stat[0]["file"] == "wic-2017-internet-development-trends.txt"
    text17 = (CORPUS_DIR / stat[0]["file"]).read_text(encoding="utf-8")
    assert text17[int(stat[0]["begin"]):int(stat[0]["end"])] == stat[0]["span"]


def test_statistics(store):
    rows = ask(store, "statistics")
    facts = {(r["report"], float(r["value"]), r["unit"]) for r in rows}
    assert (W18, 12.9e12, "USD") in facts
    assert (W18, 54.4, "percent") in facts
    assert (W17, 50.0, "percent") in facts


def test_statistics_by_topic(store):
    rows = ask(store, "statistics-by-topic")  # default: internet access
    facts = {(r["report"], float(r["value"])) for r in rows}
    assert {(W17, 50.0), (W18, 54.4)} <= facts
    assert {r["unit"] for r in rows} == {"percent"}
    breaches = ask(store, "statistics-by-topic", topic="data security")
    assert (W18, 2300.0, "count") in {(r["report"], float(r["value"]), r["unit"]) for r in breaches}


def test_strongest_commitments(store):
    rows = ask(store, "strongest-commitments")
    strengths = [int(r["strength"]) for r in rows]
    assert strengths == sorted(strengths, reverse=True)
    assert rows[0]["deontic"] == "Obligation"
    assert any(r["modality"] == "it is imperative to" for r in rows if r["strength"] == "4")
    assert {r["deontic"] for r in rows if r["strength"] == "3"} == {"Recommendation"}


def test_events(store):
    rows = ask(store, "events")
    assert [r["start"] for r in rows] == ["2017-12-03", "2018-11-07", "2022-07-12"]
    fourth = rows[0]
    assert (fourth["label"], fourth["place"], fourth["end"], fourth["participants"]) == (
        "4th World Internet Conference", "Wuzhen", "2017-12-05", "1500")
    assert rows[2]["kind"] == "Founding"


def test_event_places(store):
    rows = {r["label"]: r for r in ask(store, "event-places")}
    assert rows["5th World Internet Conference"]["place"] == "Wuzhen"
    assert rows["5th World Internet Conference"]["within"] == "Zhejiang Province, China"  # innermost first
    founding = next(r for label, r in rows.items() if "established" in label)
    assert (founding["place"], founding["within"]) == ("Beijing", "China")


def test_founders(store):
    rows = ask(store, "founders")  # default: the World Internet Conference
    assert {r["founded"] for r in rows} == {"World Internet Conference"}
    assert {r["date"] for r in rows} == {"2022-07-12"} and {r["place"] for r in rows} == {"Beijing"}
    initiators = {r["initiator"]: r["type"] for r in rows}
    assert initiators["Alibaba Group"] == "Company" and initiators["Tencent"] == "Company"
    assert initiators["GSMA"] == "InternationalOrganisation"
    by_acronym = ask(store, "founders", organisation="wic")
    assert [(r["initiator"], r["type"]) for r in by_acronym] == [(r["initiator"], r["type"]) for r in rows]


def test_reports(store):
    rows = ask(store, "reports")
    assert [(r["report"], r["year"], r["file"]) for r in rows] == [
        (W17, "2017", "wic-2017-internet-development-trends.txt"),
        (W18, "2018", "wic-2018-wuzhen-outlook.txt"),
    ]
    assert all(int(r["sentences"]) > 40 and int(r["commitments"]) > 0 for r in rows)


def test_answers_are_the_same_from_turtle_trig_and_store(built, tmp_path):
    """The merged Turtle, the TriG with one graph per report and the on-disk store give the same
    answers. Oxigraph's union of named graphs keeps a triple once per graph that states it (shared
    actor and topic descriptions): every query must be written to give set answers over it."""
    from kg.store import write_store
    import pyoxigraph as ox

    trig = open_store(built / "graph.trig")
    location = tmp_path / "store"
    write_store(location, ox.serialize(trig, format=ox.RdfFormat.N_QUADS))
    sources = [trig, open_store(built / "graph.ttl"), open_store(location)]
    for name in LIBRARY:
        answers = [run_query(s, LIBRARY[name].text, {}, name).values() for s in sources]
        assert answers[0] == answers[1] == answers[2], name
