#!/usr/bin/env python3
"""Check that JSON-LD processing keeps every term of a factmark export.

Usage: jsonld_check.py CONTEXTS_DIR EXPORT.jsonld

The W3C anno context and schema.org's context are served from CONTEXTS_DIR (offline). Every
property name and every @type value used anywhere in the export must expand to an absolute
IRI under the document's context; a term the context does not define would be silently
dropped by JSON-LD processors (and by anything that reads the export as RDF). Every @id and
IRI-valued term must also be a valid absolute IRI. A `factmark:` property must expand under
the `factmark` prefix the document's own context defines (FACTMARK_NS), not be read as an
unknown URI scheme. Prints one line per problem; exits 1 if any.
"""
import json
import pathlib
import sys

from pyld import jsonld
import rfc3987

# What factmark's W3C export defines the `factmark` prefix as (src/export/w3c.rs).
FACTMARK_NS = "urn:factmark:"

CONTEXTS = {
    "http://www.w3.org/ns/anno.jsonld": "anno.jsonld",
    "https://www.w3.org/ns/anno.jsonld": "anno.jsonld",
    "http://schema.org": "schemaorgcontext.jsonld",
    "http://schema.org/": "schemaorgcontext.jsonld",
    "https://schema.org": "schemaorgcontext.jsonld",
    "https://schema.org/": "schemaorgcontext.jsonld",
}


def loader_for(folder):
    def load(url, options=None):
        name = CONTEXTS.get(url)
        if name is None:
            raise jsonld.JsonLdError(f"not offline: {url}", "loading document failed")
        doc = json.loads((folder / name).read_text(encoding="utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": doc}

    return load


def walk(node, context, out):
    """Collect (key, context-in-force) and (type, context) pairs."""
    if isinstance(node, list):
        for child in node:
            walk(child, context, out)
        return
    if not isinstance(node, dict):
        return
    if "@context" in node:
        local = node["@context"]
        context = (context if isinstance(context, list) else [context]) + (
            local if isinstance(local, list) else [local]
        ) if context else local
    for key, value in node.items():
        if key == "@context":
            continue
        if key in ("@type", "type"):
            for t in value if isinstance(value, list) else [value]:
                out.append(("type", t, context))
        elif not key.startswith("@"):
            out.append(("key", key, context))
        if key in ("@id", "id") and isinstance(value, str):
            out.append(("iri", value, context))
        walk(value, context, out)


def main():
    folder = pathlib.Path(sys.argv[1])
    doc = json.loads(pathlib.Path(sys.argv[2]).read_text(encoding="utf-8"))
    options = {"documentLoader": loader_for(folder)}
    uses = []
    for top in doc if isinstance(doc, list) else [doc]:
        walk(top, None, uses)
    problems, seen = [], set()
    for kind, term, context in uses:
        key = (kind, term, json.dumps(context))
        if key in seen:
            continue
        seen.add(key)
        if kind == "iri":
            if rfc3987.match(term, rule="IRI") is None:
                problems.append(f"id {term!r} is not an absolute IRI")
            continue
        # The marker type keeps a probe node alive when the term is an alias for @id.
        marker = "https://factmark.invalid/Probe"
        probe = {"@context": context, "@type": marker}
        probe[term if kind == "key" else "@type"] = "x" if kind == "key" else [term, marker]
        expanded = jsonld.expand(probe, options)
        node = expanded[0] if expanded else {}
        if kind == "type":
            got = [t for t in node.get("@type", []) if t != marker]
        else:
            got = [k for k in node if k != "@type"]
        if not got:
            problems.append(f"{kind} {term!r} is dropped by JSON-LD processing (not in the context)")
        elif any(not g.startswith("@") and rfc3987.match(g, rule="IRI") is None for g in got):
            problems.append(f"{kind} {term!r} does not expand to an absolute IRI: {got}")
        elif term.startswith("factmark:") and not all(g.startswith(FACTMARK_NS) for g in got):
            problems.append(
                f"{kind} {term!r} expands to {got}: the context does not define the "
                f"factmark prefix as {FACTMARK_NS}"
            )
    try:
        jsonld.to_rdf(doc, options)
    except jsonld.JsonLdError as e:
        problems.append(f"JSON-LD to RDF failed: {e}")
    for p in problems:
        print(p)
    print(f"{len(seen)} terms checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
