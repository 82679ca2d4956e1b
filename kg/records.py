"""Typed records passed between the pipeline stages (ingest → segment → extract → to RDF).

Every span is a pair of character offsets into `Document.text`, the decoded source text, so that
`text[begin:end]` gives back the span's text exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Label:
    """A label with its language tag (`"乌镇展望2018"@zh`)."""

    text: str
    lang: str


@dataclass
class Document:
    """One source file, decoded. `text` is kept exactly as read (newlines and all)."""

    path: str                 # path as given, for messages
    file_name: str
    slug: str                 # readable, unique key of the report within a build
    sha256: str
    encoding: str
    text: str
    title: str
    title_labels: list[Label]   # the title in each language it is given in, one per language
    title_derived: bool
    year: int | None
    language: str
    # further title lines (a subtitle, a repeated or longer form): dcterms:alternative, so each
    # report keeps one title per language and a listing joined on titles has one row per report
    alternative_titles: list[Label] = field(default_factory=list)
    also_read_from: list[str] = field(default_factory=list)  # other paths with the same bytes


@dataclass(frozen=True)
class Sentence:
    index: int                # 1-based, in document order
    begin: int
    end: int
    text: str
    paragraph: int            # index of its Paragraph
    section: int | None       # index of its Section, None before the first heading
    is_heading: bool = False


@dataclass(frozen=True)
class Paragraph:
    index: int
    begin: int
    end: int
    section: int | None
    number: str | None = None       # "12" for a numbered paragraph ("12. We will ...")
    is_heading: bool = False
    is_list_item: bool = False
    is_title: bool = False


@dataclass(frozen=True)
class Section:
    index: int
    number: str | None        # "1", "IV"; None for an unnumbered heading
    heading: str
    begin: int                # start of the heading
    end: int                  # end of the section's last paragraph


@dataclass
class Segmented:
    """A document cut into sections, paragraphs and sentences."""

    document: Document
    sections: list[Section]
    paragraphs: list[Paragraph]
    sentences: list[Sentence]


@dataclass(frozen=True)
class Actor:
    """A real-world actor, one record per entity (gazetteer entry or discovered in the text)."""

    key: str                  # IRI of the actor
    label: str                # preferred label
    kind: str                 # local name of its kg class: Forum, Company, ...
    alt_labels: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    discovered: bool = False
    parent: str | None = None  # key of the organisation it is part of ("X of the Y")
    iso_code: str | None = None


@dataclass(frozen=True)
class Mention:
    """A span naming an actor or a topic; `target` is the actor's or the concept's IRI."""

    kind: str                 # "actor" | "topic"
    target: str
    begin: int
    end: int
    text: str
    sentence: int


@dataclass
class Commitment:
    """An Institutional Grammar statement: agent(s), deontic, aims, object, condition."""

    sentence: int
    begin: int
    end: int
    text: str
    modality: str             # as written: "should", "look forward to"
    deontic: str              # Obligation | Recommendation | Pledge | Aspiration
    agents: list[str]         # actor IRIs; empty for an agentless imperative
    agent_text: str | None    # "We", "They", "the international community"
    aims: list[str]
    object: str | None = None
    purpose: str | None = None
    condition: str | None = None
    topics: list[str] = field(default_factory=list)


@dataclass
class Statistic:
    sentence: int
    begin: int
    end: int
    text: str                 # the number as written: "$12.9 trillion"
    value: str                # plain decimal: "12900000000000", "54.4"
    unit: str                 # percent | USD | count | ...
    qualifier: str | None = None   # as written: "about", "over"
    bound: str | None = None       # Approximate | LowerBound | UpperBound
    measures: str | None = None
    period: str | None = None
    topics: list[str] = field(default_factory=list)


@dataclass
class Event:
    key: str                  # IRI
    kind: str                 # ConferenceEdition | Founding
    label: str
    sentence: int
    begin: int
    end: int
    text: str
    place: list[str] = field(default_factory=list)   # innermost first: Wuzhen, Zhejiang Province, China
    start: str | None = None  # ISO date; "2014-11" or "2014" when the report gives no day
    end_date: str | None = None
    edition: int | None = None
    theme: str | None = None
    participants: int | None = None
    countries: int | None = None
    organiser: str | None = None      # actor IRI (the conference series)
    founded: str | None = None        # actor IRI
    initiators: list[str] = field(default_factory=list)
    extra_sentences: list[int] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything extracted from one document."""

    segmented: Segmented
    author: str | None                     # actor IRI "We" resolves to
    actors: dict[str, Actor]               # IRI -> actor, every actor mentioned
    mentions: list[Mention]
    commitments: list[Commitment]
    statistics: list[Statistic]
    events: list[Event]
