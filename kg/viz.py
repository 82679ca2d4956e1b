"""The RDF graph projected to networkx, and drawn as a self-contained HTML page with pyvis.

`project(graph)` makes a networkx DiGraph of reports, actors, topics and commitments with typed,
labelled edges; `to_html(nx_graph)` draws it. The page embeds vis-network inline and keeps no
reference to a CDN, so it opens from disk on a machine with no network.
"""
from __future__ import annotations

import re
import textwrap

import networkx as nx
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from .vocab import KG

COLOURS = {"report": "#4c72b0", "actor": "#dd8452", "topic": "#55a868", "commitment": "#c44e52"}
SHAPES = {"report": "box", "actor": "dot", "topic": "diamond", "commitment": "triangle"}


def _label(g: Graph, node) -> str:
    for p in (SKOS.prefLabel,):
        labels = sorted(g.objects(node, p), key=lambda lit: (getattr(lit, "language", "") != "en", str(lit)))
        if labels:
            return str(labels[0])
    return str(node).rsplit("/", 1)[-1]


def project(g: Graph) -> nx.DiGraph:
    """Reports, actors, topics and commitments as a networkx DiGraph (node attribute `kind`,
    edge attribute `relation`), built in sorted order so that drawing it is deterministic."""
    from rdflib.namespace import DCTERMS

    out = nx.DiGraph()
    reports = sorted(g.subjects(RDF.type, KG.Report))
    for r in reports:
        titles = sorted(g.objects(r, DCTERMS.title), key=lambda lit: (lit.language != "en", str(lit)))
        out.add_node(str(r), kind="report", label=str(titles[0]) if titles else str(r), title=str(titles[0]) if titles else "")
    sentence_report = {s: g.value(s, KG.report) for s in g.subjects(RDF.type, KG.Sentence)}
    for c in sorted(g.subjects(RDF.type, KG.Commitment)):
        sentence = g.value(c, KG.sentence)
        text = re.sub(r"\s+", " ", str(g.value(c, KG.text)))
        report = sentence_report.get(sentence)
        source = out.nodes[str(report)]["label"] if report is not None and str(report) in out else ""
        out.add_node(str(c), kind="commitment", label=str(g.value(c, KG.modality)),
                     title="\n".join(textwrap.wrap(text, 70)) + (f"\n\n— {source}" if source else ""))
        if report is not None:
            out.add_edge(str(c), str(report), relation="stated in")
        for a in sorted(g.objects(c, KG.agent)):
            if str(a) not in out:
                out.add_node(str(a), kind="actor", label=_label(g, a), title=_label(g, a))
            out.add_edge(str(a), str(c), relation="commits")
        for t in sorted(g.objects(c, KG.topic)):
            if str(t) not in out:
                out.add_node(str(t), kind="topic", label=_label(g, t), title=_label(g, t))
            out.add_edge(str(c), str(t), relation="about")
    # mention counts size the actor and topic nodes
    counts: dict[str, int] = {}
    for m in g.subjects(RDF.type, KG.Mention):
        target = str(g.value(m, KG.refersTo))
        counts[target] = counts.get(target, 0) + 1
    for node, data in out.nodes(data=True):
        data["mentions"] = counts.get(node, 0)
    return out


def to_html(graph: nx.DiGraph, heading: str = "kg: who commits to what, on which topic") -> str:
    """A self-contained pyvis page of `graph` (no network access needed to open it)."""
    from pyvis.network import Network

    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        kind = data["kind"]
        size = 10 + min(30, 2 * data.get("mentions", 0)) if kind in {"actor", "topic"} else 12
        net.add_node(node, label=data["label"][:40], title=f"{kind}: {data.get('title') or data['label']}",
                     color=COLOURS[kind], shape=SHAPES[kind], size=size, group=kind)
    for a, b in sorted(graph.edges):
        net.add_edge(a, b, label=graph.edges[a, b]["relation"], title=graph.edges[a, b]["relation"], arrows="to")
    net.set_options("""{
      "layout": {"randomSeed": 7},
      "physics": {"solver": "forceAtlas2Based", "stabilization": {"enabled": true, "iterations": 300}},
      "edges": {"font": {"size": 9}, "smooth": false},
      "interaction": {"hover": true, "navigationButtons": false}
    }""")
    html = net.generate_html()
    # pyvis links Bootstrap from a CDN even in "in_line" mode, and keeps a commented link to a local
    # node_modules copy: drop both, the page uses neither.
    html = re.sub(r"<link\s[^>]*href=\"https?://[^\"]*\"[^>]*/?>", "", html)
    html = re.sub(r"<script\s[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", "", html)
    html = re.sub(r"<!--\s*<link rel=\"stylesheet\" href=\"\.\./node_modules.*?-->", "", html, flags=re.S)
    legend = "".join(f'<span style="margin-right:1.2em"><span style="display:inline-block;width:.9em;height:.9em;'
                     f'background:{c};margin-right:.3em"></span>{k}</span>' for k, c in COLOURS.items())
    banner = (f'<div style="font-family:sans-serif;padding:.5em"><b>{heading}</b> — '
              f'{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges. {legend}</div>')
    return html.replace("<body>", "<body>\n" + banner, 1)
