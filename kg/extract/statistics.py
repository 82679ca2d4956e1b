"""Statistics: numbers that measure something, with normalised value, unit (percent, a currency,
degreeCelsius, a data volume or rate such as gigabyte or megabitPerSecond, count), qualifier, what they
measure and the period they refer to.

Not statistics: years ("in 2017", "2030 Agenda"), dates ("Nov 7 to 9, 2018"), ordinals ("5th"),
identifiers ("SDG 7", "G20", "5G", "Covid-19", "Resolution No. ES-11/1"), age bands ("aged 15 to 24").
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..records import Mention, Segmented, Sentence, Statistic

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DAYS = r"\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*\d{1,2}(?:st|nd|rd|th)?)?"
DATE = re.compile(rf"\b(?:{_DAYS}\s+{_MONTH}(?:,?\s+\d{{4}})?|{_MONTH}\s+{_DAYS}(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{4}})\b")
SCALE = {"trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12, "billion": Decimal(10) ** 9,
         "bn": Decimal(10) ** 9, "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6,
         "thousand": Decimal(1000)}
CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
            "¥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "dollars": "USD", "us dollars": "USD",
            "euros": "EUR", "euro": "EUR"}
_ANY_DIGIT = re.compile(r"\d")
NUMBER = re.compile(
    r"(?<![\w/.,-])(?P<cur>US\$|\$|€|£|¥|USD\s?|EUR\s?|RMB\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?!(?!(?:tn|bn|mn|[kmgtpez]b|[kmgt]bps|[kmgt]bit/s)\b)[\w/]|\.\d|-\d)"   # (a scale or data unit may be attached: "£3bn", "250GB")
    r"(?:\s*(?P<scale>trillion|billion|million|thousand|tn|bn|mn)\b)?"
    r"(?:\s*(?P<unit>%|percent\b|per\s+cent\b|percentage\s+points?\b|(?:US\s+)?dollars\b|euros?\b|yuan\b|"
    r"°\s?C\b|degrees?\s+Celsius\b|"
    r"(?:kilo|mega|giga|tera|peta|exa|zetta)(?:bytes?|bits?(?:\s+per\s+second)?)\b|[kmgtpez]b\b|[kmgt]bps\b|[kmgt]bit/s))?",
    re.I)
# data volumes and rates ("4.8 zettabytes", "250GB", "100 Mbps"), by the name of their prefix
_DATA_PREFIX = {"k": "kilo", "m": "mega", "g": "giga", "t": "tera", "p": "peta", "e": "exa", "z": "zetta"}
_DATA_UNIT = re.compile(r"(?P<prefix>kilo|mega|giga|tera|peta|exa|zetta|[kmgtpez])(?P<what>bytes?|b|bits?\s+per\s+second|bits?|bps|bit/s)$")


def _data_unit(written: str) -> str | None:
    """The unit of a data volume or rate as written ("zettabytes", "GB", "Mb", "Mbps"): "zettabyte",
    "gigabyte", "megabit", "megabitPerSecond"; None for any other word."""
    m = _DATA_UNIT.match(written.lower())
    if not m:
        return None
    prefix = _DATA_PREFIX.get(m.group("prefix"), m.group("prefix"))
    what = m.group("what")
    if what.startswith("byte") or (what == "b" and written.endswith("B")):   # "GB" a gigabyte, "Gb" a gigabit
        return f"{prefix}byte"
    return f"{prefix}bitPerSecond" if what in {"bps", "bit/s"} or "second" in what else f"{prefix}bit"
QUALIFIERS = [
    (r"about|approximately|around|roughly|some|an estimated|estimated|circa|close to", "Approximate"),
    (r"over|more than|above|exceeds|exceeded|exceeding|at least|upwards of|in excess of|no less than|surpassed|topped", "LowerBound"),
    (r"under|less than|below|up to|at most|nearly|almost|fewer than|no more than", "UpperBound"),
]
_QUALIFIER = re.compile(r"(?P<q>" + "|".join(q for q, _ in QUALIFIERS) + r")\s+(?:a\s+(?:stunning|record|total\s+of)\s+)?$", re.I)
IDENT_BEFORE = re.compile(r"(?:\b(?:No|Nos|Article|Art|Section|Resolution|Goal|SDG|SDGs|Chapter|para|paragraph|Rule|"
                          r"Principle|Target|Phase|Level|Tier|COP|Annex|Figure|Table|Box|Item|Page|p|pp|Version|v|"
                          r"aged|ages|age|Decision|Point|Pillar|Recommendation)\.?\s*$)|(?:\b[A-Z]{2,}\s$)")
# A decimal right after a name is a version: "InfraTracker 2.0", "Industry 4.0", "Web 3.0".
_VERSION_BEFORE = re.compile(r"\b(?:[A-Z][a-z]+[A-Z]\w*|Industry|Web|Version|Release)\s$")
_FOOTNOTE = re.compile(r"<sup>[^<]{0,20}</sup>|\[\d{1,3}\]|\^\d{1,3}\b")
PERIOD = re.compile(
    rf"\b(?:(?:by|at|as of|until|through)\s+the\s+end\s+of\s+(?:{_MONTH}\s+)?\d{{4}}|"
    rf"(?:in|during|for)\s+the\s+(?:first|second|third|fourth|last)\s+(?:half|quarter)\s+of\s+\d{{4}}|"
    rf"(?:in|during|since|by|as of|for)\s+(?:{_MONTH}\s+)?\d{{4}}|"
    rf"between\s+\d{{4}}\s+and\s+\d{{4}}|from\s+\d{{4}}\s+to\s+\d{{4}})\b", re.I)
VERB = re.compile(r"\b(?:reached|reach|reaches|reaching|hit|hits|was|were|is|are|exceeds|exceeded|amounted\s+to|amounting\s+to|"
                  r"accounted\s+for|accounting\s+for|stood\s+at|"
                  # the base forms only before "from": "an increase of 5 percent" is a noun
                  r"(?:grow|rise|increase|fall|drop)\s+from|"
                  r"grew|grows|rose|rises|fell|falls|declined|declines|dropped|drops|increased|increases|decreased|"
                  r"decreases|surged|jumped|contracted|contracts|expanded|expands|shrank|shrinks|climbed|climbs|soared|soars|"
                  r"plunged|plunges|plummeted|"
                  r"generated|generates|contributed|contributes|represented|represents|made\s+up|makes\s+up|constituted|"
                  r"totalled|totaled|surpassed|topped|varying\s+between|"
                  r"ranging\s+from|having\s+amounted\s+to|enjoys|enjoy)\b", re.I)
_MAIN_VERB = re.compile(r"\b(?:continued|continues|grew|grows|rose|rises|increased|increases|expanded|expands|"
                        r"remained|remains|was|were|is|are|has|have|had|saw|sees)\b")
_TRAILING_AUXILIARY = re.compile(r"(?:\s+(?:had|has|have|been|will|would|could|may|might|already|now|also|"
                                 r"nearly|almost|further|finally|then|(?:is|are|was|were)\s+(?:expected|projected|forecast|"
                                 r"estimated|likely|set|poised)\s+to))+$", re.I)
_QUALIFIED = r"(?:(?:about|around|nearly|almost|over|more\s+than|less\s+than|some|roughly|approximately|up\s+to|at\s+least)\s+)?"
# (`start` is where the number's match begins, its currency included: "of USD 10 billion" ends in "of ")
_NAMED_OF = re.compile(r"\b(?:an?|the|its|their|our)\s+(?P<np>(?:[\w'’-]+\s+){0,5}?[\w'’-]+)\s+of\s+" + _QUALIFIED + r"$")
_CHANGED_BY = re.compile(r"\b(?:reduce|reducing|cut|cutting|increase|increasing|raise|raising|limit|limiting|lower|lowering|"
                         r"halve|halving|double|doubling|boost|boosting)\s+(?:(?:the|a|an|our|their|its)\s+)?(?P<np>(?:[\w'’-]+\s+){0,6}?[\w'’-]+)\s+(?:by|to)\s+"
                         + _QUALIFIED + r"$")
_FRAMES = {"floor", "ceiling", "total", "sum", "amount", "minimum", "maximum", "average", "level", "value", "peak",
           "figure", "number", "range", "high", "low", "record"}
_VERB_WORD = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|must)\b")
_CLAUSE_OPENING = re.compile(r"\s*(?:(?:and|but|while|whereas|with|only|just|about|around|nearly|almost|over|"
                             r"more\s+than|less\s+than|some|roughly|approximately|up\s+to|as\s+many\s+as|"
                             # the second number of a range: "between 20 and 30 percent of firms"
                             r"between\s+[\d.,]+\s+and|from\s+[\d.,]+\s+to|[\d.,]+\s*(?:-|–|to))\s*)*", re.I)
# a number right before the second one of a range ("between 20 and 30 percent", "20-30%"): its unit is
# the second's
_RANGE_TO = re.compile(r"\s*(?:and|to|-|–)\s*$")
# a number in words with a scale: "three billion people", "half a billion", "one million jobs"
_WORD_VALUES = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100, "one hundred": 100, "half a": Decimal("0.5")}
WORD_NUMBER = re.compile(r"(?<![\w-])(?P<num>half\s+a|(?:a|one)\s+hundred|" + "|".join(
    sorted((w for w in _WORD_VALUES if " " not in w), key=len, reverse=True)) + r")\s+(?P<scale>trillion|billion|million)\b", re.I)
_SHARE_OF = re.compile(r"^\s+of\s+(?P<np>[^,;:.()]{1,120}?)\s*(?=[,;:.()]|\s+(?:compared|against|versus|while|whereas)\b|$)")
# a number restating the one before it in another unit: ", or 43.7 percent of GDP", "(or 5 percent)"
_APPOSITION = re.compile(r"(?:,|\()\s*or\s+(?:\w+\s+)?$")
# a number compared with the one before it in the sentence measures the same thing
_COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|against|versus|vs\.?|up\s+from|down\s+from|from|to)\s+(?:\w+\s+){0,2}$", re.I)
# what a count counts: up to three words and a plural noun ("2.6 billion user records", "3.7 billion people",
# "1.2 million 5G base stations")
COUNT_NOUN = re.compile(r"^\s*(?P<np>(?:(?:[A-Za-z]|\d+[A-Za-z])[\w'’-]*\s+){0,3}?(?:[A-Za-z][\w'’-]*?s|people|children|women|men|personnel)\b(?:\s+(?:and|or)\s+[a-z]+s\b)?(?:\s+of\s+(?:(?!(?:were|was|are|is|have|has|had)\b)[A-Za-z][\w-]*\s+){0,2}(?!(?:were|was|are|is|have|has|had)\b)[A-Za-z][\w-]*)?)")


def plain_number(d: Decimal) -> str:
    """Decimal as a plain string, no exponent, no trailing zeros: 12900000000000, 54.4."""
    s = format(d.normalize(), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


_YEAR_BEFORE = re.compile(rf"(?:\b(?:in|by|since|during|of|from|to|until|till|before|after|between|and|the|early|late|"
                          rf"mid|year|years|fiscal|FY|circa|through)|{_MONTH}|[-–])\s*$", re.I)


_NAME_BEFORE = re.compile(r"\b([A-Z][\w-]*)\s+$")


def _is_year(num: str, before: str, after: str, qualified: bool) -> bool:
    """A four-digit number is a year unless it is qualified ("more than 1500", `qualified`) or
    counts a noun that follows it ("1500 government representatives") without a year-like word
    before it."""
    if not re.fullmatch(r"(?:1[89]|20)\d\d", num):
        return False
    if qualified:
        return False
    # a year-like word ends where the trailing spaces begin and is at most 10 characters long
    # ("September."): the search starts there, not at the sentence's start (\b still sees the
    # character before)
    if _YEAR_BEFORE.search(before, max(0, len(before.rstrip()) - 12)):
        return True
    # "Internet Governance Forum 2019", "Agenda 2030": a year in a name, after a capitalised word
    # that is not the sentence's determiner ("The 2000 participants")
    name = _NAME_BEFORE.search(before[-40:])
    if name and name.group(1) not in {"The", "A", "An", "Some", "All", "Only", "Another", "These", "Those", "Its", "Their", "Our"}:
        return True
    nxt = re.match(r"\s*([A-Za-z]+)", after)
    if nxt and nxt.group(1).islower() and nxt.group(1) not in {"and", "or", "to", "in", "on", "the", "when", "as", "with", "at", "by", "for", "from", "until", "alone",
                                                                   "was", "were", "is", "saw", "marked", "witnessed"}:
        return False
    return True


def _measures(sentence: str, start: int, end: int, unit: str, table_row: bool = False) -> str | None:
    if table_row and "|" in sentence[max(0, start - 200):start]:
        # a table row ("Internet users | 4.4 billion", kg.segment strips its outer bars): the row's label
        label = sentence.split("|", 1)[0].strip()
        if re.search(r"[A-Za-z]", label) and not _ANY_DIGIT.search(label):
            return re.sub(r"\s+", " ", label)
    after = sentence[end:]
    if unit == "count":
        m = COUNT_NOUN.match(after)
        if m:
            return re.sub(r"\s+", " ", m.group("np")).strip()
    if unit != "count":
        # "a financing gap of approximately USD 10 billion", "an Internet penetration rate of 74.4 percent":
        # the noun the amount is "of"; "reduce land degradation by 50%": what changes by it
        named = _NAMED_OF.search(sentence, max(0, start - 80), start) or _CHANGED_BY.search(sentence, max(0, start - 80), start)
        # (not a frame: "a floor of", "a total of", "an average of" name no measure)
        if named and not _VERB_WORD.search(named.group("np")) and named.group("np").split()[-1].lower() not in _FRAMES:
            return re.sub(r"\s+", " ", named.group("np")).strip()
    # the verb before the number, within the 300 characters before it (a measure is a short
    # subject: reading the whole sentence again for each of its numbers is quadratic)
    verbs = list(VERB.finditer(sentence, max(0, start - 300), start))
    if verbs:
        v = verbs[-1]
        # the subject: from the start of the clause holding the verb to the verb
        cs = max(sentence.rfind(",", 0, v.start()), sentence.rfind(";", 0, v.start()))
        subj = sentence[cs + 1 if cs >= 0 else 0:v.start()]
        if not subj.strip() and v.group(0).split()[0].endswith("ing") and cs > 0:
            # "The digital economy continued to grow in 2020, reaching USD 32.6 trillion", "…, accounting
            # for 34.8 percent of GDP": a participle clause's subject is the clause's before it, up to its verb
            before_cs = max(sentence.rfind(",", 0, cs), sentence.rfind(";", 0, cs))
            main = _MAIN_VERB.search(sentence, before_cs + 1, cs)
            subj = sentence[before_cs + 1:main.start()] if main else ""
        subj = re.sub(r"^\s*(?:with|while|and|that|which|where|but|as)\s+", "", subj).strip()
        subj = PERIOD.sub("", subj).strip(" ,")
        # "the number of Internet users had reached": the auxiliary is the verb's, not the measure's
        subj = _TRAILING_AUXILIARY.sub("", subj)
        # "We welcome pledges amounting to USD 81.6 billion": the pledges, not who welcomes them
        subj = re.sub(r"^(?:We|we|They|they)\s+[a-z]+\s+(?=\w)", "", subj)
        if subj and len(subj.split()) <= 12:
            return re.sub(r"\s+", " ", subj)
    if unit == "percent":
        # "87 percent of people in developed countries use the Internet": the share of what follows
        # (only where the percentage opens its clause: in "mobile technologies generated 4.5 percent
        # of GDP" the subject is what is measured, and GDP only the base)
        share = _SHARE_OF.match(after)
        clause = re.split(r"[,;:]|\bthat\b", sentence[max(0, start - 80):start])[-1]
        if share and len(share.group("np").split()) <= 12 and _CLAUSE_OPENING.fullmatch(clause):
            return re.sub(r"\s+", " ", PERIOD.sub("", share.group("np"))).strip()
    m = COUNT_NOUN.match(after)
    if m and re.match(r"\s*(?:in|on|for|to|of|by|from|at|with|into|over)\b", m.group("np")):
        return None   # "invest EUR 20 billion in digital projects": where it goes, not what it measures
    return re.sub(r"\s+", " ", m.group("np")).strip() if m else None


def _qualifier(q: re.Match | None) -> tuple[str | None, str | None]:
    """The qualifier the words before a number give it ("more than"), and the bound it means."""
    if q is None:
        return None, None
    qualifier = q.group("q").lower()
    return qualifier, next(bound for pattern, bound in QUALIFIERS if re.fullmatch(pattern, qualifier, re.I))


def _period(periods: list[re.Match], end: int) -> str | None:
    """The period of a number ending at `end`: one right after it ("from 8.4 billion in 2017 to
    20.4 billion in 2020"), else the sentence's first."""
    for p in periods:
        if 0 <= p.start() - end <= 2:
            return p.group(0)
    return periods[0].group(0) if periods else None


def _statistic(s: Sentence, begin: int, end: int, value: Decimal, unit: str, q: re.Match | None,
               measures: str | None, periods: list[re.Match], topics: list[str]) -> Statistic:
    """The statistic the text of sentence `s` holds between `begin` and `end` (offsets in the
    sentence), qualified by the match `q` of the words before it."""
    qualifier, bound = _qualifier(q)
    return Statistic(sentence=s.index, begin=s.begin + begin, end=s.begin + end, text=s.text[begin:end],
                     value=plain_number(value), unit=unit, qualifier=qualifier, bound=bound, measures=measures,
                     period=_period(periods, end), topics=list(topics))


def extract_statistics(seg: Segmented, topic_mentions: list[Mention]) -> list[Statistic]:
    """Every statistic of a document, in text order."""
    out: list[Statistic] = []
    topics_of: dict[int, list[str]] = {}
    for t in topic_mentions:
        topics_of.setdefault(t.sentence, []).append(t.target)
    for s in seg.sentences:
        st = s.text
        # every statistic has a digit or a scale in words ("three billion"): most sentences have neither
        if not _ANY_DIGIT.search(st) and "illion" not in st:
            continue
        blocked = [(m.start(), m.end()) for m in DATE.finditer(st)]
        blocked += [(m.start(), m.end()) for m in re.finditer(r"\baged?\s+\d+\s*(?:-|–|to)\s*\d+|\b\d+\s*(?:-|–|to)\s*\d+[- ]year[- ]olds?\b", st, re.I)]
        # footnote marks: "<sup>1 </sup>", "[12]"
        blocked += [(m.start(), m.end()) for m in _FOOTNOTE.finditer(st)]
        periods = list(PERIOD.finditer(st))
        table_row = " | " in st   # (once per sentence: a long one may hold thousands of numbers)
        topics = list(dict.fromkeys(topics_of.get(s.index, [])))
        found: list[Statistic] = []   # this sentence's, in text order
        for m in NUMBER.finditer(st):
            if any(b <= m.start("num") < e for b, e in blocked):
                continue
            num, before, after = m.group("num"), st[:m.start()], st[m.end():]
            cur = (m.group("cur") or "").strip().lower()
            unit_word = (m.group("unit") or "").lower()
            scale = (m.group("scale") or "").lower()
            q = _QUALIFIER.search(before)
            if not cur and not unit_word and not scale:
                if _is_year(num, before, after, q is not None) or IDENT_BEFORE.search(before) or _VERSION_BEFORE.search(before) and "." in num:
                    continue
                if re.match(r"\s*(?:st|nd|rd|th)\b", after):
                    continue
            value = Decimal(num.replace(",", ""))
            if scale:
                value *= SCALE[scale]
            data_unit = _data_unit(m.group("unit") or "")
            if data_unit:
                unit = data_unit
            elif unit_word.startswith("°") or unit_word.startswith("degree"):
                unit = "degreeCelsius"
            elif unit_word in {"%", "percent"} or unit_word.startswith("per") or unit_word.startswith("percentage"):
                unit = "percent"
            elif cur or unit_word:
                unit = CURRENCY.get(cur or re.sub(r"\s+", " ", unit_word), "USD")
            else:
                unit = "count"
            b, e = m.start(), m.end()
            while e > b and st[e - 1].isspace():
                e -= 1
            measures = _measures(st, b, e, unit, table_row)
            if measures is None and found and found[-1].unit == unit and _COMPARED.search(before[-60:]):
                measures = found[-1].measures   # "87 percent of X …, compared with 19 percent in Y": the same measure
            if measures is None and found and _APPOSITION.search(before[-20:]):
                measures = found[-1].measures   # "USD 32.6 trillion, or 43.7 percent of GDP": the same thing again
            if found and unit != "count" and found[-1].unit == "count" and found[-1].end - s.begin <= b \
                    and _RANGE_TO.fullmatch(st[found[-1].end - s.begin:b]):
                # "between 20 and 30 percent of firms": the first number is a percentage of the same
                found[-1].unit, found[-1].measures = unit, measures
            found.append(_statistic(s, b, e, value, unit, q, measures, periods, topics))
        # numbers in words, with a scale: "nearly three billion people" (digits need none)
        for m in WORD_NUMBER.finditer(st) if "illion" in st else ():
            b, e = m.start(), m.end()
            q = _QUALIFIER.search(st, max(0, b - 40), b)
            measures = _measures(st, b, e, "count", table_row)
            if measures is None:
                continue   # "a million thanks" measures nothing
            value = Decimal(_WORD_VALUES[re.sub(r"\s+", " ", m.group("num").lower())]) * SCALE[m.group("scale").lower()]
            found.append(_statistic(s, b, e, value, "count", q, measures, periods, topics))
        out.extend(sorted(found, key=lambda x: x.begin))
    return out
