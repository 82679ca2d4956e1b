"""Stage 3, extract: actors, topics, commitments, statistics and events of a segmented document."""
from __future__ import annotations

import re

from ..gazetteer import Vocabulary
from ..records import Extraction, Segmented
from .actors import LEADERS, ActorFinding, find_actors
from .commitments import extract_commitments
from .events import extract_events
from .statistics import extract_statistics
from .topics import find_topics

__all__ = ["extract", "find_author"]

_AUTHOR_VERB = re.compile(
    r"^\s*(?:has|have|had|hereby)?\s*(?:reached|projects|project|presents|present|issued|issues|adopted|adopts|"
    r"declares|declare|agreed|agree|submits|submit|prepared|prepares|publishes|published|releases|released|"
    r"states|stated|puts\s+forward|put\s+forward|proposes|proposed|launches|launched)\b")
_LEADERS_OF = re.compile(r"\b(?:Leaders|Heads\s+of\s+State\s+and\s+Government|Ministers|Members|members|leaders)\s+of\s+(?:the\s+)?$")
# "the G20 Leaders met", "We, the BRICS Ministers, …": the body whose leaders speak
_LEADERS_AFTER = re.compile(rf"^\s*{LEADERS}\b")
# "The General Assembly," alone on a line: the body that speaks in a resolution's paragraphs
_BEFORE_SPEAKER = re.compile(r"\s*(?:[Tt]he\s+)?")
_AFTER_SPEAKER = re.compile(r"\s*,\s*")


def find_author(seg: Segmented, finding: ActorFinding) -> str | None:
    """The body "We" stands for: the organisation that presents the report in its opening
    ("the Organizing Committee … projects", "the Advisory Council … has reached the following
    consensus") or that a resolution's opening line names alone ("The General Assembly,"), else
    the group whose leaders speak ("the Leaders of the G20", "the G20 Leaders"), else the first
    organisation named in the title, or the country whose paper the title says it is ("China's …")."""
    actors = finding.actors
    organisations = {"InternationalOrganisation", "Forum", "Company", "GovernmentBody"}
    opening = [s for s in seg.sentences if s.section is None][:12] or seg.sentences[:12]
    text = seg.document.text
    for s in opening:
        ms = sorted(finding.by_sentence.get(s.index, []), key=lambda m: (m.end, -(m.end - m.begin)))
        for m in ms:
            if actors[m.target].kind not in organisations:
                continue
            if _AUTHOR_VERB.match(text[m.end:m.end + 60]) or (
                    _BEFORE_SPEAKER.fullmatch(text[s.begin:m.begin]) and _AFTER_SPEAKER.fullmatch(text[m.end:s.end])):
                outer = [o for o in ms if o.end == m.end and o.begin <= m.begin]
                return min(outer, key=lambda o: o.begin).target
    for s in opening:
        for m in finding.by_sentence.get(s.index, []):
            if actors[m.target].kind in organisations and (
                    _LEADERS_OF.search(text[s.begin:m.begin]) or _LEADERS_AFTER.match(text[m.end:m.end + 40])):
                return m.target
    for s in seg.sentences:
        if not s.is_heading or s.section is not None:
            continue
        for m in finding.by_sentence.get(s.index, []):
            if actors[m.target].kind in organisations:
                return m.target
            # "China's International Strategy of Cooperation on Cyberspace": a country's own paper
            if actors[m.target].kind == "Country" and re.match(r"[’']s\b", text[m.end:m.end + 3]):
                return m.target
    return None


def extract(seg: Segmented, vocab: Vocabulary) -> Extraction:
    """Run every extractor over one segmented document."""
    finding = find_actors(seg, vocab)
    finding.author = find_author(seg, finding)
    topics = find_topics(seg, vocab, finding.mentions)
    statistics = extract_statistics(seg, topics)
    commitments = extract_commitments(seg, finding, topics)
    events = extract_events(seg, finding, statistics)
    return Extraction(segmented=seg, author=finding.author, actors=finding.actors,
                      mentions=finding.mentions + topics, commitments=commitments,
                      statistics=statistics, events=events)
