"""Topics: concepts of the SKOS scheme found in sentences under any of their labels.

A topic label inside an actor's name ("Internet Governance Forum") does not count as the topic.
"""
from __future__ import annotations

from ..gazetteer import Vocabulary
from ..records import Mention, Segmented


def find_topics(seg: Segmented, vocab: Vocabulary, actor_mentions: list[Mention]) -> list[Mention]:
    """Topic mentions of every sentence, longest label first."""
    text = seg.document.text
    by_sentence: dict[int, list[Mention]] = {}
    for m in actor_mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    out: list[Mention] = []
    for s in seg.sentences:
        actors = by_sentence.get(s.index, [])
        for b, e, iri in vocab.topic_matcher.find(s.text):
            b, e = s.begin + b, s.begin + e
            if any(a.begin <= b and e <= a.end and a.end - a.begin > e - b for a in actors):
                continue
            out.append(Mention("topic", iri, b, e, text[b:e], s.index))
    return out
