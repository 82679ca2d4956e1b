"""Events: conference editions and foundings of organisations.

- "The 5th World Internet Conference (WIC) was held in Wuzhen, Zhejiang province, China, from Nov 7
  to 9, 2018" → an edition (5) of the forum, its places (innermost first) and dates (a year
  missing from a date is carried from the report); participants, countries and the theme come
  from the same or the next sentences of the paragraph.
- "We met in Bali on 15-16 November 2022" → a meeting of the report's author.
- "X was established/founded as … on July 12, 2022, headquartered in Beijing, China. It was
  jointly initiated by A, B and C." → a founding, with its initiators.
"""
from __future__ import annotations

import re

from ..iri import distinct_event_iri, event_iri
from ..records import Event, Segmented, Statistic
from .actors import LEADERS, ActorFinding, ordinal_value
from .statistics import MONTHS, _MONTH

_PLACE = r"(?P<place>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:\s+(?:province|Province|region|Region|state|State|city|City|county|County))?(?:,\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:\s+(?:province|Province|region|Region|state|State|city|City))?)*)"
_DATE_RANGE = re.compile(
    # "26 September to 14 October 2022": a range across two months, day first
    rf"(?<!\d)(?P<d1c>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1c>{_MONTH})\s*(?:-|–|to)\s*(?P<d2c>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2c>{_MONTH})(?:,?\s+(?P<yc>\d{{4}}))?|"
    # (a day is one or two digits and no more: "December 2015" has a year, not day 20)
    rf"(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*(?:(?P<m2>{_MONTH})\s+)?(?P<d2>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?)?(?:,?\s+(?P<y>\d{{4}}))?"
    rf"|(?<!\d)(?P<d1b>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*(?P<d2b>\d{{1,2}})(?:st|nd|rd|th)?)?\s+(?P<m1b>{_MONTH})(?:,?\s+(?P<yb>\d{{4}}))?")
# "was held in X", "took place in X", ", held in X," (a participle after the name), "held at the
# venue in X", "hosted by Saudi Arabia in X"
_HELD = re.compile(rf"(?:(?:\b(?:was|were|is|will\s+be)\s+|,\s*)(?:held|convened|hosted|organized|organised)"
                   rf"(?:\s+(?:at|by)\s+[^,.;]{{1,60}}?)?|\b(?:took|takes|will\s+take)\s+place)\s+in\s+{_PLACE}", re.U)
# "We met in Bali", "We, the Leaders of the G7, met in Hiroshima"
_MET = re.compile(rf"\b(?:We|we)(?:,[^,.;]{{1,80}},)?\s+(?:met|gathered|convened)\s+in\s+{_PLACE}")
# "APEC Leaders met in San Francisco": the leaders (or ministers) of the forum named before
_LEADERS_MET = re.compile(rf"\b{LEADERS}\s+(?:met|gathered|convened)\s+in\s+{_PLACE}")
_FOUNDED = re.compile(r"\b(?:was|were|has been|had been)\s+(?:officially\s+)?(?:established|founded|created|launched|set\s+up|inaugurated)\b(?:\s+as\s+(?P<as>an?\s+[^,.;]+?))?(?=\s+(?:on|in)\b|,|\.)")
_HQ = re.compile(rf"\b(?:headquartered|based|seated)\s+in\s+{_PLACE}")
_INITIATED = re.compile(r"\b(?:jointly\s+|co-?)?(?:initiated|founded|established|launched|sponsored)\s+by\b")
# Words one of which every match of _HELD, _MET, _LEADERS_MET or _FOUNDED contains (they are case-sensitive):
# a sentence without any is not searched with them (most sentences describe no event)
_EVENT_CUES = ("held", "convened", "hosted", "organized", "organised", "place", "met", "gathered",
               "established", "founded", "created", "launched", "set", "inaugurated")
_THEME = re.compile(r"\btheme\b[^\"“]{0,40}[\"“](?P<theme>[^\"”]+)[\"”]", re.I)
_PARTICIPANTS = re.compile(r"participant|representative|delegate|attendee|guest|people|entrepreneur|expert|official|brought together", re.I)


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower().rstrip(".")[:3]]


def parse_dates(text: str, year: int | None) -> tuple[str | None, str | None]:
    """First date or date range of `text` as ISO dates; a missing year is `year`."""
    m = _DATE_RANGE.search(text)
    if not m:
        return None, None
    if m.group("m1c"):
        m1, d1, m2, d2, y = m.group("m1c"), m.group("d1c"), m.group("m2c"), m.group("d2c"), m.group("yc")
    elif m.group("m1"):
        m1, d1, m2, d2, y = m.group("m1"), m.group("d1"), m.group("m2") or m.group("m1"), m.group("d2"), m.group("y")
    else:
        m1, d1, m2, d2, y = m.group("m1b"), m.group("d1b"), m.group("m1b"), m.group("d2b"), m.group("yb")
    y = int(y) if y else year
    if y is None:
        return None, None
    start = f"{y:04d}-{_month(m1):02d}-{int(d1):02d}"
    end = f"{y:04d}-{_month(m2):02d}-{int(d2):02d}" if d2 else start
    return start, end


_MONTH_YEAR = re.compile(rf"^[^.;]{{0,60}}?\b(?:in|since|from|during)\s+(?P<m>{_MONTH})\.?\s+(?P<y>(?:19|20)\d\d)\b")
_YEAR_ONLY = re.compile(r"^[^.;]{0,60}?\bin\s+(?P<y>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)")


def parse_partial_date(text: str) -> str | None:
    """When `text` gives no day: the month or year that follows soon after its start, as ISO
    "2015-12" ("in December 2015") or "2014" ("in 2014"), else None."""
    m = _MONTH_YEAR.search(text)
    if m:
        return f"{m.group('y')}-{_month(m.group('m')):02d}"
    m = _YEAR_ONLY.search(text)
    return m.group("y") if m else None


def _places(raw: str) -> list[str]:
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    out = []
    for p in parts:
        if re.match(r"(?:from|on|in)\b", p):
            break
        out.append(re.sub(r"\s+(province|region|state|city|county)$", lambda m: " " + m.group(1).capitalize(), p))
    return out


def extract_events(seg: Segmented, finding: ActorFinding, statistics: list[Statistic]) -> list[Event]:
    """Conference editions, meetings and foundings described in a document."""
    doc = seg.document
    actors = finding.actors
    events: list[Event] = []
    sentences = seg.sentences
    stats_by_sentence: dict[int, list[Statistic]] = {}
    for st in statistics:
        stats_by_sentence.setdefault(st.sentence, []).append(st)

    for s in sentences:
        if not any(map(s.text.__contains__, _EVENT_CUES)):
            continue
        mentions = finding.by_sentence.get(s.index, [])
        held = _HELD.search(s.text) or _MET.search(s.text) or _LEADERS_MET.search(s.text)
        if held:
            forum = None
            edition = None
            for m in mentions:
                if m.begin - s.begin < held.start() and actors[m.target].kind in {"Forum"}:
                    forum = m
                    words = s.text[:m.begin - s.begin].split()
                    # right before a forum's name an ordinal word is one in lower case too ("the second WIC")
                    edition = ordinal_value(words[-1].capitalize()) if words else None
                    break
            organiser = forum.target if forum else (finding.author if held.re is _MET else None)
            if organiser is None:
                continue
            start, end = parse_dates(s.text[held.end():], doc.year)
            if start is None:
                # "The first World Internet Conference was held in Wuzhen in November 2014": the
                # month (or the year) is all the report says
                start = parse_partial_date(s.text[held.end():])
                end = None
            if start is None:
                continue
            places = _places(held.group("place"))
            name = actors[organiser].label
            label = f"{_ordinal(edition)} {name}" if edition else f"{name} {start[:4]}, {places[0] if places else ''}".rstrip(", ")
            ev = Event(key=event_iri(name, str(edition) if edition else start), kind="ConferenceEdition", label=label,
                       sentence=s.index, begin=s.begin, end=s.end, text=s.text, place=places, start=start,
                       end_date=end, edition=edition, organiser=organiser)
            # participants, countries and theme from this and the following sentences of the paragraph,
            # but not from one about another meeting: one held too, or one that names another forum and
            # not this one ("The G20 Summit was held …. 6,000 participants attended the Forum.")
            for t in sentences[s.index - 1:s.index + 3]:
                if t.paragraph != s.paragraph:
                    break
                if t.index != s.index and (_HELD.search(t.text) or _names_another_forum(finding, t.index, organiser)):
                    continue
                for st in stats_by_sentence.get(t.index, []):
                    if st.unit != "count":
                        continue
                    measured = (st.measures or "") + " " + t.text[:st.begin - t.begin][-40:]
                    if re.search(r"countr|nation|econom", st.measures or "", re.I) and ev.countries is None:
                        ev.countries = int(float(st.value))
                    elif _PARTICIPANTS.search(measured) and ev.participants is None:
                        ev.participants = int(float(st.value))
                    else:
                        continue
                    if t.index != s.index and t.index not in ev.extra_sentences:
                        ev.extra_sentences.append(t.index)
                th = _THEME.search(t.text)
                if th and ev.theme is None:
                    ev.theme = th.group("theme").strip()
                    if t.index != s.index and t.index not in ev.extra_sentences:
                        ev.extra_sentences.append(t.index)
            _add_event(events, ev)
            continue

        founded = _FOUNDED.search(s.text)
        if founded:
            org = next((m for m in mentions if m.end - s.begin <= founded.start()), None)
            if org is None:
                continue
            start, _ = parse_dates(s.text[founded.end():], None)
            start = start or parse_partial_date(s.text[founded.end():])   # "was established in 2014"
            if start is None:
                continue
            hq = _HQ.search(s.text)
            places = _places(hq.group("place")) if hq else []
            name = actors[org.target].label
            what = f" as {founded.group('as')}" if founded.group("as") else ""
            ev = Event(key=event_iri("founding", name, start), kind="Founding",
                       label=f"{name} established{what}", sentence=s.index, begin=s.begin, end=s.end,
                       text=s.text, place=places, start=start, end_date=start, founded=org.target)
            nxt = sentences[s.index] if s.index < len(sentences) else None
            if nxt and _INITIATED.search(nxt.text):
                cut = _INITIATED.search(nxt.text).end()
                ev.initiators = list(dict.fromkeys(m.target for m in finding.by_sentence.get(nxt.index, [])
                                                   if m.begin - nxt.begin >= cut and m.target != org.target))
                ev.extra_sentences.append(nxt.index)
            _add_event(events, ev)
    return events


def _names_another_forum(finding: ActorFinding, sentence: int, organiser: str) -> bool:
    """Whether the sentence names a forum other than `organiser`, and not `organiser` itself."""
    forums = {m.target for m in finding.by_sentence.get(sentence, []) if finding.actors[m.target].kind == "Forum"}
    return bool(forums) and organiser not in forums


def _add_event(events: list[Event], ev: Event) -> None:
    """Add `ev`, or fold it into the event already read under the same IRI: a report that describes
    one edition twice gives one node with both sentences. A second description with other dates is
    another event (its IRI takes its start date), so no node ever carries two dates."""
    same = next((e for e in events if e.key == ev.key), None)
    if same is None:
        events.append(ev)
    elif (same.start, same.end_date) == (ev.start, ev.end_date):
        for field in ("theme", "participants", "countries", "organiser", "founded"):
            if getattr(same, field) is None:
                setattr(same, field, getattr(ev, field))
        same.place = same.place or ev.place
        same.initiators = same.initiators or ev.initiators
        same.extra_sentences.extend(i for i in [ev.sentence, *ev.extra_sentences]
                                    if i != same.sentence and i not in same.extra_sentences)
    else:
        ev.key = distinct_event_iri(ev.key, ev.start or "")
        _add_event(events, ev)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
