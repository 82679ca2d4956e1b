"""Commitments, modelled on the Institutional Grammar (ADICO).

A commitment needs a deontic marker and an agent the rules can recover:
- "X should/must/shall/need to/ought to …" with X an actor (or "We", "They", "It" resolved), or
  "X are encouraged/called upon/invited to …";
- "We will/commit to/are committed to/resolve to/decide to …" (a pledge by the authors); "will"
  after any other subject is a forecast and is not counted;
- "Let us …" opening a sentence: the authors' recommendation to themselves;
- "We hope that X will …", "We look forward to X's efforts …": X is the agent;
- "There is a need for X to …", "It is recommended that X …": X is the agent;
- "We call on/urge/invite X to …" (or a named caller, or "called on"): X is the agent;
- a resolution's operative paragraphs, the subject left out after "The General Assembly,":
  "Urges all governments to …" asks the governments, "Decides to …" is the body's own pledge;
- agentless imperatives: "it is imperative/essential/necessary to …", "it is our duty to …";
- declaration form: a sentence ending "… will:" / "hereby decide to:" / "affirm our willingness to …
  to:" makes each following list item a commitment of the same agent.
A subject that is not an actor ("That should propel…", "the booming digital economy should…") makes
"should" epistemic, and nothing is extracted. One sentence with one agent and several coordinated
actions is one commitment with several aims.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Actor, Commitment, Mention, Segmented, Sentence
from .actors import DIRECTIVE_CUES, GENERIC, HEADS, ActorFinding, is_action_after_to, lowered_alike

ADVERBS = {"also", "further", "jointly", "therefore", "thus", "collectively", "all", "together",
           "now", "hereby", "firmly", "strongly", "fully", "still", "each", "both", "then", "hence",
           "only", "indeed", "really", "urgently", "always", "continuously", "actively", "vigorously",
           "increasingly", "equally", "likewise", "consequently", "accordingly", "individually",
           "in", "turn", "closely", "again"}
MEMBER_NOUNS = {"members", "member", "leaders", "countries", "economies", "states", "partners",
                "representatives", "delegates", "governments", "ministers", "parties"}
FIRST_PERSON = {"we", "i"}
THIRD_PLURAL = {"they"}
CONJUNCTIONS = {"and", "or", "but"}
# What ends the reach of a clause's subject: "We note that X … and will" is X's verb, not ours.
_CLAUSE_BREAK = re.compile(r"\b(?:that|which|who|whom|whose|where|when|while|whereas|if|because|although|unless)\b|[;:]", re.I)

# Base-form verbs that begin a coordinated aim ("adapt…, promote…, foster…").
VERBS = set("""
accelerate achieve adapt address adhere adopt advance advocate align alleviate allocate allow
apply assess assist attain avoid balance benefit bolster boost bridge build bring broaden
capitalize capitalise carry catalyze catalyse champion close collaborate combat commit complete
conduct consider consolidate contribute cooperate coordinate counter crack create cultivate curb
cushion deepen defend deliver deploy design develop devote digitalize direct discuss drive
eliminate embrace employ empower enable encourage end engage enhance enlarge ensure establish
evaluate examine expand explore extend facilitate finalize finalise finance focus follow forge
formulate fortify foster fulfil fulfill fund generate give grow guarantee guide harmonize
harmonise harness help identify implement improve include increase inform integrate intensify
introduce invest involve join keep launch lay lead leverage let lift look maintain make manage
maximize maximise meet minimize minimise mitigate mobilize mobilise modernize modernise monitor
narrow nurture offer open optimize optimise oppose pave play pool prepare preserve prevent
prioritize prioritise produce progress promote protect provide pursue put raise reach recognize
recognise recommit reduce refrain reform regulate reinforce remain remove render renew respect
respond restore resume review revitalize revitalise safeguard scale secure seek seize set shape
share shoulder show speed stabilize stabilise stand step stimulate stop strengthen strive support
sustain tackle take target think transform uphold upgrade use utilize utilise value welcome work
fight pay attach attract handle innovate participate reject accept collect comply connect educate
observe ratify restrict simplify streamline widen unleash popularize popularise spur unlock punish
prosecute investigate detect sanction criminalise criminalize negotiate conclude
""".split())

_FINAL_PUNCT = re.compile(r"[\s.;:!?]+$")
_CONDITION = re.compile(r"\b(?:in accordance with|in line with|consistent with|in compliance with|subject to|"
                        r"where appropriate|as appropriate|in conformity with|while respecting|while|"
                        r"taking into account)\b[^,;.]*")
_PURPOSE = re.compile(r"\b(?:in order to|so as to|with a view to|to)\s+(?P<verb>[a-z]+)\b")


@dataclass(frozen=True)
class _Marker:
    begin: int
    end: int
    text: str
    deontic: str
    mode: str        # subject | will | hope | lookforward | addressee | need | that | letus | none | possessive


_PATTERNS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"\b(?:it\s+is|it's|it’s)\s+(?P<poss>our|their|its|a|the)\s+(?:common\s+|shared\s+)?(?:duty|responsibility|obligation)\s+to\b", re.I), "Obligation", "possessive"),
    (re.compile(r"\b(?:it\s+is|it's|it’s)\s+(?:therefore\s+|thus\s+|also\s+|now\s+)?(?P<adj>imperative|essential|necessary|vital|crucial|indispensable|critical|incumbent\s+on\s+\w+)\s+(?:for\s+(?P<for>[^,;]+?)\s+)?to\b", re.I), "Obligation", "none"),
    (re.compile(r"\b(?:it\s+is|it's|it’s)\s+(?:therefore\s+|thus\s+|also\s+|now\s+)?(?:imperative|essential|necessary|vital|crucial|indispensable|critical)\s+that\b", re.I), "Obligation", "that"),
    (re.compile(r"\b(?:propose|proposes|suggest|suggests|advocate|advocates|recommend|recommends)\s+that\b|"
                r"\bit\s+is\s+(?:\w+\s+)?(?:recommended|suggested|proposed|advised)\s+that\b", re.I), "Recommendation", "that"),
    (re.compile(r"\bhope[sd]?\s+(?:that\s+)?", re.I), "Aspiration", "hope"),
    (re.compile(r"\blooks?\s+forward\s+to\b", re.I), "Aspiration", "lookforward"),
    # "Member States are encouraged to …", "All stakeholders are called upon to …": the subject is asked
    (re.compile(r"\b(?:is|are)\s+(?:hereby\s+|also\s+|further\s+|strongly\s+)*(?:called\s+(?:up)?on|urged|encouraged|invited|requested|asked)\s+to\b", re.I), "Recommendation", "subject"),
    (re.compile(r"\b(?:call(?:s|ed)?\s+(?:on|upon)(?!\s+to\b)|urges?|invites?|encourages?|asks?|requests?)\b(?=\s+(?:all\s+|the\s+)?[\w'’ ,/()&.-]+?\s+to\s)", re.I), "Recommendation", "addressee"),
    # "There is an urgent need for governments to invest …": the actor after "for" is to act
    (re.compile(r"\bneed\s+for\b(?=\s+(?:all\s+|the\s+)?[\w'’ ,/()&.-]+?\s+to\s)", re.I), "Recommendation", "need"),
    (re.compile(r"\b(?:must|shall|have\s+to|has\s+to|(?:have|has)\s+an?\s+(?:duty|obligation|responsibility)\s+to)\b", re.I), "Obligation", "subject"),
    (re.compile(r"\b(?:should|ought\s+to|need\s+to|needs\s+to)\b", re.I), "Recommendation", "subject"),
    (re.compile(r"\b(?:will|commit\s+to|commits\s+to|(?:are|is|remain|remains|stay)\s+(?:firmly\s+|fully\s+|strongly\s+)?committed\s+to|"
                r"(?:reaffirm|reiterate|renew)\s+our\s+(?:\w+\s+)?commitments?\s+to|pledge[sd]?\s+to|resolve[sd]?\s+to|decide[sd]?\s+to|"
                r"agree[sd]?\s+to|undertake\s+to|undertook\s+to|affirm\s+our\s+willingness\s+to|(?:are|is|remain|remains|stand|stands)\s+(?:\w+\s+)?(?:ready|willing|determined|resolved)\s+to)\b", re.I), "Pledge", "will"),
    # (not "as called for in Resolution 69/292", "was called for": nobody calls there)
    (re.compile(r"(?<!\bas\s)(?<!\bis\s)(?<!\bbe\s)(?<!\bwas\s)(?<!\bare\s)(?<!\bwere\s)(?<!\bbeen\s)\bcall(?:s|ed)?\s+for\b", re.I),
     "Recommendation", "will"),
    # "Let us work together to …" opening a sentence: the authors' exhortation to themselves
    (re.compile(r"\blet\s+us\b", re.I), "Recommendation", "letus"),
]


# Words one of which every match of the pattern of the same rank contains (lower-case): a
# sentence without any is not searched with it. Most sentences hold one or two kinds of marker,
# and a substring test costs a fraction of a regex scan that starts at every word boundary.
_CUES: list[tuple[str, ...]] = [
    ("duty", "responsibility", "obligation"),
    ("imperative", "essential", "necessary", "vital", "crucial", "indispensable", "critical", "incumbent"),
    ("imperative", "essential", "necessary", "vital", "crucial", "indispensable", "critical"),
    ("propose", "suggest", "advocate", "recommend", "advised"),
    ("hope",),
    ("forward",),
    ("called", "urged", "encouraged", "invited", "requested", "asked"),
    DIRECTIVE_CUES,
    ("need",),
    ("must", "shall", "have", "has"),
    ("should", "ought", "need"),
    ("will", "commit", "pledge", "resolve", "decide", "agree", "undert", "willingness", "ready", "willing",
     "determined"),
    ("call",),
    ("let",),
]
assert len(_CUES) == len(_PATTERNS)

# The same patterns without re.IGNORECASE, for text lowered first (kg.extract.actors.lowered_alike):
# there they find exactly what the case-insensitive ones find (the patterns' literals are
# lower-case), about twice as fast.
_PATTERNS_LOWER = [(re.compile(p.pattern, p.flags & ~re.IGNORECASE), deontic, mode) for p, deontic, mode in _PATTERNS]


def _markers(text: str) -> list[_Marker]:
    found: list[_Marker] = []
    lowered = lowered_alike(text)
    if lowered is not None:
        # (where lower() keeps the letters aligned: ASCII text, and most other text, "’" and "–"
        # included; a cue is then found wherever a pattern matches. Map over the bound method: a
        # generator's frame per cue cost more than the tests)
        haystack, contains = lowered, lowered.__contains__
        patterns = [p for p, cues in zip(_PATTERNS_LOWER, _CUES) if any(map(contains, cues))]
    else:
        haystack, patterns = text, _PATTERNS
    for pattern, deontic, mode in patterns:
        for m in pattern.finditer(haystack):
            if any(f.begin <= m.start() < f.end or m.start() <= f.begin < m.end() for f in found):
                continue
            found.append(_Marker(m.start(), m.end(), text[m.start():m.end()].strip(), deontic, mode))
    return sorted(found, key=lambda f: f.begin)


def _normal_modality(marker_text: str) -> str:
    t = re.sub(r"\s+", " ", marker_text.lower()).strip()
    t = re.sub(r"^(?:it is|it's|it’s) (?:therefore |thus |also |now )?", "it is ", t)
    return t


# Markdown emphasis around words of an aim ("**expand** access"): aims are normalised text, not spans.
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")


def _strip_adverbs(pre: str) -> str:
    """`pre` without the adverbs that end it ("We, therefore, also" → "We")."""
    while True:
        # only the tail is read: a search anchored at the end still scans from the start
        base = max(0, len(pre) - 80)
        m = re.search(r"(?:,\s*)?\b(\w+)\s*,?\s*$", pre[base:])
        if m and m.group(1).lower() in ADVERBS:
            pre = pre[:base + m.start()]
            continue
        return pre.rstrip()


# The verbs of a resolution's operative paragraphs ("Decides to …", "Further urges all governments
# to …"): in the third person and opening the sentence, their subject is the body that speaks,
# named once at the top ("The General Assembly,") and left out after.
OPERATIVE_VERBS = {"decides", "resolves", "agrees", "commits", "pledges", "remains", "calls", "urges", "requests",
                   "encourages", "invites", "asks"}


# "The Council calls on …": a body the text names by its head noun alone, which is no known actor
# but speaks all the same
_BODY_REFERENCE = re.compile(r"\b[Tt]he\s+(?:[A-Z][\w-]*\s+)*(?:%s)$" % "|".join(sorted(HEADS | GENERIC)))


def _is_own_government(m: Mention, sentence: Sentence, finding: ActorFinding, actors: dict[str, Actor]) -> bool:
    """Whether the mention is "the Government" (singular, capitalised) in a paper a country authored."""
    return bool(finding.author and actors[finding.author].kind == "Country" and m.text == "Government"
                and re.search(r"\b[Tt]he\s+$", sentence.text[:m.begin - sentence.begin]))


def _elided_speaker(pre: str, marker: str) -> bool:
    """Whether the marker opens an operative paragraph: nothing but adverbs before it (`pre`, as
    `_strip_adverbs` left it) and its first word an operative verb in the third person."""
    return not pre and marker.split(None, 1)[0].lower() in OPERATIVE_VERBS


# "should have acted", "must have been": a modal's perfect speaks of the past ("should have national
# strategies" is a duty to have them)
_PARTICIPLE = (r"(?:\w+ed|been|done|taken|made|given|seen|known|shown|gone|begun|become|brought|built|met|paid|sent|"
               r"spent|won|held|led|kept|left|put|set|understood|chosen|drawn|written|broken|grown)")
_PAST_COUNTERFACTUAL = re.compile(rf"\s+(?:not\s+)?have\s+(?:\w+ly\s+)?{_PARTICIPLE}\b", re.I)
# "must be protected (from …)", "should be strengthened": the subject is acted on ("should be
# committed to", "be encouraged to" and the participles of readiness keep it as the one to act)
_PASSIVE = re.compile(rf"\s+(?:not\s+)?(?:\w+ly\s+)?be\s+(?:\w+ly\s+)?(?P<participle>{_PARTICIPLE})\b(?!\s+to\b)", re.I)
_AGENTIVE_PARTICIPLES = {"engaged", "involved", "prepared", "committed", "dedicated", "determined", "concerned",
                         "interested", "united", "aligned", "informed", "guided", "focused", "focussed"}
# a clause opened by "if"/"unless"/"whether" and not closed before the marker: its condition
_IN_CONDITION = re.compile(r"\b(?:[Ii]f|[Uu]nless|[Ww]hether)\b[^,;:()]*$")


# what links a commitment to the next one of its sentence: ", and", " while", " but" …
_TRAILING_LINK = re.compile(r"(?:[\s,;]+|\s+(?:and|or|but|as well as|while|whereas))+$")


# A short phrase after the subject's head: "Governments at all levels should", "companies in China must".
_POST_MODIFIER = re.compile(r"\s+(?:(?:at|in|of|from|across|around|within|throughout)\s+(?:[\w-]+\s+){0,2}[\w-]+|worldwide|globally|alike)\s*")
# verbs that say what is to be expected after "should" (epistemic), not what someone is to do
_EXPECTATION = re.compile(r"\s+(?:also\s+|then\s+|soon\s+|eventually\s+)?(?:see|lead\s+to|result\s+in|mean|yield|prove|"
                          r"experience|witness|suffer)\b", re.I)
_SHARED_OBJECT_VERB = re.compile(r"^(?:and|or|nor)\s+(?:\w+ly\s+)?(\w+)\s+(?=\w)")
_LAST_WORD = re.compile(r"(\w+)\W*$")
_MODAL_WORD = re.compile(r"\b(?:should|must|will|shall)\b")
_BARE_VERB = re.compile(r"(?:\w+ly\s+)?(\w+)")
_INFINITIVE_AT_END = re.compile(r"\bto\s+(?:\w+ly\s+)?(\w+)$")
_NEXT_WORD = re.compile(r"(to\s+)?(?:\w+ly\s+)?(\w+)")
_TO = re.compile(r"\bto\b")
_CONJUNCTION = re.compile(r"\b(?:and|as well as)\b")
_AND_TO = re.compile(r"\b(?:and|as well as)\s+to\s")


def _repeats_infinitive(predicate: str, aim_start: int, separator: re.Match) -> bool:
    """Whether the "to" after `separator` starts another action of the same infinitive: after "and"
    ("adopt Y and to reduce Z"), or after a comma in a series that "and to" closes ("build X, to
    strengthen Y and to support Z"); not after a lone comma ("take actions, to address Y": a
    purpose), nor where the aim so far holds a "to" it may repeat ("access to information and to
    support services": a preposition)."""
    if _TO.search(predicate, aim_start, separator.start()):
        return False
    return bool(_CONJUNCTION.search(separator.group(0)) or _AND_TO.search(predicate, separator.end()))


# a bracketed acronym or short aside: "X (GFCE)", "X (the Forum)"
_BRACKETED = re.compile(r"\s*[(（][^()（）]{1,40}[)）]")
# verbs whose action is the infinitive after them: "continue to deepen X", "strive to achieve Y"
_CATENATIVE = {"continue", "strive", "seek", "endeavour", "endeavor", "try", "aim", "intend", "plan"}
_MEMBER_NOUN_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(MEMBER_NOUNS)) + r")\b", re.I)
_DETERMINERS = {"a", "an", "the", "our", "its", "their", "this", "these", "those", "his", "her"}
# ("We, the Ministers …, hereby commit": its closing comma went with the adverb after it)
_APPOSITIVE_AFTER_WE = re.compile(r"(?<=\b[Ww]e)\s*,[^,;:]{1,120},?\s*$")
_ASIDE_AT_END = re.compile(_BRACKETED.pattern + "$")   # one that ends a subject
# A mention after a preposition is inside a modifier, not the subject: "The role of governments should …".
_PREPOSITION_BEFORE = re.compile(r"\b(?:of|among|amongst|between|for|with|by|from|to|on|about|against|through|into|towards|toward|like|including|than)\s+$", re.I)


# What may stand between two coordinated actors: "X, Y and the Z", "X and other Y", "X and individual Y".
_COORDINATION = re.compile(r"\s*(?:,|,?\s*and|,?\s*as well as|,?\s*or|,?\s*together with)\s*(?:(?:the|all|other|relevant)\s+)*(?:[a-z][\w-]*\s+)?")


def _is_verb(gap: str) -> bool:
    """True when the word before a coordinated actor is a verb ("…, and work with Y"): Y is then its object."""
    words = re.findall(r"[a-z][\w-]*", gap)
    return bool(words) and words[-1] not in {"and", "or", "as", "well", "together", "with", "the", "all", "other", "relevant"} \
        and (words[-1] in VERBS or words[-1].endswith(("ing", "ed")))


def _subject_mentions(sentence: Sentence, pre_end: int, mentions: list[Mention], actors: dict[str, Actor]) -> list[Mention]:
    """Actor mentions that end where the subject ends (coordinated: "X, Y and Z")."""
    text = sentence.text
    pre = _strip_adverbs(text[:pre_end])
    words = pre.split()
    # "G20 members should": the members speak for the named body; but "Governments should" is
    # itself an actor, so the noun is dropped only when no mention ends with it
    if len(words) > 1 and words[-1].lower() in MEMBER_NOUNS and not any(
            m.end - sentence.begin == len(pre) for m in mentions):
        pre = pre[: len(pre) - len(words[-1])].rstrip()
    # "The Global Forum on Cyber Expertise (GFCE) should": a bracketed acronym or aside after the
    # subject is not where it ends (the name before the bracket is the subject)
    aside = _ASIDE_AT_END.search(pre)
    if aside:
        pre = pre[:aside.start()]
    end = len(pre)
    ms = sorted((m for m in mentions if m.end - sentence.begin <= end), key=lambda m: m.end)
    chosen: list[Mention] = []
    for m in reversed(ms):
        rel_end = m.end - sentence.begin
        gap = pre[rel_end:end]
        if not chosen:
            if gap.strip(" '’s*_") and not _POST_MODIFIER.fullmatch(gap):
                break
        elif not _COORDINATION.fullmatch(gap) or _is_verb(gap):
            break
        chosen.insert(0, m)
        end = m.begin - sentence.begin
        # "the international community" / "the whole international community"
        lead = re.search(r"(?:\b(?:the|The|all|All|whole|entire|our|Our)\s+)+$", pre[:end])
        if lead:
            end = lead.start()
    # "Together with the UN, governments should": the UN is the preposition's; "The role of governments
    # should": no actor is the subject at all
    while chosen and _PREPOSITION_BEFORE.search(text[:end]):
        if len(chosen) > 1 and re.fullmatch(r"\s*,\s*(?:the\s+)?", text[chosen[0].end - sentence.begin:chosen[1].begin - sentence.begin]):
            chosen.pop(0)
            end = chosen[0].begin - sentence.begin
            continue
        return []
    return chosen


def _coordinated_subject(pre: str) -> re.Match | None:
    """For "We welcome X and will continue …", the first-person subject whose second verb follows
    `pre`; None when a subordinate clause or a semicolon stands between (its verb has another subject)."""
    last = None
    for last in re.finditer(r"\b(?:we|We)\b", pre):
        pass
    if last is None or _CLAUSE_BREAK.search(pre[last.end():]):
        return None
    return last


def _antecedent(seg: Segmented, sentence: Sentence, finding: ActorFinding, actors: dict[str, Actor]) -> list[Mention]:
    """For "They": the plural actor nearest before, in this or the two previous sentences."""
    for back in range(0, 3):
        idx = sentence.index - back
        cands = [m for m in finding.by_sentence.get(idx, []) if back or m.end <= sentence.begin]
        if back == 0:
            continue
        plural = [m for m in cands if actors[m.target].kind in {"StakeholderGroup", "Country"} or m.text.endswith("s")]
        if plural:
            return [plural[0]]
    return []


_OBJECT_PREPOSITION = re.compile(r"^(?:to|on|into|towards|toward|with|against|in(?!\s+(?:accordance|line|order|particular|addition|turn|time)\b))\s+(?=\w)")
# adverbs right after the verb: "work together to combat …", "cooperate closely with …"
# a manner adverb in -ly (not a noun in -ly: "supply", "family")
_LY_ADVERB = r"(?!(?:supply|family|assembly|rally|ally|anomaly|monopoly|reply|early)\b)[a-z]+ly"
_AFTER_VERB_ADVERBS = re.compile(rf"^(?:(?:together|more\s+closely|{_LY_ADVERB})\s+)+")
_TRAILING_LY = re.compile(rf"\s+{_LY_ADVERB}$")
_ONLY_ADVERBS = re.compile(r"(?:(?:together|jointly|closely|actively|collectively|further|more|now|again|\w+ly)\s*)+")
_BARE_LAST_CONJUNCT = re.compile(r"\w+(?:\s+(?:and|or)\s+\w+)?\s*$")
_PARTICLE = re.compile(r"^(?:up|out|down|off|forward|back)\s+(?=\w)")
_LEADING_ADVERB = re.compile(r"(" + "|".join(sorted((ADVERBS | {"not", "never", "neither"}) - VERBS)) + r"|[a-z]+ly)\s+(?=[a-z])")


# -ing forms that are prepositions, not actions: "…, including X", "regarding Y"
_PREPOSITIONAL_ING = {"including", "regarding", "concerning", "following", "considering", "according",
                      "excluding", "involving", "pending", "notwithstanding"}


def _last_word(text: str) -> str:
    m = _LAST_WORD.search(text, max(0, len(text) - 60))
    return m.group(1) if m else ""


def _gerund_of(word: str) -> str | None:
    """The verb of VERBS whose -ing form `word` is ("bridging" → "bridge", "narrowing" → "narrow",
    "stopping" → "stop"), else None."""
    if not word.endswith("ing") or len(word) < 6 or word in _PREPOSITIONAL_ING:
        return None
    stem = word[:-3]
    for verb in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None):
        if verb in VERBS:
            return verb
    return None


def _singular_antecedent(seg: Segmented, sentence: Sentence, finding: ActorFinding, actors: dict[str, Actor]) -> Mention | None:
    """For a sentence-initial "It": the organisation that is the subject of the previous sentence
    (its first words: "The ITU plays …"), else None."""
    previous = finding.by_sentence.get(sentence.index - 1, [])
    if not previous:
        return None
    first = min(previous, key=lambda m: m.begin)
    before = seg.document.text[seg.sentences[sentence.index - 2].begin:first.begin]
    if re.fullmatch(r"\s*(?:The\s+)?", before) and actors[first.target].kind in _SINGULAR_KINDS:
        return first
    return None


# the kinds of actor "It" can stand for (not a stakeholder group: "governments … They")
_SINGULAR_KINDS = {"InternationalOrganisation", "Forum", "Company", "GovernmentBody", "Country"}


def _split_aims(predicate: str) -> list[str]:
    """Cut a predicate into coordinated actions at ", verb", " and verb", ", and should verb"."""
    cuts = [0]
    depth = 0
    since = 0   # where the text after the last separator starts
    # gerunds are coordinated actions only after one: "accelerating X and bridging Y" (in "improve
    # networking and sharing", "sharing" is a noun)
    first = re.match(r"(?:to\s+)?(\w+)", predicate)
    gerunds = bool(first and _gerund_of(first.group(1)))
    # "our commitment to an open, secure and peaceful ICT environment": a noun phrase is cut only
    # where a modal starts a new action (", and will promote …"), not at a word that can be a verb
    noun_phrase = bool(first and first.group(1).lower() in _DETERMINERS)
    for m in re.finditer(r"[()]|,\s*(?:and\s+|as well as\s+|or\s+)?(?:(?:should|must|will|shall)\s+)?(?:further\s+|also\s+|more\s+closely\s+)?|\s+(?:and|as well as)\s+(?:(?:should|must|will|shall)\s+)?(?:further\s+|also\s+|more\s+closely\s+)?", predicate):
        if m.group(0) == "(":
            depth += 1
            continue
        if m.group(0) == ")":
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        segment, since = predicate[since:m.start()].strip(" ,"), m.end()
        modal = _MODAL_WORD.search(m.group(0))
        # "ensure that the Internet remains open, secure and reliable": a last conjunct of bare words
        # is a list of adjectives, not an action (an action has an object)
        if _BARE_LAST_CONJUNCT.match(predicate, m.end()):
            continue
        if noun_phrase and not modal:
            continue
        # "protect and promote human rights", "respect, protect and preserve X": a verb alone before
        # the separator has no object of its own, it shares the next one's
        # (so does an infinitive ending the text before it: "strengthen collaboration to adopt and implement X")
        bare = _BARE_VERB.fullmatch(segment) or _INFINITIVE_AT_END.search(segment, max(0, len(segment) - 40))
        if bare and (bare.group(1) in VERBS or _gerund_of(bare.group(1))) and not modal:
            continue
        # "to" repeats the infinitive or gerund: "commit to accelerating X and to bridging Y", "call
        # on X to adopt Y and to reduce Z", "to build X, to strengthen Y and to support Z"
        # (and an adverb before the verb stays in the aim: ", and effectively prevent …")
        nxt = _NEXT_WORD.match(predicate, m.end())
        # a gerund right after another ("achieving and sustaining X") shares its object: no cut
        if nxt and ((nxt.group(2) in VERBS and (not nxt.group(1) or _repeats_infinitive(predicate, cuts[-1], m)))
                    or (gerunds and _gerund_of(nxt.group(2)) and not _gerund_of(_last_word(predicate[:m.start()])))):
            cuts.append(m.start())
            cuts.append(m.end() + len(nxt.group(1) or ""))
    aims = []
    starts = [0] + cuts[2::2]
    ends = cuts[1::2] + [len(predicate)]
    for b, e in zip(starts, ends):
        aim = predicate[b:e].strip(" ,;")
        if aim:
            aims.append(_EMPHASIS.sub(r"\2", re.sub(r"\s+", " ", aim)))
    return aims


def _object_purpose(aim: str, action: bool = True) -> tuple[str | None, str | None]:
    """What an aim acts on, and what for: "build capacity to counter threats" → ("capacity",
    "counter threats"). `action` is false for the noun phrases that follow "look forward to" and
    "call for", whose first word is not a verb to skip over adverbs for."""
    # "jointly build a community": the object follows the verb, not the adverb before it
    # (only before a known verb: "supply data", "apply rules" start with their verb)
    while action and (lead := _LEADING_ADVERB.match(aim)) and lead.group(1) not in VERBS \
            and re.match(r"\w+", aim[lead.end():]).group(0) in VERBS:
        aim = aim[lead.end():]
    verb, _, rest = aim.partition(" ")
    if action and verb in _CATENATIVE and (inner := re.match(r"to\s+(?=\w)", rest)):
        return _object_purpose(rest[inner.end():])   # "continue to deepen cooperation": deepen's object
    if not rest or re.fullmatch(r"(?:and|or|nor)\s+\w+", rest):
        return None, None   # "adapt or perish": verbs with no object
    if action:
        # "protect and promote human rights", "not conduct or knowingly support X": verbs sharing the object
        while shared := _SHARED_OBJECT_VERB.match(rest):
            if shared.group(1) not in VERBS:
                break
            rest = rest[shared.end():]
        rest = _PARTICLE.sub("", rest)   # "scale up the deployment": "up" is the verb's
        rest = _AFTER_VERB_ADVERBS.sub("", rest)
        if _ONLY_ADVERBS.fullmatch(rest):
            return None, None   # "coordinate closely": the verb has no object
        # "adapt to the digital revolution", "cooperate with other countries": what the verb's
        # preposition introduces (not "to" before a verb: "work to narrow" states a purpose)
        prep = _OBJECT_PREPOSITION.match(rest)
        following = re.match(r"\w+", rest[prep.end():]).group(0) if prep else ""
        if prep and following not in VERBS and not (prep.group(0).startswith("to") and following.endswith("ly")):
            rest = rest[prep.end():]
    m = _PURPOSE.search(rest)
    if m and (m.group("verb") in VERBS or not m.group(0).startswith("to ")):
        obj = rest[:m.start()].strip(" ,") or None
        return obj, rest[m.end("verb") - len(m.group("verb")):].strip() or None
    # "report cyber incidents promptly": the manner is not part of what is reported
    return _TRAILING_LY.sub("", rest.strip()) or None, None


def extract_commitments(seg: Segmented, finding: ActorFinding, topic_mentions: list[Mention]) -> list[Commitment]:
    """Every commitment of a document, in text order."""
    actors = finding.actors
    text = seg.document.text
    out: list[Commitment] = []
    topics_by_sentence: dict[int, list[Mention]] = {}
    for t in topic_mentions:
        topics_by_sentence.setdefault(t.sentence, []).append(t)
    author = [finding.author] if finding.author else []
    # the authors and the bodies they belong to ("The World Internet Conference will …" in a report of
    # its Organizing Committee): their "will" is a pledge
    authors_bodies: set[str] = set()
    body = finding.author
    while body and body not in authors_bodies:
        authors_bodies.add(body)
        body = actors[body].parent if body in actors else None
    declaration: tuple[list[str], str | None, str, str] | None = None
    next_number: int | None = None   # the number the next item of a numbered list after one has
    paragraph_of = {p.index: p for p in seg.paragraphs}

    for s in seg.sentences:
        para = paragraph_of[s.paragraph]
        mentions = finding.by_sentence.get(s.index, [])
        # "The private sector must: 1. respect …; 2. report …": a list numbered from 1 right after
        # the sentence is its items too (a numbered paragraph of the document is not)
        numbered_item = bool(declaration and s.begin == para.begin and para.number and para.number.isdigit()
                             and int(para.number) == (next_number or 1))
        if numbered_item:
            next_number = int(para.number) + 1
        # declaration form: list items after a "... will:" / "hereby decide to:" sentence
        if (para.is_list_item or numbered_item) and declaration and s.begin == para.begin:
            agents, agent_text, modality, deontic = declaration
            body = _FINAL_PUNCT.sub("", s.text)
            aims = _split_aims(body)
            obj, purpose = _object_purpose(aims[0]) if aims else (None, None)
            out.append(Commitment(s.index, s.begin, s.begin + len(body), body, modality, deontic, list(agents),
                                  agent_text, aims, obj, purpose, _condition(body),
                                  _topics(topics_by_sentence, s.begin, s.begin + len(body))))
            continue
        if not para.is_list_item and s.begin == para.begin:
            declaration, next_number = None, None

        sentence_commitments: list[Commitment] = []
        predicates: list[tuple[str, bool]] = []   # each one's predicate, and whether it is a noun phrase
        consumed = 0   # where a hope's "will" ends: a marker before it is that hope's, not one of its own
        for mk in _markers(s.text):
            if mk.begin < consumed:
                continue   # "We hope that the Conference will …": the "will" is the hope's
            agents: list[str] = []
            agent_text: str | None = None
            agent_end: int | None = None   # where an agent named after the marker ends
            start = mk.begin
            if mk.deontic == "Recommendation" and _EXPECTATION.match(s.text, mk.end):
                continue   # "Countries should see faster growth": what is expected to happen, not who is to act
            if mk.mode == "subject" and _PAST_COUNTERFACTUAL.match(s.text, mk.end):
                continue   # "Governments should have acted earlier": a past that did not happen, no future action
            if mk.mode in {"subject", "will"} and _IN_CONDITION.search(s.text, max(0, mk.begin - 120), mk.begin):
                continue   # "If governments must choose, …": the condition of what follows, not a duty
            if mk.mode in {"subject", "will"}:
                pre = _strip_adverbs(s.text[:mk.begin])
                # "We, the Heads of State and Government of the BRICS countries, reaffirm …": the
                # appositive names who "We" are; the subject is "We"
                tail = max(0, len(pre) - 160)   # (a search anchored at the end still scans from the start)
                appositive = _APPOSITIVE_AFTER_WE.search(pre, tail) if "," in pre[tail:] else None
                subject_end = appositive.start() if appositive else mk.begin
                if appositive:
                    pre = pre[:appositive.start()]
                last = re.search(r"(\w+)\W*$", pre)
                pron = last.group(1) if last else ""
                subj = _subject_mentions(s, subject_end, mentions, actors)
                if pron.lower() in FIRST_PERSON and not subj:
                    agents, agent_text, start = list(author), pron, last.start(1)
                elif pron.lower() in THIRD_PLURAL and not subj:
                    ante = _antecedent(seg, s, finding, actors)
                    agents, agent_text, start = [m.target for m in ante], pron, last.start(1)
                    if not agents:
                        continue
                elif pron == "It" and last.start(1) == 0 and not subj \
                        and not re.match(r"\s+(?:not\s+)?be\b", s.text[mk.end:]) \
                        and (ante := _singular_antecedent(seg, s, finding, actors)) \
                        and (mk.mode == "subject" or ante.target in authors_bodies):
                    # "The ITU plays a key role. It should lead …": the previous sentence's subject
                    # (not "It should be noted …", where "it" names no one); "It will …" is a
                    # pledge only when that subject is the authors
                    agents, agent_text, start = [ante.target], pron, 0
                elif pron.lower() in CONJUNCTIONS and not subj and (we := _coordinated_subject(pre)):
                    # "We acknowledge the risks and will continue …": the clause's subject is ours
                    agents, agent_text, start = list(author), we.group(0), mk.begin
                elif mk.mode == "will" and author and _elided_speaker(pre, mk.text):
                    agents, agent_text = list(author), None   # "Decides to convene …": the body's decision
                elif subj:
                    # "The Government will …" in a country's own paper: that country's government
                    own = [finding.author if _is_own_government(m, s, finding, actors) else m.target for m in subj]
                    if mk.mode == "will" and not all(t in authors_bodies or actors[t].kind == "Signatories" for t in own):
                        continue  # "X will …" about someone else is a forecast; the authors' (or "both sides'") is a pledge
                    agents = list(dict.fromkeys(own))
                    start = subj[0].begin - s.begin
                    while start > 0 and s.text[start - 1] in "*_":
                        start -= 1  # "The *United Nations* should": the span takes the markup in
                    lead = re.search(r"(?:\b(?:the|The|all|All|whole|entire)\s+)+$", s.text[:start])
                    if lead:
                        start = lead.start()
                    agent_text = s.text[start:subj[-1].end - s.begin]
                    if mk.mode == "subject" and (passive := _PASSIVE.match(s.text, mk.end)) \
                            and passive.group("participle").lower() not in _AGENTIVE_PARTICIPLES:
                        agents, agent_text = [], None   # "Internet users must be protected": they are not who acts
                else:
                    # no recoverable agent: a continuation ("…, and should further employ …") or epistemic
                    if sentence_commitments and re.search(r"(?:,|\band)\s*(?:\w+\s+)?$", s.text[:mk.begin]):
                        prev = sentence_commitments[-1]
                        prev.aims.extend(_split_aims(_FINAL_PUNCT.sub("", s.text[mk.end:])))
                    continue
            elif mk.mode == "letus":
                if _strip_adverbs(s.text[:mk.begin]):
                    continue   # "This data will let us measure progress": no exhortation
                agents, agent_text = list(author), mk.text[-2:]
            elif mk.mode == "possessive":
                poss = re.search(r"\b(our|their|its)\b", mk.text, re.I)
                if poss and poss.group(1).lower() == "our":
                    agents, agent_text = list(author), poss.group(1)
                elif poss and poss.group(1).lower() == "their":
                    agents, agent_text = [m.target for m in _antecedent(seg, s, finding, actors)], poss.group(1)
            elif mk.mode == "none":
                m = re.search(r"\bfor\s+(.+?)\s+to$", mk.text)
                if m:
                    agent_text = m.group(1)
                    agents = [x.target for x in mentions if s.begin + mk.begin <= x.begin < s.begin + mk.end]
            elif mk.mode in {"hope", "lookforward", "addressee", "need", "that"}:
                after = [x for x in mentions if x.begin - s.begin >= mk.end]
                subject_pre = _strip_adverbs(s.text[:mk.begin])
                lastw = re.search(r"(\w+)\W*$", subject_pre)
                first_person = bool(lastw and lastw.group(1).lower() in FIRST_PERSON)
                speaker = lastw.group(1) if lastw else None
                if first_person:
                    start = lastw.start(1)
                elif lastw and lastw.group(1).lower() in CONJUNCTIONS and (we := _coordinated_subject(subject_pre)):
                    # "We recall our commitments and call on all countries to …"
                    first_person, speaker, start = True, we.group(0), mk.begin
                if mk.mode == "addressee" and re.match(r"\s*that\b", s.text[mk.end:]):
                    continue  # "ask that principles … be finalized": a wish about things, no addressee
                if mk.mode == "that" and not mk.text.lower().startswith("it") and not first_person \
                        and not _subject_mentions(s, mk.begin, mentions, actors):
                    continue  # "Experts suggest that …": a report of others' views, not a recommendation
                if mk.mode == "addressee" and not first_person and not _elided_speaker(subject_pre, mk.text):
                    caller = _subject_mentions(s, mk.begin, mentions, actors)
                    named_body = None if caller else _BODY_REFERENCE.search(subject_pre)
                    if not caller and not named_body:
                        continue  # "subsidies that encourage wasteful consumption": no one is addressed
                    # "The conference called on X to …": the statement is the caller's, as "We call on" is ours
                    if caller:
                        lead = re.search(r"(?:\b(?:the|The)\s+)$", s.text[:caller[0].begin - s.begin])
                        start = lead.start() if lead else caller[0].begin - s.begin
                    else:
                        start = named_body.start()
                first = after[0] if after else None
                gap = s.text[mk.end:first.begin - s.begin] if first else ""
                if first and re.fullmatch(r"\s*(?:that\s+)?(?:(?:the|all|whole|entire|our|other)\s+)*", gap, re.I):
                    group = [first]
                    for nxt in after[1:]:
                        g2 = s.text[group[-1].end - s.begin:nxt.begin - s.begin]
                        if nxt.target == group[-1].target and re.fullmatch(r"\s*[(（]", g2):
                            continue   # "the Financial Stability Board (FSB)": its acronym, the same body
                        g2 = _BRACKETED.sub("", g2, count=1)   # "… (FSB) and IMF": and the next body
                        if _COORDINATION.fullmatch(g2) and not _is_verb(g2):
                            group.append(nxt)
                        else:
                            break
                    agents = [x.target for x in group]
                    agent_end = group[-1].end - s.begin
                    bracket = _BRACKETED.match(s.text, agent_end)
                    if bracket:
                        agent_end = bracket.end()   # "ask the FSB (Financial Stability Board) to": the aim follows it
                    # "We encourage G20 members to …": the members act for the body, as in "G20 members should"
                    members = _MEMBER_NOUN_AFTER.match(s.text, agent_end)
                    if members and not any(x.begin - s.begin == agent_end + 1 for x in after):
                        agent_end = members.end()
                    agent_text = s.text[first.begin - s.begin:agent_end]
                    if mk.mode == "that" and re.match(r"\s*(?:should|must|shall|will|need\s+to|needs\s+to|ought\s+to)\b",
                                                      s.text[agent_end:]):
                        continue  # "we advocate that X should …": the modal makes the commitment
                elif mk.mode == "hope" and re.match(r"\s*(?:that\s+)?(?:it|they|he|she|this|these)\b", s.text[mk.end:]):
                    continue
                elif mk.mode == "that":
                    continue  # "it is essential that no one is left behind": no actor to hold to it
                elif mk.mode == "need":
                    continue  # "a need for better data to guide policy": no actor is to act
                elif mk.mode == "addressee":
                    np = re.match(r"\s*(.+?)\s+to\s+(\w+)", s.text[mk.end:])
                    if np and not is_action_after_to(np.group(2)):
                        continue  # "encourage innovative approaches to financing": no one is asked to act
                    agent_text = np.group(1) if np else None
                    agent_end = mk.end + np.end(1) if np else None
                    if agent_text and re.fullmatch(r"(?:(?:all|our|the)\s+)*(?:members|member\s+states)", agent_text, re.I):
                        agents = list(author)  # "We encourage members to …": the authors' own members
                else:
                    agents, agent_text = list(author), speaker
            body_end = len(_FINAL_PUNCT.sub("", s.text))
            predicate = s.text[mk.end:body_end]
            if mk.mode == "hope":
                will = re.search(r"\b(?:will|would|can|could|to)\b", predicate)
                if not will:
                    continue
                consumed = mk.end + will.end()
                predicate = predicate[will.end():]
            elif mk.mode == "lookforward" and agent_end is not None:
                predicate = re.sub(r"^[’']s\s+", "", s.text[agent_end:body_end].lstrip())
            elif mk.mode in {"addressee", "need"} and agent_end is not None:
                # ("need for X to …" only with its "to": "the need for governments' support" asks no one)
                if mk.mode == "need" and not re.match(r"\s*to\s", s.text[agent_end:body_end]):
                    continue
                predicate = re.sub(r"^\s*to\s+", "", s.text[agent_end:body_end])
            elif mk.mode == "that" and agent_end is not None:
                predicate = re.sub(r"^\s*(?:should|must|shall|will|can)\s+", "", s.text[agent_end:body_end])
            predicate = predicate.strip(" ,:")
            if not predicate:
                if s.text.rstrip().endswith(":"):
                    declaration = (agents, agent_text, _normal_modality(mk.text), mk.deontic)
                continue
            if s.text.rstrip().endswith(":") and mk.deontic == "Pledge":
                declaration = (agents, agent_text, _normal_modality(mk.text), mk.deontic)
            aims = _split_aims(re.sub(r"\s+", " ", predicate))
            modality = _normal_modality(mk.text)
            noun_phrase = mk.mode == "lookforward" or modality in {"call for", "calls for", "called for"}
            obj, purpose = _object_purpose(aims[0], action=not noun_phrase) if aims else (None, None)
            c = Commitment(s.index, s.begin + start, s.begin + body_end, s.text[start:body_end],
                           modality, mk.deontic, agents, agent_text, aims, obj, purpose,
                           _condition(predicate), [])
            if sentence_commitments and sentence_commitments[-1].agents == agents and agents:
                sentence_commitments[-1].aims.extend(aims)
                continue
            if sentence_commitments:
                prev = sentence_commitments[-1]
                if c.begin < prev.end:
                    cut = prev.end - max(prev.begin, c.begin)
                    # "We commit to X and call on Y to …", "X ought to A, while Y is invited to B": X's
                    # commitment ends before the conjunction, and so do its aims
                    prev.text = _TRAILING_LINK.sub("", text[prev.begin:prev.end - cut])
                    prev.end = prev.begin + len(prev.text)
                    prev_predicate, prev_noun_phrase = predicates[-1]
                    prev_predicate = _TRAILING_LINK.sub("", prev_predicate[:max(0, len(prev_predicate) - cut)])
                    prev.aims = _split_aims(re.sub(r"\s+", " ", prev_predicate))
                    prev.object, prev.purpose = (_object_purpose(prev.aims[0], action=not prev_noun_phrase)
                                                 if prev.aims else (None, None))
                    prev.condition = _condition(prev_predicate)
            sentence_commitments.append(c)
            predicates.append((predicate, noun_phrase))
        for c in sentence_commitments:
            c.topics = _topics(topics_by_sentence, c.begin, c.end, s.index)
        out.extend(sentence_commitments)
    return out


def _condition(predicate: str) -> str | None:
    m = _CONDITION.search(predicate)
    return m.group(0).strip() if m else None


def _topics(by_sentence: dict[int, list[Mention]], begin: int, end: int, sentence: int | None = None) -> list[str]:
    pool = by_sentence.get(sentence, []) if sentence is not None else [m for ms in by_sentence.values() for m in ms]
    seen: list[str] = []
    for m in pool:
        if begin <= m.begin and m.end <= end and m.target not in seen:
            seen.append(m.target)
    return seen
