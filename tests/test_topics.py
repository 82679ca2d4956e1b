"""Topic rules: concepts of ontology/topics.ttl found under any label, acronyms by case, the
longest label first, and never inside an actor's name."""
from __future__ import annotations

from helpers import run_text

from kg.vocab import TOPIC


def _topics(ex):
    return [(m.text, m.target) for m in ex.mentions if m.kind == "topic"]


def test_alternative_labels_and_case_name_one_concept(tmp_path):
    ex = run_text(tmp_path, "Cyber security and network security matter. Cybersecurity matters.")
    assert _topics(ex) == [("Cyber security", str(TOPIC["cybersecurity"])), ("network security", str(TOPIC["cybersecurity"])),
                           ("Cybersecurity", str(TOPIC["cybersecurity"]))]


def test_the_longest_label_wins(tmp_path):
    ex = run_text(tmp_path, "The gender digital divide is wide.")
    assert _topics(ex) == [("gender digital divide", str(TOPIC["digital-divide"]))]


def test_an_acronym_matches_only_in_its_own_case(tmp_path):
    ex = run_text(tmp_path, "IoT devices multiply. The iot label is not an acronym.")
    assert _topics(ex) == [("IoT", str(TOPIC["internet-of-things"]))]


def test_a_topic_inside_an_actors_name_is_not_the_topic(tmp_path):
    ex = run_text(tmp_path, "The Internet Governance Forum met. Internet governance was discussed.")
    assert _topics(ex) == [("Internet governance", str(TOPIC["internet-governance"]))]


def test_digital_public_infrastructure_and_the_gig_economy(tmp_path):
    ex = run_text(tmp_path, "Digital identity systems are part of digital public infrastructure (DPI). The gig economy grows.")
    assert _topics(ex) == [("Digital identity", str(TOPIC["digital-public-infrastructure"])),
                           ("digital public infrastructure", str(TOPIC["digital-public-infrastructure"])),
                           ("DPI", str(TOPIC["digital-public-infrastructure"])),
                           ("gig economy", str(TOPIC["platform-economy"]))]
