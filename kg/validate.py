"""Stage 5, validate: check each report's graph against `ontology/shapes.ttl`.

Two validators of the same shapes:

- `ShapeValidator` compiles the shapes into plain Python tests (one per constraint) and runs them
  over an index of the report's triples: no store to load and no query to plan, so it costs a few
  milliseconds per report (pySHACL: about 0.2 s; the same constraints as SPARQL on an in-memory
  Oxigraph store, which it replaced: ~40 ms, a quarter of a report's build). It supports the SHACL
  features our shapes use (sh:targetClass; property shapes with a predicate sh:path and sh:class,
  sh:datatype, sh:minCount, sh:maxCount, sh:in, sh:pattern, sh:minLength/maxLength,
  sh:min/maxInclusive, sh:min/maxExclusive, sh:uniqueLang, sh:or of such constraints). Any other SHACL term in
  the shapes file makes compiling fail loudly, so a shape is never silently skipped.
- `violations(graph)` runs pySHACL, the reference implementation; the tests check both agree.

Validation runs one report graph at a time (each is self-contained), with `ontology/kg.ttl`
mixed in so that sh:class sees the subclass axioms (a kg:Forum is a kg:Actor).
"""
from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .errors import ValidationError
from .gazetteer import ONTOLOGY_DIR


@dataclass(frozen=True, order=True)
class Violation:
    """One value (or focus node) that breaks one constraint."""

    focus: str          # IRI of the focus node
    path: str           # IRI of the property
    component: str      # SHACL constraint component, local name: "MinCountConstraintComponent"
    value: str          # the offending value in N-Triples syntax, "" for count constraints
    message: str

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        return f"<{self.focus}> — <{self.path}>: {self.message}{value}"


# A value test: true when the value (a pyoxigraph term) VIOLATES the constraint. It gets the
# value and the function giving a node's classes, each with all its superclasses.
ValueTest = Callable[[object, Callable[[object], frozenset]], bool]


@dataclass(frozen=True)
class Constraint:
    """One compiled constraint of a property shape: the classes whose instances are its focus
    nodes, the property, and either `test` (a value constraint: true for a violating value) or
    `count` (a count constraint: (">", 1) means more than one distinct value is a violation)."""

    shape: str
    targets: tuple[str, ...]
    path: str
    component: str
    message: str
    test: ValueTest | None = None
    count: tuple[str, int] | None = None
    unique_lang: bool = False   # sh:uniqueLang: no two values share a language tag


class UnsupportedShape(ValidationError):
    """The shapes file uses a SHACL feature the compiled validator does not implement."""


_ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.order, SH.group}
_INTEGERS = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger,
             XSD.negativeInteger, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.unsignedInt,
             XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
_SIGN = {XSD.nonNegativeInteger: lambda n: n >= 0, XSD.positiveInteger: lambda n: n > 0,
         XSD.nonPositiveInteger: lambda n: n <= 0, XSD.negativeInteger: lambda n: n < 0,
         XSD.unsignedInt: lambda n: n >= 0, XSD.unsignedLong: lambda n: n >= 0,
         XSD.unsignedShort: lambda n: n >= 0, XSD.unsignedByte: lambda n: n >= 0}
_SIGN_BY_IRI = {str(dt): holds for dt, holds in _SIGN.items()}
# lexical forms (XML Schema) of the datatypes sh:datatype can require here; a literal of the
# right datatype but an ill-formed lexical form ("many"^^xsd:integer) violates sh:datatype
_FLOAT = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"
_TZ = r"(?:Z|[+-](?:0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?"
_DATE = r"-?([0-9]{4,})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?"
_LEXICAL = {
    XSD.integer: r"[+-]?[0-9]+", XSD.decimal: r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)",
    XSD.double: _FLOAT, XSD.float: _FLOAT, XSD.boolean: r"true|false|1|0",
    XSD.date: _DATE + _TZ, XSD.dateTime: f"{_DATE}T(?:{_TIME}){_TZ}", XSD.time: f"(?:{_TIME}){_TZ}",
    XSD.gYear: r"-?[0-9]{4,}" + _TZ, XSD.gYearMonth: r"-?[0-9]{4,}-(?:0[1-9]|1[0-2])" + _TZ,
}
_LEXICAL.update({dt: _LEXICAL[XSD.integer] for dt in _INTEGERS})
_LEXICAL = {str(dt): re.compile(pattern) for dt, pattern in _LEXICAL.items()}
_DATES = (str(XSD.date), str(XSD.dateTime))
_NUMERIC = {str(dt) for dt in _INTEGERS | {XSD.decimal, XSD.double, XSD.float}}
_COMPARE = {SH.minInclusive: (">=", "MinInclusive", lambda a, b: a >= b),
            SH.maxInclusive: ("<=", "MaxInclusive", lambda a, b: a <= b),
            SH.minExclusive: (">", "MinExclusive", lambda a, b: a > b),
            SH.maxExclusive: ("<", "MaxExclusive", lambda a, b: a < b)}
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def _well_formed(value: ox.Literal, datatype: str) -> bool:
    """The literal's lexical form is valid for `datatype` (its own datatype, already checked)."""
    match = _LEXICAL[datatype].fullmatch(value.value)
    if match is None:
        return False
    if datatype in _DATES:   # no 30 February
        year, month, day = (int(g) for g in match.groups())
        return day <= calendar.monthrange(year if 1 <= year <= 9999 else 2000 + year % 400, month)[1]
    sign = _SIGN_BY_IRI.get(datatype)
    return sign is None or sign(int(value.value))


def _number(value) -> Decimal | float | None:
    """The numeric value of a well-formed numeric literal, else None (not comparable)."""
    if not isinstance(value, ox.Literal):
        return None
    datatype = value.datatype.value
    if datatype not in _NUMERIC or not _LEXICAL[datatype].fullmatch(value.value):
        return None
    if datatype in (str(XSD.double), str(XSD.float)):
        return float(value.value.replace("INF", "inf"))
    try:
        return Decimal(value.value)
    except InvalidOperation:
        return None


def _ox_term(t):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language.lower())
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))
    raise UnsupportedShape(f"shapes: blank node or unknown term {t!r} where an IRI or literal is needed")


def _nt(t) -> str:
    return str(_ox_term(t))


class _Compiler:
    """Compiles a shapes graph, recording every triple it reads so that any left over (a SHACL
    feature not implemented) is an error, never a silently skipped constraint."""

    def __init__(self, shapes: Graph, source: str):
        self.g = shapes
        self.source = source
        self.used: set[tuple] = set()

    def values(self, s, p) -> list:
        found = sorted(self.g.objects(s, p))
        for o in found:
            self.used.add((s, p, o))
        return found

    def one(self, s, p):
        found = self.values(s, p)
        if len(found) > 1:
            raise UnsupportedShape(f"{self.source}: {s} has {len(found)} values of {p}, expected one")
        return found[0] if found else None

    def members(self, head) -> list:
        items = list(Collection(self.g, head))
        node = head
        while node != RDF.nil:
            for p in (RDF.first, RDF.rest):
                self.used.update((node, p, o) for o in self.g.objects(node, p))
            node = self.g.value(node, RDF.rest)
        return items

    def value_tests(self, shape, what: str) -> list[tuple[str, str, ValueTest]]:
        """(component, message, test true when a value violates) for each value-level constraint
        of `shape`."""
        out = []
        for cls in self.values(shape, SH["class"]):
            out.append(("ClassConstraintComponent", f"value is not an instance of <{cls}>",
                        lambda v, classes, c=str(cls): isinstance(v, ox.Literal) or c not in classes(v)))
        for dt in self.values(shape, SH.datatype):
            if dt == RDF.langString:
                test = lambda v, classes: not (isinstance(v, ox.Literal) and v.language)  # noqa: E731
            elif dt in (XSD.string, *map(URIRef, _LEXICAL)):
                def test(v, classes, dt=str(dt), node=ox.NamedNode(str(dt))):
                    return not (type(v) is ox.Literal and v.datatype == node
                                and (dt not in _LEXICAL or _well_formed(v, dt)))
            else:
                raise UnsupportedShape(f"{self.source}: sh:datatype <{dt}> is not supported by the compiled validator")
            out.append(("DatatypeConstraintComponent", f"value does not have datatype <{dt}>", test))
        for head in self.values(shape, SH["in"]):
            allowed = [_ox_term(v) for v in self.members(head)]
            out.append(("InConstraintComponent", "value is not in " + ", ".join(map(str, allowed)),
                        lambda v, classes, allowed=frozenset(allowed): v not in allowed))
        for pattern in self.values(shape, SH.pattern):
            flags = self.one(shape, SH.flags)
            compiled = re.compile(str(pattern), sum(_FLAGS[f] for f in str(flags or "")))
            out.append(("PatternConstraintComponent", f"value does not match {json.dumps(str(pattern))}",
                        lambda v, classes, r=compiled: isinstance(v, ox.BlankNode) or not r.search(v.value)))
        for p, (name, too_far) in ((SH.minLength, ("MinLength", lambda n, b: n < b)),
                                   (SH.maxLength, ("MaxLength", lambda n, b: n > b))):
            for n in self.values(shape, p):
                out.append((f"{name}ConstraintComponent", f"{name} {int(n)}",
                            lambda v, classes, b=int(n), f=too_far: isinstance(v, ox.BlankNode) or f(len(v.value), b)))
        for p, (op, name, holds) in _COMPARE.items():
            for bound in self.values(shape, p):
                limit = _number(_ox_term(bound))
                if limit is None:
                    raise UnsupportedShape(f"{self.source}: {p} {bound}: only numeric bounds are supported by the compiled validator")
                out.append((f"{name}ConstraintComponent", f"value is not {op} {bound}",
                            lambda v, classes, b=limit, holds=holds: not _compares(v, b, holds)))
        for head in self.values(shape, SH["or"]):
            branches = []
            for member in self.members(head):
                tests = [t for _, _, t in self.value_tests(member, what)]
                self.check_used(member, f"a member of sh:or in {what}")
                if not tests:
                    raise UnsupportedShape(f"{self.source}: a member of sh:or in {what} has no constraint the compiled validator supports")
                branches.append(tests)
            # a value violates sh:or when it violates some constraint of every member
            out.append(("OrConstraintComponent", "value conforms to none of the sh:or shapes",
                        lambda v, classes, bs=branches: all(any(t(v, classes) for t in b) for b in bs)))
        return out

    def check_used(self, node, what: str) -> None:
        for p, o in self.g.predicate_objects(node):
            if (node, p, o) not in self.used and p not in _ANNOTATIONS:
                raise UnsupportedShape(f"{self.source}: {what} uses {p} ({o}), which the compiled validator does not support")

    def compile(self) -> list[Constraint]:
        constraints: list[Constraint] = []
        shapes = sorted(set(self.g.subjects(RDF.type, SH.NodeShape)) | set(self.g.subjects(SH.targetClass, None)))
        for shape in shapes:
            targets = tuple(str(t) for t in self.values(shape, SH.targetClass))
            if not targets:
                raise UnsupportedShape(f"{self.source}: node shape {shape} has no sh:targetClass (other targets are not supported)")
            for prop in self.values(shape, SH.property):
                path = self.one(prop, SH.path)
                if not isinstance(path, URIRef):
                    raise UnsupportedShape(f"{self.source}: {shape} has a property shape whose sh:path is not a single predicate")
                what = f"the property shape of {shape} on {path}"
                for component, message, test in self.value_tests(prop, what):
                    constraints.append(Constraint(str(shape), targets, str(path), component, message, test=test))
                for n in self.values(prop, SH.minCount):
                    constraints.append(Constraint(str(shape), targets, str(path), "MinCountConstraintComponent",
                                                  f"fewer than {int(n)} values", count=("<", int(n))))
                for n in self.values(prop, SH.maxCount):
                    constraints.append(Constraint(str(shape), targets, str(path), "MaxCountConstraintComponent",
                                                  f"more than {int(n)} values", count=(">", int(n))))
                for flag in self.values(prop, SH.uniqueLang):
                    if not (isinstance(flag, Literal) and flag.datatype == XSD.boolean):
                        raise UnsupportedShape(f"{self.source}: sh:uniqueLang {flag} in {what} is not a boolean")
                    if flag.toPython() is True:
                        constraints.append(Constraint(str(shape), targets, str(path), "UniqueLangConstraintComponent",
                                                      "more than one value in the same language", unique_lang=True))
                self.check_used(prop, what)
            self.check_used(shape, f"node shape {shape}")
        # anything else in the shapes graph that speaks SHACL was not understood
        for s, p, o in self.g:
            if (s, p, o) in self.used or p in _ANNOTATIONS and s in shapes:
                continue
            if str(p).startswith(str(SH)) or (p == RDF.type and str(o).startswith(str(SH))):
                raise UnsupportedShape(f"{self.source}: {s} {p} {o} is not supported by the compiled validator")
        return constraints


def _compares(value, bound, holds) -> bool:
    """SPARQL's `value op bound` for a numeric bound: false when the value is not a number."""
    number = _number(value)
    if number is None:
        return False
    if isinstance(number, float) != isinstance(bound, float):
        number, bound = float(number), float(bound)
    return holds(number, bound)


def compile_shapes(shapes: Graph, source: str = "shapes") -> list[Constraint]:
    """Every constraint of a SHACL shapes graph as a Python test; raises `UnsupportedShape` for
    any SHACL feature not implemented."""
    return _Compiler(shapes, source).compile()


def _superclasses(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Each class named in (subclass, superclass) pairs → itself and every class above it."""
    above: dict[str, set[str]] = {}
    for sub, sup in pairs:
        above.setdefault(sub, set()).add(sup)
    closure = {}
    for cls in above:
        seen, todo = {cls}, [cls]
        while todo:
            for k in above.get(todo.pop(), ()):
                if k not in seen:
                    seen.add(k)
                    todo.append(k)
        closure[cls] = frozenset(seen)
    return closure


_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)


def _index(quads: Iterable) -> dict[str, dict[str, tuple | set]]:
    """subject (N-Triples form for blank nodes, else the IRI) → predicate IRI → its distinct
    objects: a 1-tuple for a single one (most properties: a set for each cost a third of the
    time), else a set. The graph of each quad is ignored: SHACL sees the union of the report's
    graphs."""
    index: dict[str, dict[str, tuple | set]] = {}
    named = ox.NamedNode
    last_key, props = None, {}
    # (get before set: setdefault would build an empty dict and set for every quad; ~1.6x faster;
    # sorted quads come subject by subject, so the subject is looked up only when it changes)
    for q in quads:
        s = q.subject
        key = s.value if type(s) is named else str(s)
        if key != last_key:
            props = index.get(key)
            if props is None:
                props = index[key] = {}
            last_key = key
        p = q.predicate.value
        values = props.get(p)
        if values is None:
            props[p] = (q.object,)
        elif type(values) is tuple:
            props[p] = {values[0], q.object}
        else:
            values.add(q.object)
    return index


class ShapeValidator:
    """The shapes of `ontology_dir` compiled to Python tests, run one report graph at a time
    over an index of its triples (with the ontology's, for its class hierarchy)."""

    def __init__(self, ontology_dir: Path = ONTOLOGY_DIR):
        shapes_path = Path(ontology_dir) / "shapes.ttl"
        shapes = Graph().parse(shapes_path, format="turtle")
        self.constraints = compile_shapes(shapes, str(shapes_path))
        self._ontology = _index(ox.parse(path=str(Path(ontology_dir) / "kg.ttl"), format=ox.RdfFormat.TURTLE))
        self._subclass_pairs = [(s, o.value) for s, ps in self._ontology.items()
                                for o in ps.get(_SUBCLASS, ()) if isinstance(o, ox.NamedNode)]
        self._above = _superclasses(self._subclass_pairs)
        # the plan: for each set of target classes, for each property, its count and value constraints
        plan: dict[tuple[str, ...], dict[str, tuple[list, list]]] = {}
        for c in self.constraints:
            counts, tests = plan.setdefault(c.targets, {}).setdefault(c.path, ([], []))
            # set-level constraints (counts, unique languages) look at all the values at once
            (counts if c.count is not None or c.unique_lang else tests).append(c)
        self._plan = [(frozenset(targets), list(paths.items())) for targets, paths in plan.items()]
        self._applicable: dict[frozenset, list[tuple[str, int, float, list, list]]] = {}
        # ontology nodes that are focus nodes by the ontology alone (checked with every report)
        self._onto_focus = sorted(k for k in self._ontology if self._types(k, {}, self._above) & self._all_targets())

    def _checks_for(self, types: frozenset) -> list[tuple[str, int, float, list, list]]:
        """(path, fewest values, most values, count constraints, value constraints) of every shape
        targeting one of `types`. A number of values within the bounds breaks none of the count
        constraints, which are then not looked at one by one (a uniqueLang constraint makes the
        bounds empty, so it is always looked at)."""
        out = []
        for targets, paths in self._plan:
            if types.isdisjoint(targets):
                continue
            for path, (counts, tests) in paths:
                fewest, most = 0, float("inf")
                for c in counts:
                    if c.unique_lang:
                        fewest, most = 1, 0
                        break
                    op, bound = c.count
                    if op == "<":
                        fewest = max(fewest, bound)
                    else:
                        most = min(most, bound)
                out.append((path, fewest, most, counts, tests))
        return out

    def _all_targets(self) -> frozenset:
        return frozenset(t for targets, _ in self._plan for t in targets)

    def _types(self, key: str, data: dict, above: dict) -> frozenset:
        found: set[str] = set()
        for index in (data, self._ontology):
            for t in index.get(key, {}).get(_TYPE, ()):
                if isinstance(t, ox.NamedNode):
                    found |= above.get(t.value, {t.value})
        return frozenset(found)

    def violations(self, nquads: str | bytes) -> list[Violation]:
        """Every violation in the graph(s) given as N-Quads (or N-Triples), sorted."""
        data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
        return self.violations_of(ox.parse(data, format=ox.RdfFormat.N_QUADS))

    def violations_of(self, quads: Iterable[ox.Quad]) -> list[Violation]:
        """Every violation in these (already parsed) quads, sorted."""
        data = _index(quads)
        onto = self._ontology
        above = self._above
        onto_focus = self._onto_focus
        pairs = [(s, o.value) for s, ps in data.items() for o in ps.get(_SUBCLASS, ()) if isinstance(o, ox.NamedNode)]
        if pairs:   # the report states subclass axioms of its own: SHACL follows them too
            above = _superclasses(self._subclass_pairs + pairs)
            onto_focus = list(onto)
        memo: dict[str, frozenset] = {}

        def classes(node) -> frozenset:
            if isinstance(node, ox.Literal):
                return frozenset()
            key = node.value if isinstance(node, ox.NamedNode) else str(node)
            if key not in memo:
                memo[key] = self._types(key, data, above)
            return memo[key]

        found = set()
        empty: set = set()
        # the checks of each set of classes, found once (a report has a few such sets, and
        # thousands of nodes): kept per validator, since they depend on the shapes alone
        applicable = self._applicable
        for key in [*data, *(k for k in onto_focus if k not in data)]:
            if key not in memo:
                memo[key] = self._types(key, data, above)
            types = memo[key]
            if not types:
                continue
            props = data.get(key, {})
            onto_props = onto.get(key)
            checks = applicable.get(types)
            if checks is None:
                checks = applicable[types] = self._checks_for(types)
            for path, fewest, most, counts, tests in checks:
                values = props.get(path, empty)
                if onto_props:
                    values = {*values, *onto_props.get(path, empty)}
                n = len(values)
                for c in (counts if n < fewest or n > most else ()):
                    if c.unique_lang:
                        langs = [v.language for v in values if isinstance(v, ox.Literal) and v.language]
                        for lang in sorted({t for t in langs if langs.count(t) > 1}):
                            found.add(Violation(key, c.path, c.component, "", f"{c.message} (@{lang})"))
                        continue
                    op, bound = c.count
                    if (n < bound) if op == "<" else (n > bound):
                        found.add(Violation(key, c.path, c.component, "", c.message))
                for c in tests:
                    test = c.test
                    for v in values:
                        if test(v, classes):
                            found.add(Violation(key, c.path, c.component, str(v), c.message))
        return sorted(found)

    def validate(self, graph: str | bytes | list[ox.Quad], name: str) -> None:
        """Raise `ValidationError` listing every violation in `graph` (the graph of report `name`:
        N-Quads text, or its quads already parsed)."""
        found = self.violations_of(graph) if isinstance(graph, list) else self.violations(graph)
        if found:
            raise ValidationError(_summary(name, [str(v) for v in found]), [str(v) for v in found])


def _summary(name: str, lines: list[str]) -> str:
    shown = "\n  ".join(lines[:20])
    more = f"\n  … and {len(lines) - 20} more" if len(lines) > 20 else ""
    return f"{name}: the graph does not conform to the shapes ({len(lines)} violations):\n  {shown}{more}"


@lru_cache(maxsize=2)
def shape_validator(ontology_dir: Path = ONTOLOGY_DIR) -> ShapeValidator:
    """The compiled validator of `ontology_dir`, made once per process."""
    return ShapeValidator(ontology_dir)


# ---- reference: pySHACL -------------------------------------------------------------------

@lru_cache(maxsize=2)
def _shapes(ontology_dir: Path) -> tuple[Graph, Graph]:
    shapes = Graph().parse(ontology_dir / "shapes.ttl", format="turtle")
    ontology = Graph().parse(ontology_dir / "kg.ttl", format="turtle")
    return shapes, ontology


def pyshacl_results(graph: Graph, ontology_dir: Path = ONTOLOGY_DIR) -> list[Violation]:
    """Violations found by pySHACL (the reference implementation), as `Violation` records."""
    import pyshacl  # imported here: it is slow to import and only the reference needs it

    shapes, ontology = _shapes(ontology_dir)
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology,
                                           inference="none", advanced=False, allow_warnings=False)
    out = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        component = report.value(result, SH.sourceConstraintComponent)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        out.add(Violation(str(focus), str(path) if path is not None else "", str(component).rsplit("#", 1)[-1],
                          "" if value is None or isinstance(value, BNode) else value.n3(), str(message)))
    return sorted(out)


def violations(graph: Graph, ontology_dir: Path = ONTOLOGY_DIR) -> list[str]:
    """pySHACL's verdict on an rdflib graph: readable lines, one per SHACL violation
    ("focus — path: message"); empty when it conforms."""
    return sorted(f"<{v.focus}> — <{v.path}>: {v.message}" for v in pyshacl_results(graph, ontology_dir))


def validate(graph: Graph, name: str, ontology_dir: Path = ONTOLOGY_DIR) -> None:
    """Raise `ValidationError` listing every pySHACL violation of `graph` (the report `name`)."""
    found = violations(graph, ontology_dir)
    if found:
        raise ValidationError(_summary(name, found), found)
