"""Actors: gazetteer matches plus general discovery, resolved to one record per real entity.

Discovery rules (all general):
- acronym definitions "Name (ACR)", "Name(ACR)", "Name (ACR, Other Name)": the acronym and the
  other name become labels of the entity (a gazetteer entity when the acronym or name is known);
- organisation-shaped names: capitalised runs ending in a body noun (Council, Committee, Forum,
  Union, Lab, Group, …); "X of the Y" gives X as a body of Y, and a generic X ("Organizing
  Committee") is named after Y ("World Internet Conference Organizing Committee");
- short references "the Conference", "the Committee" resolve to the conference the report is
  about, or to the one entity of the report with that head noun;
- a country written as a location ("Wuzhen, Zhejiang province, China", "in China") is a place, not
  an acting country.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import itemgetter

from ..gazetteer import Vocabulary, tokens
from ..iri import actor_iri
from ..records import Actor, Mention, Segmented

HEADS = {
    "Organization", "Organisation", "Union", "Forum", "Council", "Committee", "Commission",
    "Conference", "Association", "Agency", "Center", "Centre", "Institute", "Bank", "Fund", "Group",
    "Lab", "Laboratory", "Secretariat", "Alliance", "Foundation", "Corporation", "Company", "Ministry",
    "Department", "Authority", "Administration", "Assembly", "Board", "Court", "Parliament", "Team",
    "Office", "Bureau", "Consortium", "Coalition", "Federation", "Partnership", "Summit",
    "University", "Academy", "Society", "Force", "Panel", "Presidency", "Inc", "Ltd", "Organizations",
    "Organisations", "Banks", "Agencies", "Institutions", "Funds", "Companies",
}
# Words that make a body's name generic: such a body is named after its parent organisation.
GENERIC = {"Organizing", "Organising", "Steering", "Executive", "Preparatory", "Standing", "General",
           "Governing", "Permanent", "Advisory", "Committee", "Council", "Board", "Secretariat",
           "Bureau", "Commission", "Assembly", "Office", "Presidency", "Group", "Working", "Team"}
HEAD_KIND = {"Forum": "Forum", "Summit": "Forum", "Conference": "Forum", "Company": "Company",
             "Corporation": "Company", "Inc": "Company", "Ltd": "Company", "Group": "Company"}
# who speaks or meets for a body: "the G20 Leaders", "APEC Leaders met in …", "the BRICS Ministers"
LEADERS = r"(?:Leaders|leaders|Heads\s+of\s+State\s+and\s+Government|Ministers|ministers)"
CONNECTORS = {"of", "for", "on", "and", "the", "de", "in", "&", "to"}
ORDINAL_WORDS = {w: i + 1 for i, w in enumerate(
    "First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth Eleventh Twelfth Thirteenth "
    "Fourteenth Fifteenth Sixteenth Seventeenth Eighteenth Nineteenth Twentieth".split())}
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
_ACRONYM_DEF = re.compile(r"\(\s*(?P<acr>[A-Z][A-Za-z0-9&/.-]*[A-Z0-9]s?)\s*(?:,\s*(?P<alias>[A-Z][^()]{2,60}?))?\s*\)")
# Verbs that address someone who is to act: "We call on X to …", "urge X to", "ask X to".
_DIRECTIVE = re.compile(r"\b(?:call(?:s|ed)?\s+(?:on|upon)(?!\s+to\b)|urges?|invites?|encourages?|asks?|requests?)\s+", re.I)
_ADDRESSEE = re.compile(r"(?P<np>[^.;:()\[\]]{1,120}?)\s+to\s+(?P<verb>[a-z]+)\b")
_CONJUNCT_SEP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as\s+well\s+as)\s+")
# Words before a group's name that do not name it: "all parties", "other public authorities".
_GROUP_DETERMINERS = {"all", "the", "other", "relevant", "our", "their", "every", "each", "both", "any",
                      "those", "these", "its", "such", "more"}
_GROUP_PREPOSITIONS = {"with", "of", "in", "from", "for", "on", "at", "by", "across", "within", "that", "who", "which"}
# Singular nouns that name a collective ("the payments industry", "the business community").
_COLLECTIVE_HEADS = {"industry", "community", "sector", "society", "academia", "government"}
_NOT_VERB_AFTER_TO = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "all"}


def is_action_after_to(word: str) -> bool:
    """Whether `word` after "X to" is the action X is asked to take ("call on donors to join"), not a
    noun or gerund ("encourage innovative approaches to financing", "… to the problem")."""
    return word.lower() not in _NOT_VERB_AFTER_TO and not word.endswith(("ing", "ed"))
# Where a group stands as the subject of a duty: "All countries should …", "we propose that all countries work …".
_MODAL_AFTER = re.compile(r"(?:\s+\w+ly)?\s+(?:should|must|shall|need\s+to|needs\s+to|ought\s+to|have\s+to)\b")
_THAT_CLAUSE = re.compile(r"\b(?:propose|proposes|suggest|suggests|advocate|advocates|recommend|recommends|imperative|"
                          r"essential|necessary|vital|crucial|critical)\s+that\s+", re.I)
_MODAL_CUES = ("should", "must", "shall", "need", "ought", "have")
# the words every match of a directive ("calls on", "urges" …) holds: _DIRECTIVE here, and the
# addressee marker of kg.extract.commitments
DIRECTIVE_CUES = ("call", "urge", "invite", "encourage", "ask", "request")


# The letters re.IGNORECASE matches with an ASCII letter that lower() does not map to it: dotless
# i and long s (checked over every code point; the Kelvin sign lowers to "k")
_FOLD_EXCEPTIONS = ("ı", "ſ")


def lowered_alike(text: str) -> str | None:
    """`text` lower-cased, when a case-insensitive pattern of ASCII literals matches `text` exactly
    where its case-sensitive copy matches the lower-cased text, at the same offsets: every
    character lowers to one character (not "İ", which becomes two) and none is a fold exception.
    None otherwise (the case-insensitive patterns must then read `text` itself)."""
    lowered = text.lower()
    if text.isascii():
        return lowered
    if len(lowered) != len(text) or any(map(text.__contains__, _FOLD_EXCEPTIONS)):
        return None
    return lowered


def _may_match(text: str, cues: tuple[str, ...]) -> bool:
    """False when a case-insensitive pattern, every match of which holds one of these lower-case
    words, cannot match `text`: a substring test is much cheaper than the regex scan. (Decided
    where lower() keeps the text's letters aligned, `lowered_alike`.)"""
    lowered = lowered_alike(text)
    return lowered is None or any(map(lowered.__contains__, cues))


_FUNCTION_WORDS = {"and", "or", "but", "that", "which", "who", "of", "in", "on", "at", "for", "with", "by", "from", "to",
                   "as", "is", "are", "was", "were", "be", "been", "it", "this", "they", "we", "there", "among",
                   "between", "about", "against", "through", "into", "than", "like", "including"}


_CURRENCY_AFTER = re.compile(r"\s*(?:dollars?|cents?|yuan|yen|euros?|pounds?|rupees?|francs?)\b", re.I)
_LOCATION_BEFORE = re.compile(r"(?:\b(?:in|at|near|from|across|throughout|within|outside|headquartered in|based in)\s+|[A-Za-z]\s*,\s*)$")


def ordinal_value(word: str) -> int | None:
    """5 for "5th" or "Fifth"; None for other words."""
    m = _ORDINAL.match(word)
    if m:
        return int(m.group(1))
    return ORDINAL_WORDS.get(word.capitalize()) if word[:1].isupper() else None


@dataclass
class ActorFinding:
    """Actors of one document: records by IRI, mentions, and what "We" and "the Conference" mean."""

    actors: dict[str, Actor]
    mentions: list[Mention]
    conference: str | None = None
    author: str | None = None
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)


_DIGITS_THEN_CAPITAL = re.compile(r"\d+[A-Z]")


def _is_cap(tok: str) -> bool:
    """A capitalised word, or a code like "5G" or "3GPP" (called for every token: kept cheap)."""
    first = tok[:1]
    return first.isupper() or (first.isdigit() and _DIGITS_THEN_CAPITAL.match(tok) is not None)


_FIRST, _WORD = itemgetter(0), itemgetter(2)


def _capitalised(toks: tuple[tuple[int, int, str], ...]) -> list[int]:
    """Indices of the tokens `_is_cap` holds for, in order. It runs over every token of a document:
    map and compress test the first letters without a Python call per token."""
    words = list(map(_WORD, toks))
    firsts = list(map(_FIRST, words))
    found = list(compress(range(len(words)), map(str.isupper, firsts)))
    codes = [k for k in compress(range(len(words)), map(str.isdigit, firsts)) if _DIGITS_THEN_CAPITAL.match(words[k])]
    return sorted(found + codes) if codes else found


def _only_space_between(text: str, a_end: int, b_begin: int) -> bool:
    return not text[a_end:b_begin].strip()


class _Resolver:
    """Builds the document's actor records while rules register names."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.actors: dict[str, Actor] = {}
        self.local = vocab.actor_matcher.copy()
        self.acronyms = dict(vocab.acronyms)
        self.by_core: dict[str, str] = {}   # discovered name without known acronyms → IRI

    def _core(self, label: str) -> str:
        """A discovered name without the acronyms of known actors: "Indonesian G20 Presidency" and
        "Indonesian Presidency", "WTO Ministerial Conference" and "Ministerial Conference" are one body."""
        return " ".join(w for w in label.split() if w not in self.acronyms).lower()

    def lookup(self, name: str) -> str | None:
        """The actor a whole name stands for, by gazetteer or by a name registered earlier."""
        name = re.sub(r"^(?:the|The)\s+", "", re.sub(r"\s+", " ", name.strip()))
        if name in self.acronyms:
            return self.acronyms[name]
        hits = self.local.find(name)
        if len(hits) == 1 and hits[0][0] == 0 and hits[0][1] == len(name):
            return hits[0][2]
        return None

    def known(self, iri: str) -> Actor:
        if iri not in self.actors:
            self.actors[iri] = self.vocab.actors[iri]
        return self.actors[iri]

    def add_label(self, iri: str, label: str, acronym: bool = False) -> None:
        label = re.sub(r"\s+", " ", label)  # a name wrapped over two lines is still one label
        a = self.known(iri) if iri in self.vocab.actors or iri in self.actors else None
        if a is None:
            return
        if acronym:
            if label not in a.acronyms:
                self.actors[iri] = replace(a, acronyms=tuple(sorted({*a.acronyms, label})))
            self.acronyms.setdefault(label, iri)
            self.local.add(label, iri, case_sensitive=True)
        else:
            if label != a.label and label not in a.alt_labels:
                self.actors[iri] = replace(a, alt_labels=tuple(sorted({*a.alt_labels, label})))
            self.local.add(label, iri, case_sensitive=True)

    def discover(self, label: str, kind: str, parent: str | None = None, match_elsewhere: bool = True) -> str:
        """The IRI of a discovered actor, registered under `label` so that later mentions are found
        too (unless `match_elsewhere` is false: a bare "countries" names a group only where it is
        addressed, not wherever the word occurs)."""
        label = re.sub(r"\s+", " ", label)
        iri = actor_iri(label)
        if iri in self.vocab.actors:
            return iri
        same = self.by_core.get(self._core(label))
        if same is not None and same != iri and kind != "StakeholderGroup":
            self.add_label(same, label)
            return same
        if iri not in self.actors:
            self.by_core.setdefault(self._core(label), iri)
            self.actors[iri] = Actor(key=iri, label=label, kind=kind, discovered=True, parent=parent)
            if match_elsewhere:
                self.local.add(label, iri, case_sensitive=True)
        return iri


def _strip_ordinal(words: list[tuple[int, int, str]]) -> tuple[list[tuple[int, int, str]], int | None]:
    if words and ordinal_value(words[0][2]):
        return words[1:], ordinal_value(words[0][2])
    return words, None


def _org_kind(head: str, parent: str | None) -> str:
    if parent is not None:
        return "GovernmentBody"
    return HEAD_KIND.get(head, "GovernmentBody" if head in {"Ministry", "Department", "Authority",
                                                             "Administration", "Agency", "Office",
                                                             "Bureau", "Team", "Center", "Centre",
                                                             "Lab", "Laboratory", "Presidency",
                                                             "Committee", "Council", "Board",
                                                             "Secretariat", "Commission"}
                     else "InternationalOrganisation")


# between an acronym in brackets and the name that goes on after it: "(WIC) Organizing Committee"
_BRACKET_CLOSE_GAP = re.compile(r"\s*[)）]\s*")


def find_actors(seg: Segmented, vocab: Vocabulary) -> ActorFinding:
    """Find every actor mention of a segmented document and resolve them to entities."""
    text = seg.document.text
    res = _Resolver(vocab)
    spans: list[tuple[int, int, str, int]] = []   # begin, end, iri, sentence
    pending: list[tuple[str, str, int, int, int]] = []  # "Body of the Conference", resolved later

    # 1. acronym definitions
    for s in seg.sentences:
        for m in _ACRONYM_DEF.finditer(s.text):
            acr = m.group("acr")
            if sum(c.isupper() for c in acr) < 2:
                continue
            # the sentence's own tokens (cached) up to the bracket: "(" is no token character,
            # so they are the tokens of the text before it
            before = [t for t in tokens(s.text) if t[1] <= m.start()]
            # the name: capitalised words (and connectors) right before the bracket
            name: list[tuple[int, int, str]] = []
            for t in reversed(before):
                gap = s.text[t[1]:(name[0][0] if name else m.start())]
                if gap.strip():
                    break
                if _is_cap(t[2]) or (t[2] in CONNECTORS and name):
                    name.insert(0, t)
                else:
                    break
            while name and name[0][2] in CONNECTORS:
                name.pop(0)
            name, _ = _strip_ordinal(name)
            if not name:
                continue
            # the name: the shortest suffix that starts with the acronym's first letter and covers
            # its letters, grown leftwards over adjacent capitalised words whose initials it uses
            letters = {c for c in acr.upper() if c.isalpha()}

            def covers(i: int) -> bool:
                words = [w[2] for w in name[i:]]
                initials = {p[0].upper() for w in words for p in re.split(r"[-/]", w) if p}
                return len(letters & initials) >= 0.7 * len(letters)

            starts = [i for i in range(len(name)) if _is_cap(name[i][2]) and name[i][2] not in CONNECTORS and covers(i)]
            preferred = [i for i in starts if name[i][2][0].upper() == acr[0]]
            if not starts:
                continue
            best = preferred[-1] if preferred else starts[0]
            while best > 0 and _is_cap(name[best - 1][2]) and name[best - 1][2] not in CONNECTORS \
                    and name[best - 1][2][0].upper() in letters:
                best -= 1
            name = name[best:]
            full = s.text[name[0][0]:name[-1][1]]
            iri = res.lookup(full) or res.lookup(acr)
            alias = (m.group("alias") or "").strip()
            if iri is None:
                # an organisation's name ends with its head noun or goes on after it with "of",
                # "for", "on" ("Organisation for Economic Co-operation …"); in "Central Bank Digital
                # Currencies (CBDCs)" the head is another name's
                heads = [w[2] for k, w in enumerate(name) if w[2] in HEADS
                         and (k == len(name) - 1 or name[k + 1][2] in CONNECTORS)]
                if not heads:
                    continue  # "Sustainable Development Goals (SDGs)" names no actor
                iri = res.discover(full, _org_kind(heads[-1], None))
            res.add_label(iri, full)
            res.add_label(iri, acr, acronym=True)
            if alias and alias[0].isupper():
                res.add_label(iri, alias)
            spans.append((s.begin + name[0][0], s.begin + name[-1][1], iri, s.index))
            spans.append((s.begin + m.start("acr"), s.begin + m.end("acr"), iri, s.index))
            if alias:
                a0 = s.begin + m.start("alias")
                spans.append((a0, a0 + len(alias), iri, s.index))

    # 2. organisation-shaped names, "X of the Y"
    for s in seg.sentences:
        toks = tokens(s.text)
        i = 0
        # a name starts at a capitalised word: only those positions are visited
        for start in _capitalised(toks):
            if start < i:
                continue   # inside the run just read
            i = start
            j = i
            while j + 1 < len(toks) and _only_space_between(s.text, toks[j][1], toks[j + 1][0]) and (
                    _is_cap(toks[j + 1][2]) or toks[j + 1][2] in CONNECTORS):
                j += 1
            run = list(toks[i:j + 1])
            # "X Forum and the Y Forum": two names, not one
            for k in range(1, len(run) - 1):
                if run[k][2] == "and" and (run[k - 1][2] in HEADS or run[k + 1][2] == "the"
                                           or res.lookup(s.text[run[0][0]:run[k - 1][1]])):
                    run = run[:k]
                    j = i + k - 1
                    break
            while run and run[-1][2] in CONNECTORS:
                run.pop()
            if run and run[0][2] in {"The", "A", "An"}:
                run = run[1:]
            # "Encourages the International Telecommunication Union", "Urges the World Bank to …":
            # a capitalised word right before "the" (a verb opening the sentence) is no part of the
            # name after it, which has "the" only after a connector ("Council of the European Union")
            restart = next((k for k in range(1, len(run) - 1) if run[k][2] == "the" and run[k - 1][2] not in CONNECTORS), None)
            if restart is not None:
                run = run[restart + 1:]
            run, _ = _strip_ordinal(run)
            i = j + 1
            if not run or run[-1][2] not in HEADS:
                continue
            # "Wuzhen Initiative of the World Internet Conference": a document or programme of a body
            # names the body, not an actor of its own
            first_of = next((k for k in range(1, len(run) - 1) if run[k][2] == "of"), None)
            if first_of is not None and run[first_of - 1][2] not in HEADS:
                run = [t for t in run[first_of + 1:] if t[2] not in {"the", "The"}]
                if not run:
                    continue
            # split "X of the Y" at the first "of" after a head noun
            cut = next((k for k in range(1, len(run) - 1) if run[k][2] == "of" and run[k - 1][2] in HEADS), None)
            parts = [run] if cut is None else [run[:cut], [t for t in run[cut + 1:] if t[2] not in {"the"}]]
            parent = None
            if cut is not None:
                y = parts[1]
                y_text = s.text[y[0][0]:y[-1][1]]
                if len(y) == 1 and y[0][2] in HEADS:
                    parent = ("REF", y[0][2], s.begin + y[0][0], s.begin + y[-1][1])
                else:
                    parent = res.lookup(y_text)
                    if parent is None and y[-1][2] in HEADS and len(y) > 1:
                        parent = res.discover(y_text, _org_kind(y[-1][2], None))
                    if parent is not None:
                        spans.append((s.begin + y[0][0], s.begin + y[-1][1], parent, s.index))
            x = parts[0]
            if len(x) < 2 and cut is None:
                continue  # a bare "Conference" is a reference, handled later
            x_text = s.text[x[0][0]:x[-1][1]]
            whole = s.text[run[0][0]:run[-1][1]]
            known = res.lookup(x_text) if cut is None else res.lookup(whole)
            if not known and cut is None and x[-1][2] == "Summit" and len(x) > 1:
                # "the G20 Summit", "the BRICS Summit": the body's own meeting, not a body of its own
                known = res.lookup(s.text[x[0][0]:x[-2][1]])
                if known:
                    res.add_label(known, x_text)
            if known:
                spans.append((s.begin + run[0][0], s.begin + run[-1][1], known, s.index))
                continue
            if isinstance(parent, tuple):
                parent = None  # filled in after the conference is known
                pending.append((x_text, whole, s.begin + run[0][0], s.begin + run[-1][1], s.index))
                continue
            if cut is None and all(t[2] in GENERIC for t in x):
                # "World Internet Conference (WIC) Organizing Committee": a generic name right after
                # a body's name and bracketed acronym is that body's, as in "X of the Y"
                b0 = s.begin + run[0][0]
                parent = next((iri for tb, te, iri, _ in reversed(spans)
                               if te <= b0 and _BRACKET_CLOSE_GAP.fullmatch(text[te:b0])), None)
            if parent and all(t[2] in GENERIC for t in x):
                label = f"{res.actors[parent].label if parent in res.actors else res.known(parent).label} {x_text}"
            elif len(x) < 2:
                continue
            else:
                label = x_text
            iri = res.lookup(label) or res.discover(label, _org_kind(x[-1][2], parent), parent)
            if cut is not None:
                res.add_label(iri, whole)
            spans.append((s.begin + run[0][0], s.begin + (x[-1][1] if cut is None else run[-1][1]), iri, s.index))

    # 2b. addressees of a directive ("we call on new donors to join"): a plural common noun phrase
    # there names a group that is asked to act; named addressees are found by the other rules
    for s in seg.sentences:
        if not _may_match(s.text, DIRECTIVE_CUES):
            continue
        for d in _DIRECTIVE.finditer(s.text):
            np = _ADDRESSEE.match(s.text, d.end())
            if not np or not is_action_after_to(np.group("verb")):
                continue
            b0, phrase = np.start("np"), np.group("np")
            if len(phrase.split()) > 10 or re.match(r"that\b", phrase):
                continue  # "ask that principles guide …" names no addressee
            cuts = [0] + [x for m in _CONJUNCT_SEP.finditer(phrase) for x in (m.start(), m.end())] + [len(phrase)]
            for cb, ce in zip(cuts[::2], cuts[1::2]):
                words = [t for t in tokens(phrase[cb:ce])]
                if words and any(he == words[-1][1] for _, he, _ in res.local.find(phrase[cb:ce])):
                    continue  # "all parties", "developing countries": the gazetteer names it
                while words and words[0][2].lower() in _GROUP_DETERMINERS:
                    words.pop(0)
                # "stakeholders with available resources": the group is named before its modifiers
                cut = next((k for k, w in enumerate(words) if k and w[2] in _GROUP_PREPOSITIONS), len(words))
                words = words[:cut]
                if not words or len(words) > 4:
                    continue
                head = words[-1][2]
                if head.lower() in {"members", "member"}:
                    continue  # "G20 members", "members": the body itself, found by the other rules
                plural = len(head) >= 4 and head.endswith("s") and not head.endswith(("ss", "us", "is")) and head != "others"
                if not plural and head not in _COLLECTIVE_HEADS:
                    continue
                b, e = s.begin + b0 + cb + words[0][0], s.begin + b0 + cb + words[-1][1]
                label = re.sub(r"\s+", " ", text[b:e])
                iri = res.lookup(label) or res.discover(label, "StakeholderGroup",
                                                        match_elsewhere=len(words) > 1 or _is_cap(label))
                spans.append((b, e, iri, s.index))

    # 2c. groups as the subject of a duty ("All countries should", "Enterprises must"), named by a
    # plural noun phrase whose head is that of a known stakeholder group
    heads = vocab.group_heads
    for s in seg.sentences:
        toks = tokens(s.text)
        # (the modal pattern is case-sensitive: its words appear as written wherever it matches)
        ends = [m.start() for m in _MODAL_AFTER.finditer(s.text)] if any(w in s.text for w in _MODAL_CUES) else []
        for m in (_THAT_CLAUSE.finditer(s.text) if _may_match(s.text, ("that",)) else ()):
            after = [t for t in toks if t[0] >= m.end()][:5]
            k = next((i for i, t in enumerate(after) if t[2].lower() in heads), None)
            if k is not None and not any(t[2].lower() in _FUNCTION_WORDS for t in after[:k]):
                ends.append(after[k][1])
        for end in ends:
            before = [t for t in toks if t[1] <= end]
            if not before or before[-1][1] != end or before[-1][2].lower() not in heads:
                continue
            words = []
            for t in reversed(before):
                gap = s.text[t[1]:(words[0][0] if words else end)]
                if gap.strip() or t[2].lower() in _FUNCTION_WORDS or not t[2].replace("-", "").isalpha() or len(words) == 4:
                    break
                words.insert(0, t)
            rest = before[:len(before) - len(words)]
            if rest and rest[-1][2].lower() in _FUNCTION_WORDS - {"that"} and not s.text[rest[-1][1]:words[0][0]].strip():
                continue  # "the role of countries should": the group is inside a modifier
            if not words:
                continue
            phrase = s.text[words[0][0]:words[-1][1]]
            if any(he == len(phrase) for _, he, _ in res.local.find(phrase)):
                continue  # "developing countries", "All parties": the gazetteer names it
            while words and words[0][2].lower() in _GROUP_DETERMINERS | {"each", "every"}:
                words.pop(0)
            if not words:
                continue
            b, e = s.begin + words[0][0], s.begin + words[-1][1]
            label = re.sub(r"\s+", " ", text[b:e])
            if words[0][0] == 0 and label[1:2].islower():
                label = label[0].lower() + label[1:]  # "Countries must …": capitalised only as the first word
            if any(he == len(label) for _, he, _ in res.local.find(label)):
                continue
            iri = res.lookup(label) or res.discover(label, "StakeholderGroup", match_elsewhere=len(words) > 1)
            spans.append((b, e, iri, s.index))

    # 3. gazetteer and registered names over every sentence
    taken: dict[int, list[tuple[int, int]]] = {}   # spans of the rules above, by sentence
    for tb, te, _, si in spans:
        taken.setdefault(si, []).append((tb, te))
    for s in seg.sentences:
        inside = taken.get(s.index, [])
        for b, e, iri in res.local.find(s.text):
            b, e = s.begin + b, s.begin + e
            if any(tb <= b and e <= te for tb, te in inside):
                continue
            actor = res.vocab.actors.get(iri) or res.actors.get(iri)
            if actor and actor.kind == "Country" and _LOCATION_BEFORE.search(text[max(0, b - 40):b]):
                continue
            if actor and actor.kind == "Country" and _CURRENCY_AFTER.match(text, e):
                continue   # "26.7 trillion US dollars": a currency, not the country acting
            if text.startswith(".", e) and "." in text[b:e]:
                e += 1   # "U.S.": a dotted abbreviation's last dot is its own (tokens hold no dots)
            spans.append((b, e, iri, s.index))

    # the conference the report is about: a forum named with an edition ordinal, else the first forum
    conference = None
    numbered = False   # named with its edition ("the 5th World Internet Conference")
    for b, e, iri, _ in sorted(spans):
        a = res.actors.get(iri) or res.vocab.actors.get(iri)
        if a and a.kind == "Forum":
            before = text[max(0, b - 14):b].split()
            if before and ordinal_value(before[-1]):
                conference, numbered = iri, True
                break
            conference = conference or iri

    # 4. pending "Body of the Conference" and bare "the Conference" references
    for x_text, whole, b, e, si in pending:
        if conference is None:
            continue
        label = f"{res.known(conference).label} {x_text}"
        iri = res.lookup(label) or res.discover(label, "GovernmentBody", conference)
        res.add_label(iri, whole)
        res.add_label(iri, x_text)
        spans.append((b, e, iri, si))
    if numbered:
        head_word = res.known(conference).label.split()[-1].lower()
        back_reference = re.compile(rf"\b[Tt]he\s+(?P<head>{re.escape(head_word)})\b(?!\s+(?:of|on|for)\b)")
    for s in seg.sentences:
        # (not a head that starts a name: "The Summit of the Future", "the Conference of the Parties")
        for m in re.finditer(r"\b[Tt]he\s+(?P<head>[A-Z][a-z]+)\b(?!\s+[A-Z(]|\s+(?:of|on|for)\s+(?:the\s+)?[A-Z])", s.text):
            head = m.group("head")
            if head not in HEADS:
                continue
            b, e = s.begin + m.start("head"), s.begin + m.end("head")
            if any(tb <= b < te for tb, te, _, _ in spans):
                continue
            target = None
            if head in {"Conference", "Summit", "Forum"} and conference:
                target = conference
            else:
                same = {iri for _, _, iri, _ in spans if (res.actors.get(iri) or res.vocab.actors[iri]).label.endswith(head)}
                target = same.pop() if len(same) == 1 else None
            if target:
                spans.append((b, e, target, s.index))
        # "The 6th World Internet Conference was held … The conference called on …": in lower case
        # too, the head of the numbered conference's own name refers back to it
        if numbered and head_word in s.text:
            for m in back_reference.finditer(s.text):
                b, e = s.begin + m.start("head"), s.begin + m.end("head")
                if not any(tb <= b < te for tb, te, _, _ in spans):
                    spans.append((b, e, conference, s.index))

    mentions: list[Mention] = []
    seen = set()
    for b, e, iri, si in sorted(spans):
        if (b, e, iri) in seen:
            continue
        seen.add((b, e, iri))
        res.known(iri) if iri in res.vocab.actors else None
        mentions.append(Mention("actor", iri, b, e, text[b:e], si))
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    # the actors mentioned, and the organisations they belong to (so org:subOrganizationOf resolves)
    keep = {m.target for m in mentions}
    todo = list(keep)
    while todo:
        parent = res.known(todo.pop()).parent
        if parent and parent not in keep and (parent in res.actors or parent in vocab.actors):
            keep.add(parent)
            todo.append(parent)
    actors = {k: res.known(k) for k in sorted(keep)}
    return ActorFinding(actors=actors, mentions=mentions, conference=conference, by_sentence=by_sentence)

