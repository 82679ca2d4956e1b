"""Stage 5, validate: check each report's graph against `ontology/shapes.ttl`.

Two validators of the same shapes:

- `ShapeValidator` compiles the shapes into SPARQL queries (one per constraint, each selecting the
  focus nodes that violate it) and runs them on an in-memory Oxigraph store: ~100× faster than
  pySHACL, so it is the one the build uses. It supports the SHACL features our shapes use
  (sh:targetClass; property shapes with a predicate sh:path and sh:class, sh:datatype,
  sh:minCount, sh:maxCount, sh:in, sh:pattern, sh:minLength/maxLength, sh:min/maxInclusive,
  sh:min/maxExclusive, sh:or of such constraints). Any other SHACL term in the shapes file makes
  compiling fail loudly, so a shape is never silently skipped.
- `violations(graph)` runs pySHACL, the reference implementation; the tests check both agree.

Validation runs one report graph at a time (each is self-contained), with `ontology/kg.ttl`
mixed in so that sh:class sees the subclass axioms (a kg:Forum is a kg:Actor).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Constraint:
    """One compiled constraint: a SPARQL SELECT of ?focus (and ?value) that violate it, and its
    parts (the focus node pattern, and the violation test: a FILTER condition on ?value, or a
    comparison of the number of values, "< 1") from which `ShapeValidator` groups the queries."""

    shape: str
    path: str
    component: str
    message: str
    query: str
    focus: str = ""
    test: str = ""


class UnsupportedShape(ValidationError):
    """The shapes file uses a SHACL feature the compiled validator does not implement."""


_ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.order, SH.group}
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.nonNegativeInteger, XSD.positiveInteger,
            XSD.nonPositiveInteger, XSD.negativeInteger, XSD.int, XSD.long, XSD.short, XSD.byte,
            XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
_SIGN = {XSD.nonNegativeInteger: ">= 0", XSD.positiveInteger: "> 0", XSD.nonPositiveInteger: "<= 0",
         XSD.negativeInteger: "< 0", XSD.unsignedInt: ">= 0", XSD.unsignedLong: ">= 0",
         XSD.unsignedShort: ">= 0", XSD.unsignedByte: ">= 0"}
# Oxigraph stores every integer-derived datatype as xsd:integer, which would hide a wrong datatype
# from sh:datatype; before loading, such datatypes are renamed to these stand-ins (then restored).
_DERIVED = sorted(str(t) for t in _SIGN) + [str(XSD.int), str(XSD.long), str(XSD.short), str(XSD.byte)]
_STAND_IN = "urn:x-kg:datatype:"
_RENAMES = [(f"^^<{t}>".encode(), f"^^<{_STAND_IN}{t.rsplit('#', 1)[1]}>".encode()) for t in _DERIVED]


def _stand_in(dt) -> str:
    return f"{_STAND_IN}{str(dt).rsplit('#', 1)[1]}" if str(dt) in _DERIVED else str(dt)


def _restore(value: str) -> str:
    if _STAND_IN in value:
        for old, new in _RENAMES:
            value = value.replace(new.decode(), old.decode())
    return value


# numeric value of ?value, reading a stand-in datatype's lexical form as an integer
_NUMBER = f"IF(STRSTARTS(STR(datatype(?value)), \"{_STAND_IN}\"), xsd:integer(STR(?value)), ?value)"
_CAST = {XSD.boolean, XSD.date, XSD.dateTime, XSD.time}
# xsd:decimal and xsd:integer have no size limit, but Oxigraph holds a decimal up to about 1.7e20 and
# an integer in 64 bits, and its isNumeric() is false beyond: these are checked by lexical form.
_LEXICAL = {XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$", XSD.integer: r"^[+-]?[0-9]+$"}
_GYEAR = r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$"
_COMPARE = {SH.minInclusive: (">=", "MinInclusive"), SH.maxInclusive: ("<=", "MaxInclusive"),
            SH.minExclusive: (">", "MinExclusive"), SH.maxExclusive: ("<", "MaxExclusive")}


def _sparql_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, Literal):
        text = json.dumps(str(t), ensure_ascii=False)   # a valid SPARQL string literal
        if t.language:
            return f"{text}@{t.language}"
        return f"{text}^^<{_stand_in(t.datatype or XSD.string)}>"
    raise UnsupportedShape(f"shapes: blank node or unknown term {t!r} where an IRI or literal is needed")


def _bound(t) -> str:
    """A bound of sh:minInclusive & co. as a SPARQL expression compared by value."""
    if isinstance(t, Literal) and t.datatype is not None and str(t.datatype) in _DERIVED:
        return f"xsd:integer({json.dumps(str(t))})"
    return _sparql_term(t)


class _Compiler:
    """Compiles a shapes graph, recording every triple it reads so that any left over (a SHACL
    feature not implemented) is an error, never a silently skipped constraint."""

    def __init__(self, shapes: Graph, source: str, closure: dict[str, list[str]] | None):
        self.g = shapes
        self.source = source
        self.closure = closure
        self.used: set[tuple] = set()

    def instance_of(self, var: str, classes: list) -> str:
        """Graph pattern: `var` is a SHACL instance of one of `classes` (rdf:type/rdfs:subClassOf*).
        With a closure (subclasses known in advance from the ontology), a plain rdf:type test."""
        cls = f"?cls{var.strip('?')}"   # one variable per use: a NOT EXISTS must not see the outer one
        if self.closure is None:
            return (f"VALUES {cls} {{ {' '.join(f'<{c}>' for c in classes)} }} "
                    f"{var} rdf:type/rdfs:subClassOf* {cls} .")
        known = sorted({k for c in classes for k in self.closure.get(str(c), [str(c)])})
        if len(known) == 1:
            return f"{var} rdf:type <{known[0]}> ."
        return f"VALUES {cls} {{ {' '.join(f'<{k}>' for k in known)} }} {var} rdf:type {cls} ."

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

    def value_conditions(self, shape, what: str) -> list[tuple[str, str, str]]:
        """(component, message, SPARQL condition true when ?value violates) for each value-level
        constraint of `shape`."""
        out = []
        for cls in self.values(shape, SH["class"]):
            out.append(("ClassConstraintComponent", f"value is not an instance of <{cls}>",
                        f"NOT EXISTS {{ {self.instance_of('?value', [cls])} }}"))
        for dt in self.values(shape, SH.datatype):
            if dt == RDF.langString:
                ok = "isLiteral(?value) && lang(?value) != \"\""
            else:
                ok = f"isLiteral(?value) && datatype(?value) = <{_stand_in(dt)}>"
                if str(dt) in _DERIVED:
                    ok += (' && REGEX(STR(?value), "^[+-]?[0-9]+$")'
                           + (f" && xsd:integer(STR(?value)) {_SIGN[dt]}" if dt in _SIGN else ""))
                elif dt in _LEXICAL:
                    ok += f" && REGEX(STR(?value), {json.dumps(_LEXICAL[dt])})"
                elif dt in _NUMERIC:
                    ok += " && isNumeric(?value)"
                elif dt in _CAST:
                    ok += f" && COALESCE(sameTerm(<{dt}>(?value), <{dt}>(?value)), false)"
                elif dt == XSD.gYear:
                    ok += f" && REGEX(STR(?value), {json.dumps(_GYEAR)})"
                elif dt != XSD.string:
                    raise UnsupportedShape(f"{self.source}: sh:datatype <{dt}> is not supported by the compiled validator")
            out.append(("DatatypeConstraintComponent", f"value does not have datatype <{dt}>", f"!({ok})"))
        for head in self.values(shape, SH["in"]):
            allowed = self.members(head)
            test = " || ".join(f"sameTerm(?value, {_sparql_term(v)})" for v in allowed) or "false"
            out.append(("InConstraintComponent", "value is not in " + ", ".join(_sparql_term(v) for v in allowed), f"!({test})"))
        for pattern in self.values(shape, SH.pattern):
            flags = self.one(shape, SH.flags)
            flag_arg = f", {json.dumps(str(flags))}" if flags is not None else ""
            out.append(("PatternConstraintComponent", f"value does not match {json.dumps(str(pattern))}",
                        f"isBlank(?value) || !REGEX(STR(?value), {json.dumps(str(pattern))}{flag_arg})"))
        for p, (op, name) in ((SH.minLength, ("<", "MinLength")), (SH.maxLength, (">", "MaxLength"))):
            for n in self.values(shape, p):
                out.append((f"{name}ConstraintComponent", f"{name} {int(n)}",
                            f"isBlank(?value) || STRLEN(STR(?value)) {op} {int(n)}"))
        for p, (op, name) in _COMPARE.items():
            for bound in self.values(shape, p):
                out.append((f"{name}ConstraintComponent", f"value is not {op} {bound}",
                            f"!COALESCE({_NUMBER} {op} {_bound(bound)}, false)"))
        for head in self.values(shape, SH["or"]):
            branches = []
            for member in self.members(head):
                conditions = self.value_conditions(member, what)
                self.check_used(member, f"a member of sh:or in {what}")
                if not conditions:
                    raise UnsupportedShape(f"{self.source}: a member of sh:or in {what} has no constraint the compiled validator supports")
                branches.append("(" + " || ".join(f"({c})" for _, _, c in conditions) + ")")
            out.append(("OrConstraintComponent", "value conforms to none of the sh:or shapes", " && ".join(branches)))
        return out

    def check_used(self, node, what: str) -> None:
        for p, o in self.g.predicate_objects(node):
            if (node, p, o) not in self.used and p not in _ANNOTATIONS:
                raise UnsupportedShape(f"{self.source}: {what} uses {p} ({o}), which the compiled validator does not support")

    def compile(self) -> list[Constraint]:
        constraints: list[Constraint] = []
        shapes = sorted(set(self.g.subjects(RDF.type, SH.NodeShape)) | set(self.g.subjects(SH.targetClass, None)))
        for shape in shapes:
            targets = self.values(shape, SH.targetClass)
            if not targets:
                raise UnsupportedShape(f"{self.source}: node shape {shape} has no sh:targetClass (other targets are not supported)")
            focus = self.instance_of("?focus", targets)
            for prop in self.values(shape, SH.property):
                path = self.one(prop, SH.path)
                if not isinstance(path, URIRef):
                    raise UnsupportedShape(f"{self.source}: {shape} has a property shape whose sh:path is not a single predicate")
                what = f"the property shape of {shape} on {path}"
                p = f"<{path}>"
                for component, message, condition in self.value_conditions(prop, what):
                    query = (f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} ?focus {p} ?value . "
                             f"FILTER({condition}) }}")
                    constraints.append(Constraint(str(shape), str(path), component, message, query, focus, condition))
                for n in self.values(prop, SH.minCount):
                    n = int(n)
                    if n == 1:
                        query = f"SELECT DISTINCT ?focus WHERE {{ {focus} FILTER NOT EXISTS {{ ?focus {p} ?v }} }}"
                    else:
                        query = (f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} "
                                 f"OPTIONAL {{ ?focus {p} ?v }} }} GROUP BY ?focus }} FILTER(?n < {n}) }}")
                    constraints.append(Constraint(str(shape), str(path), "MinCountConstraintComponent", f"fewer than {n} values",
                                                  query, focus, f"< {n}"))
                for n in self.values(prop, SH.maxCount):
                    n = int(n)
                    query = (f"SELECT ?focus WHERE {{ {{ SELECT ?focus (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} "
                             f"?focus {p} ?v }} GROUP BY ?focus }} FILTER(?n > {n}) }}")
                    constraints.append(Constraint(str(shape), str(path), "MaxCountConstraintComponent", f"more than {n} values",
                                                  query, focus, f"> {n}"))
                self.check_used(prop, what)
            self.check_used(shape, f"node shape {shape}")
        # anything else in the shapes graph that speaks SHACL was not understood
        for s, p, o in self.g:
            if (s, p, o) in self.used or p in _ANNOTATIONS and s in shapes:
                continue
            if str(p).startswith(str(SH)) or (p == RDF.type and str(o).startswith(str(SH))):
                raise UnsupportedShape(f"{self.source}: {s} {p} {o} is not supported by the compiled validator")
        return constraints


_COUNTS = ("MinCountConstraintComponent", "MaxCountConstraintComponent")
_PREAMBLE = ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> ")


def compile_shapes(shapes: Graph, source: str = "shapes", closure: dict[str, list[str]] | None = None) -> list[Constraint]:
    """Every constraint of a SHACL shapes graph as a SPARQL query; raises `UnsupportedShape`
    for any SHACL feature not implemented. `closure` maps a class to all its subclasses (itself
    included) when they are known in advance; without it, queries follow rdfs:subClassOf*."""
    return _Compiler(shapes, source, closure).compile()


def subclass_closure(ontology: Graph) -> dict[str, list[str]]:
    """Each class of `ontology` → itself and every class below it (rdfs:subClassOf*)."""
    below: dict[str, set[str]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        below.setdefault(str(sup), set()).add(str(sub))
    closure = {}
    for cls in set(below) | {str(s) for s in ontology.subjects(RDFS.subClassOf, None)}:
        seen, todo = {cls}, [cls]
        while todo:
            for k in below.get(todo.pop(), ()):
                if k not in seen:
                    seen.add(k)
                    todo.append(k)
        closure[cls] = sorted(seen)
    return closure


class ShapeValidator:
    """The shapes of `ontology_dir` compiled to SPARQL, run on Oxigraph one report graph at a time.

    All constraints run as one SPARQL query (a UNION of one branch per constraint), which costs
    a few milliseconds per report. Class membership uses the subclass closure of the ontology,
    computed in advance; a report graph that states rdfs:subClassOf itself is checked with
    queries that follow rdfs:subClassOf* instead."""

    def __init__(self, ontology_dir: Path = ONTOLOGY_DIR):
        shapes_path = Path(ontology_dir) / "shapes.ttl"
        shapes = Graph().parse(shapes_path, format="turtle")
        ontology_graph = Graph().parse(Path(ontology_dir) / "kg.ttl", format="turtle")
        self.constraints = compile_shapes(shapes, str(shapes_path), subclass_closure(ontology_graph))
        self._fast = self._grouped(self.constraints)
        self._exact = self._grouped(compile_shapes(shapes, str(shapes_path)))
        ontology = ox.Store()
        ontology.load(path=str(Path(ontology_dir) / "kg.ttl"), format=ox.RdfFormat.TURTLE)
        # the ontology's triples, loaded with each report (kept as N-Quads: the fastest to load)
        self._ontology = ox.serialize(ontology.quads_for_pattern(None, None, None, ox.DefaultGraph()),
                                      format=ox.RdfFormat.N_QUADS)

    @staticmethod
    def _grouped(constraints: list[Constraint]) -> list[str]:
        """Two queries per node shape, each selecting ?k (the constraint's index) with ?focus:
        one for the value constraints (one pass over the shape's values), one for the counts."""
        by_shape: dict[str, list[tuple[int, Constraint]]] = {}
        for k, c in enumerate(constraints):
            by_shape.setdefault(c.shape, []).append((k, c))
        queries = []
        for members in by_shape.values():
            focus = members[0][1].focus
            values = [(k, c) for k, c in members if c.component not in _COUNTS]
            counts = [(k, c) for k, c in members if c.component in _COUNTS]
            # one UNION branch per property (a constant predicate, so each branch is an index lookup)
            paths: dict[str, list[tuple[int, Constraint]]] = {}
            for k, c in values:
                paths.setdefault(c.path, []).append((k, c))
            if paths:
                branches = " UNION ".join(
                    f"{{ ?focus <{path}> ?value . VALUES ?k {{ {' '.join(str(k) for k, _ in group)} }} "
                    f"FILTER({' || '.join(f'(?k = {k} && ({c.test}))' for k, c in group)}) }}"
                    for path, group in paths.items())
                queries.append(f"{_PREAMBLE}SELECT DISTINCT ?k ?focus ?value WHERE {{ {focus} {branches} }}")
            if counts:
                # one pass over the shape's focus nodes, counting the values of every path at once
                # (one OPTIONAL per path); a row for each focus node breaking a count, the
                # constraints it breaks read back from ?n<k>
                paths = sorted({c.path for _, c in counts})
                var = {path: f"?v{i}" for i, path in enumerate(paths)}
                optionals = " ".join(f"OPTIONAL {{ ?focus <{path}> {var[path]} }}" for path in paths)
                aggregates = " ".join(f"(COUNT(DISTINCT {var[c.path]}) AS ?n{k})" for k, c in counts)
                having = " || ".join(f"COUNT(DISTINCT {var[c.path]}) {c.test}" for k, c in counts)
                queries.append(f"{_PREAMBLE}SELECT ?focus {aggregates} WHERE {{ {focus} {optionals} }} "
                               f"GROUP BY ?focus HAVING({having})")
        return queries

    def violations(self, nquads: str | bytes) -> list[Violation]:
        """Every violation in the graph(s) given as N-Quads (or N-Triples), sorted."""
        data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
        for old, new in _RENAMES:
            if old in data:
                data = data.replace(old, new)
        store = ox.Store()
        store.load(self._ontology, format=ox.RdfFormat.N_QUADS)
        store.load(data, format=ox.RdfFormat.N_QUADS)
        queries = self._exact if b"rdf-schema#subClassOf>" in data else self._fast
        found = set()
        for query in queries:
            result = store.query(query, use_default_graph_as_union=True)
            names = [v.value for v in result.variables]
            for row in result:
                focus = row["focus"]
                focus = focus.value if isinstance(focus, ox.NamedNode) else str(focus)
                if "k" in names:      # a value constraint: ?k names it, ?value the value
                    c = self.constraints[int(row["k"].value)]
                    found.add(Violation(focus, c.path, c.component, _restore(str(row["value"])), c.message))
                    continue
                for name in names[1:]:   # counts: ?n<k> per count constraint of the shape
                    c = self.constraints[int(name[1:])]
                    n, bound = int(row[name].value), int(c.test.split()[1])
                    if (n < bound) if c.test.startswith("<") else (n > bound):
                        found.add(Violation(focus, c.path, c.component, "", c.message))
        return sorted(found)

    def validate(self, nquads: str | bytes, name: str) -> None:
        """Raise `ValidationError` listing every violation in `nquads` (the graph of report `name`)."""
        found = self.violations(nquads)
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
