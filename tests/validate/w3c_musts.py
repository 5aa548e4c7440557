#!/usr/bin/env python3
"""Check a factmark W3C export against the W3C Web Annotation test suite's MUST assertions.

Usage: w3c_musts.py SUITE_DIR EXPORT.jsonld

SUITE_DIR is ../shared/validators/web-annotation-tests. Every annotation of the exported
AnnotationCollection (or the single annotation, or a JSON array of annotations) is validated
against each assertion listed in annotations/annotationMusts.test, with format checking on;
an assertion fails when the outcome differs from its expectedResult. Prints one line per
failure and exits 1 if there was any.
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

BASE = "https://web-annotation-tests.invalid/"


def load_registry(suite):
    resources = []
    for path in sorted((suite / "definitions").glob("*.json")) + sorted(
        (suite / "annotations").rglob("*.json")
    ):
        schema = json.loads(path.read_text(encoding="utf-8"))
        # Each schema names itself by a flat file name; give them all one base so the
        # relative "$ref": "id.json#/..." forms resolve.
        resources.append((BASE + schema["id"], Resource.from_contents(schema, DRAFT4)))
    return Registry().with_resources(resources)


def annotations_of(doc):
    if isinstance(doc, list):
        return doc
    if doc.get("type") == "AnnotationCollection":
        first = doc.get("first", {})
        return first.get("items", []) if isinstance(first, dict) else []
    return [doc]


def main():
    suite = pathlib.Path(sys.argv[1])
    doc = json.loads(pathlib.Path(sys.argv[2]).read_text(encoding="utf-8"))
    registry = load_registry(suite)
    musts = json.loads((suite / "annotations" / "annotationMusts.test").read_text("utf-8"))
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    annotations = annotations_of(doc)
    if not annotations:
        print("no annotations in the export")
        return 1
    failures = 0
    for assertion in musts["assertions"]:
        schema = json.loads((suite / assertion).read_text(encoding="utf-8"))
        uri = BASE + schema["id"]
        validator = jsonschema.Draft4Validator(
            {"$ref": uri}, registry=registry, format_checker=checker
        )
        for anno in annotations:
            # Each annotation must stand alone: it carries its own @context in the check.
            anno = dict(anno)
            anno.setdefault("@context", doc.get("@context") if isinstance(doc, dict) else None)
            valid = validator.is_valid(anno)
            if valid != (schema["expectedResult"] == "valid"):
                failures += 1
                print(f"{anno.get('id')}: {assertion}: {schema['errorMessage']}")
    print(f"{len(annotations)} annotations, {len(musts['assertions'])} assertions, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
