"""Vocabulary the extractor loads from `ontology/`: the actor gazetteer and the topic scheme.

Adding an actor or a topic is a change to `ontology/actors.ttl` or `ontology/topics.ttl`, never
to code. `PhraseMatcher` finds their labels in text: a token-level longest match, case-sensitive
for labels with a capital letter and for acronyms, case-insensitive for all-lower-case labels
(stakeholder groups, topics), with simple plural forms of lower-case labels.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import compress
from operator import or_
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from .errors import KgError
from .records import Actor
from .vocab import KG

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"

ACTOR_CLASSES = {
    KG.InternationalOrganisation: "InternationalOrganisation",
    KG.Forum: "Forum",
    KG.Company: "Company",
    KG.GovernmentBody: "GovernmentBody",
    KG.Country: "Country",
    KG.StakeholderGroup: "StakeholderGroup",
    KG.Signatories: "Signatories",
}

# Tokens: letters/digits, joined by inner hyphens, slashes and ampersands ("e-commerce",
# "virtual/augmented", "R&D"). Apostrophes split ("community's" → "community", "s").
TOKEN = re.compile(r"[^\W_]+(?:[-/&][^\W_]+)*")


def tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """(begin, end, token) for every token of `text`."""
    return _tokenised(text)[0]


@lru_cache(maxsize=1024)
def _tokenised(text: str) -> tuple[tuple[tuple[int, int, str], ...], tuple[str, ...], tuple[str, ...]]:
    """The tokens of `text`, their words and their lower-cased words. Cached: each sentence is
    read by several stages (acronyms, names, groups, the actor and topic matchers), and
    tokenising it again each time took a fifth of extraction's time."""
    toks = tuple((m.start(), m.end(), m.group(0)) for m in TOKEN.finditer(text))
    words = tuple(t for _, _, t in toks)
    return toks, words, tuple(w.lower() for w in words)


def _plurals(phrase: str, singulars: bool = True) -> list[str]:
    """Other number forms of a lower-case phrase's last word: its plural, and (with `singulars`)
    the singular of a plural."""
    head, _, last = phrase.rpartition(" ")
    pre = head + " " if head else ""
    if re.search(r"[^aeiou]y$", last):
        forms = [last[:-1] + "ies"]
    elif re.search(r"(s|x|ch|sh)$", last):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    if last.endswith("ies") and singulars:
        forms.append(last[:-3] + "y")
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3 and singulars:
        forms.append(last[:-1])
    return [pre + f for f in forms]


@dataclass
class PhraseMatcher:
    """Longest-match lookup of phrases over tokens. `add` a phrase with the value it stands for."""

    exact: dict[tuple[str, ...], str] = field(default_factory=dict)
    folded: dict[tuple[str, ...], str] = field(default_factory=dict)
    # longest phrase beginning with each first token: a position is tried only at lengths some
    # phrase could have there (about half of extraction's time went to lookups that could not hit)
    exact_reach: dict[str, int] = field(default_factory=dict)
    folded_reach: dict[str, int] = field(default_factory=dict)

    def copy(self) -> "PhraseMatcher":
        """An independent matcher with the same phrases, to which a document can add its own."""
        return PhraseMatcher(dict(self.exact), dict(self.folded), dict(self.exact_reach), dict(self.folded_reach))

    def _index(self, key: tuple[str, ...], value: str, table: dict, reach: dict) -> None:
        table.setdefault(key, value)
        reach[key[0]] = max(reach.get(key[0], 0), len(key))

    def add(self, phrase: str, value: str, case_sensitive: bool | None = None, plurals: bool = True,
            singulars: bool = True) -> None:
        phrase = re.sub(r"^(?:the|The)\s+", "", phrase.strip())
        toks = tuple(t for _, _, t in tokens(phrase))
        if not toks:
            return
        if case_sensitive is None:
            case_sensitive = phrase != phrase.lower()
        if case_sensitive:
            self._index(toks, value, self.exact, self.exact_reach)
        else:
            self._index(tuple(t.lower() for t in toks), value, self.folded, self.folded_reach)
            if plurals:
                for form in _plurals(phrase.lower(), singulars):
                    ptoks = tuple(t for _, _, t in tokens(form))
                    if ptoks:
                        self._index(ptoks, value, self.folded, self.folded_reach)

    def find(self, text: str, toks: list[tuple[int, int, str]] | None = None) -> list[tuple[int, int, str]]:
        """Non-overlapping (begin, end, value) matches, longest first from left to right."""
        if toks is None:
            toks, words, lowered = _tokenised(text)
        else:
            words = tuple(t for _, _, t in toks)
            lowered = tuple(t.lower() for t in words)
        exact, folded, exact_reach, folded_reach = self.exact, self.folded, self.exact_reach, self.folded_reach
        count = len(toks)
        # most tokens begin no phrase: the few that may are picked out first, and only those are
        # tried (a loop over every token was the matcher's largest cost; map and compress keep
        # the picking out of Python's bytecode)
        starts = compress(range(count), map(or_, map(exact_reach.__contains__, words),
                                            map(folded_reach.__contains__, lowered)))
        out, after = [], 0
        for i in starts:
            if i < after:
                continue   # inside the previous match
            reach = exact_reach.get(words[i], 0)
            other = folded_reach.get(lowered[i], 0)
            if other > reach:
                reach = other
            if reach > count - i:
                reach = count - i
            for n in range(reach, 0, -1):
                value = exact.get(words[i:i + n])
                if value is None:
                    value = folded.get(lowered[i:i + n])
                if value is not None:
                    out.append((toks[i][0], toks[i + n - 1][1], value))
                    after = i + n
                    break
        return out


@dataclass(frozen=True)
class Concept:
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    broader: tuple[str, ...]


@dataclass
class Vocabulary:
    """The gazetteer and topic scheme, with matchers built over their labels."""

    actors: dict[str, Actor]
    concepts: dict[str, Concept]
    actor_matcher: PhraseMatcher
    topic_matcher: PhraseMatcher
    acronyms: dict[str, str]          # acronym → actor IRI
    actor_graph: Graph
    topic_graph: Graph

    @cached_property
    def group_heads(self) -> frozenset[str]:
        """Plural head nouns of the stakeholder groups ("countries", "enterprises", "organizations"):
        a noun phrase with such a head, standing as the subject of a duty, names a group."""
        heads = set()
        for a in self.actors.values():
            if a.kind == "StakeholderGroup":
                for label in (a.label, *a.alt_labels):
                    last = label.split()[-1].lower()
                    if last.endswith("s") and not last.endswith("ss") and last.isalpha():
                        heads.add(last)
        return frozenset(heads)

    def ancestors(self, iri: str) -> list[str]:
        """Broader concepts of `iri`, nearest first, without repeats."""
        out: list[str] = []
        todo = list(self.concepts[iri].broader) if iri in self.concepts else []
        while todo:
            b = todo.pop(0)
            if b not in out:
                out.append(b)
                todo.extend(self.concepts[b].broader if b in self.concepts else ())
        return out


def _parse(path: Path) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as e:  # rdflib raises many types for bad Turtle
        raise KgError(f"{path}: cannot parse the vocabulary ({e})") from e
    # rdflib lets an invalid IRI or language tag through (with a warning); Oxigraph's strict
    # parser does not. The report graphs are parsed leniently (kg.pipeline.process_document):
    # their IRIs and tags are these, fixed terms, or minted from slugs, so they are checked here.
    try:
        for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as e:
        raise KgError(f"{path}: invalid vocabulary: {str(e).splitlines()[0][:200]}") from e
    return g


def load_actors(path: Path) -> tuple[dict[str, Actor], Graph]:
    """Actors of the gazetteer, by IRI."""
    g = _parse(path)
    actors: dict[str, Actor] = {}
    for cls, kind in ACTOR_CLASSES.items():
        for s in g.subjects(RDF.type, cls):
            label = g.value(s, SKOS.prefLabel)
            if label is None:
                raise KgError(f"{path}: actor {s} has no skos:prefLabel")
            actors[str(s)] = Actor(
                key=str(s), label=str(label), kind=kind,
                alt_labels=tuple(sorted(str(o) for o in g.objects(s, SKOS.altLabel))),
                acronyms=tuple(sorted(str(o) for o in g.objects(s, KG.acronym))),
                iso_code=str(g.value(s, KG.isoCode)) if g.value(s, KG.isoCode) else None,
                parent=str(g.value(s, ORG.subOrganizationOf)) if g.value(s, ORG.subOrganizationOf) else None,
            )
    return actors, g


def load_topics(path: Path) -> tuple[dict[str, Concept], Graph]:
    """Concepts of the topic scheme, by IRI."""
    g = _parse(path)
    concepts: dict[str, Concept] = {}
    for s in g.subjects(RDF.type, SKOS.Concept):
        label = g.value(s, SKOS.prefLabel)
        if label is None:
            raise KgError(f"{path}: concept {s} has no skos:prefLabel")
        alts = sorted({str(o) for o in g.objects(s, SKOS.altLabel)} | {str(o) for o in g.objects(s, KG.acronym)})
        concepts[str(s)] = Concept(str(s), str(label), tuple(alts),
                                   tuple(sorted(str(o) for o in g.objects(s, SKOS.broader))))
    return concepts, g


@lru_cache(maxsize=4)
def load_vocabulary(ontology_dir: Path = ONTOLOGY_DIR) -> Vocabulary:
    """Load `actors.ttl` and `topics.ttl` and build their matchers (cached per folder)."""
    actors, actor_graph = load_actors(ontology_dir / "actors.ttl")
    concepts, topic_graph = load_topics(ontology_dir / "topics.ttl")
    am = PhraseMatcher()
    acronyms: dict[str, str] = {}
    for iri in sorted(actors):
        a = actors[iri]
        for name in (a.label, *a.alt_labels):
            # a group named by one plural word is not named by its singular: "user data",
            # "party officials" are no mention of users or parties
            am.add(name, iri, singulars=" " in name.strip())
        for acr in a.acronyms:
            am.add(acr, iri, case_sensitive=True)
            acronyms.setdefault(acr, iri)
    tm = PhraseMatcher()
    for iri in sorted(concepts):
        c = concepts[iri]
        top = not c.broader
        if top:
            continue  # top concepts name areas, not topics a sentence discusses
        tm.add(c.label, iri, case_sensitive=False)
        for alt in c.alt_labels:
            acronym = alt.isupper() or bool(re.fullmatch(r"[A-Z0-9][A-Za-z0-9]*[A-Z0-9]s?", alt)) and alt != alt.capitalize()
            tm.add(alt, iri, case_sensitive=True if acronym else False, plurals=not acronym)
    return Vocabulary(actors, concepts, am, tm, acronyms, actor_graph, topic_graph)
