#!/usr/bin/env python3
"""Check a factmark ClaimReview export against schema.org's vocabulary and Google's rules.

Usage: schemaorg.py VOCABULARY.jsonld EXPORT.jsonld

For every node of the export: each @type must be a schema.org class; each property must
exist, have the node's type (or one of its supertypes) in its domainIncludes, and not be
superseded. Each ClaimReview must carry what Google's ClaimReview guidelines require
(claimReviewed, reviewRating with alternateName, url) and a ratingValue inside
worstRating..bestRating when it has one. Prints one line per problem; exits 1 if any.
"""
import json
import pathlib
import sys

PREFIX = "schema:"


def load_vocabulary(path):
    graph = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))["@graph"]
    classes, properties, parents = set(), {}, {}

    def ids(value):
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        return [v["@id"][len(PREFIX):] for v in items if v["@id"].startswith(PREFIX)]

    for node in graph:
        name = node["@id"][len(PREFIX):]
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in types:
            classes.add(name)
            parents[name] = ids(node.get("rdfs:subClassOf"))
        if "rdf:Property" in types:
            properties[name] = {
                "domain": set(ids(node.get("schema:domainIncludes"))),
                "superseded": bool(node.get("schema:supersededBy")),
            }
    return classes, properties, parents


def ancestors(cls, parents):
    seen, todo = set(), [cls]
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.add(c)
            todo.extend(parents.get(c, []))
    return seen


def check_node(node, where, vocab, problems):
    classes, properties, parents = vocab
    types = node.get("@type")
    types = types if isinstance(types, list) else [types] if types else []
    if not types:
        problems.append(f"{where}: node without @type")
    lineage = set()
    for t in types:
        if t not in classes:
            problems.append(f"{where}: @type {t!r} is not a schema.org class")
        lineage |= ancestors(t, parents)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        prop = properties.get(key)
        if prop is None:
            problems.append(f"{where}: {key!r} is not a schema.org property")
        else:
            if prop["superseded"]:
                problems.append(f"{where}: {key!r} is superseded")
            if lineage and not (prop["domain"] & lineage):
                problems.append(f"{where}: {key!r} is not a property of {'/'.join(types)}")
        for i, child in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(child, dict):
                check_node(child, f"{where}.{key}[{i}]", vocab, problems)


def check_claim_review(review, where, problems):
    for key in ("claimReviewed", "reviewRating", "url"):
        if key not in review:
            problems.append(f"{where}: ClaimReview without {key!r} (Google requires it)")
    rating = review.get("reviewRating", {})
    if "alternateName" not in rating:
        problems.append(f"{where}: reviewRating without alternateName")
    if "ratingValue" in rating:
        value = float(rating["ratingValue"])
        worst = float(rating.get("worstRating", 1))
        best = float(rating.get("bestRating", 5))
        if not worst <= value <= best:
            problems.append(f"{where}: ratingValue {value} outside {worst}..{best}")


def main():
    vocab = load_vocabulary(sys.argv[1])
    doc = json.loads(pathlib.Path(sys.argv[2]).read_text(encoding="utf-8"))
    nodes = doc if isinstance(doc, list) else doc.get("@graph", [doc])
    problems = []
    reviews = 0
    for i, node in enumerate(nodes):
        check_node(node, f"[{i}]", vocab, problems)
        if node.get("@type") == "ClaimReview":
            reviews += 1
            check_claim_review(node, f"[{i}]", problems)
    if reviews == 0:
        problems.append("no ClaimReview in the export")
    for p in problems:
        print(p)
    print(f"{reviews} ClaimReviews, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
