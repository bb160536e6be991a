"""Checks FHIR resources written by `ldn fhir` (or by LHC-Forms against our Questionnaire).

Each file is parsed and validated by the PyPI package fhir.resources, whose R4B models check
every element's name, type and cardinality. It does not check coded values against the
required value sets, nor that references and linkIds point anywhere; those are checked here:

- codes bound to required value sets (item types, statuses, severities...) are valid;
- in a Questionnaire, linkIds are unique, every enableWhen names an item before it and an
  answer that item offers, and every enableWhenExpression names items that exist;
- in a QuestionnaireResponse, every item is one of the Questionnaire's, in the same place,
  answered with a value of the item's type (a coding it offers);
- in a Bundle, every reference resolves to an entry or a contained resource, and every
  resource carries the rule-set version in meta.tag.

usage: check_resources.py --questionnaire Q.json FILE...
"""

import argparse
import json
import re
import sys

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

MODELS = {
    "Bundle": Bundle,
    "Questionnaire": Questionnaire,
    "QuestionnaireResponse": QuestionnaireResponse,
}
RULES_VERSION_SYSTEM = "urn:ldn-intake:fhir:rules-version"

# Required bindings in FHIR R4 for the elements we write.
REQUIRED = {
    ("Questionnaire", "status"): {"draft", "active", "retired", "unknown"},
    ("QuestionnaireResponse", "status"): {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"},
    ("DetectedIssue", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"},
    ("DetectedIssue", "severity"): {"high", "moderate", "low"},
    ("RiskAssessment", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"},
    ("MedicationStatement", "status"): {"active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"},
    ("DocumentReference", "status"): {"current", "superseded", "entered-in-error"},
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
    ("Bundle", "type"): {"document", "message", "transaction", "transaction-response", "batch", "batch-response", "history", "searchset", "collection"},
}
ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text", "url", "choice", "open-choice", "attachment", "reference", "quantity"}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}
VALUE_KEY = {
    "boolean": "valueBoolean",
    "decimal": "valueDecimal",
    "integer": "valueInteger",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "string": "valueString",
    "text": "valueString",
    "choice": "valueCoding",
}

problems = []


def problem(where, message):
    problems.append(f"{where}: {message}")


def check_codes(where, resource):
    kind = resource.get("resourceType")
    for (rtype, field), allowed in REQUIRED.items():
        if rtype == kind and field in resource and resource[field] not in allowed:
            problem(where, f"{kind}.{field} {resource[field]!r} is not one of the required codes")


def questionnaire_items(questionnaire):
    """linkId -> (item, parent linkId), in document order."""
    items = {}

    def walk(parent, children):
        for item in children or []:
            link = item["linkId"]
            if link in items:
                problem("Questionnaire", f"linkId {link!r} repeats")
            items[link] = (item, parent)
            walk(link, item.get("item"))

    walk(None, questionnaire.get("item"))
    return items


def check_questionnaire(where, questionnaire):
    items = questionnaire_items(questionnaire)
    before = set()
    for link, (item, _) in items.items():
        if item.get("type") not in ITEM_TYPES:
            problem(where, f"{link}: type {item.get('type')!r} is not an item type")
        if item.get("enableBehavior") not in (None, "all", "any"):
            problem(where, f"{link}: enableBehavior {item['enableBehavior']!r}")
        for condition in item.get("enableWhen", []):
            target = condition.get("question")
            if condition.get("operator") not in OPERATORS:
                problem(where, f"{link}: enableWhen operator {condition.get('operator')!r}")
            if target not in before:
                problem(where, f"{link}: enableWhen names {target!r}, not an item before it")
                continue
            if "answerCoding" in condition:
                offered = {o["valueCoding"]["code"] for o in items[target][0].get("answerOption", []) if "valueCoding" in o}
                if condition["answerCoding"].get("code") not in offered:
                    problem(where, f"{link}: enableWhen waits for {condition['answerCoding'].get('code')!r}, which {target} never offers")
        for extension in item.get("extension", []):
            if extension.get("url", "").endswith("enableWhenExpression"):
                named = re.findall(r"'([^']*)'", extension["valueExpression"]["expression"])
                if not named:
                    problem(where, f"{link}: enableWhenExpression names no item")
                for name in named:
                    if name not in items:
                        problem(where, f"{link}: enableWhenExpression names {name!r}, not an item")
        before.add(link)


def check_response(where, response, questionnaire):
    items = questionnaire_items(questionnaire)
    url = questionnaire["url"]
    if (response.get("questionnaire") or "").split("|")[0] != url:
        problem(where, f"answers {response.get('questionnaire')!r}, not {url}")

    def walk(parent, children):
        for item in children or []:
            link = item.get("linkId")
            if link not in items:
                problem(where, f"item {link!r} is not in the Questionnaire")
                continue
            definition, expected_parent = items[link]
            if expected_parent != parent:
                problem(where, f"item {link!r} is under {parent!r}, not {expected_parent!r}")
            answers = item.get("answer", [])
            if len(answers) > 1 and not definition.get("repeats"):
                problem(where, f"item {link!r} has {len(answers)} answers and does not repeat")
            key = VALUE_KEY.get(definition["type"])
            for answer in answers:
                if key is None or key not in answer:
                    problem(where, f"item {link!r} ({definition['type']}) answered with {sorted(answer)}")
                    continue
                if key == "valueCoding":
                    offered = {o["valueCoding"]["code"] for o in definition.get("answerOption", [])}
                    if answer[key].get("code") not in offered:
                        problem(where, f"item {link!r}: {answer[key].get('code')!r} is not an answer it offers")
                walk(link, answer.get("item"))
            walk(link, item.get("item"))

    walk(None, response.get("item"))


def references(value, out):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                out.append(inner)
            else:
                references(inner, out)
    elif isinstance(value, list):
        for inner in value:
            references(inner, out)


def check_bundle(where, bundle, questionnaire):
    urls = {entry["fullUrl"] for entry in bundle.get("entry", [])}
    for i, entry in enumerate(bundle.get("entry", [])):
        resource = entry["resource"]
        here = f"{where} entry {i} ({resource['resourceType']})"
        check_codes(here, resource)
        tags = resource.get("meta", {}).get("tag", [])
        if not any(t.get("system") == RULES_VERSION_SYSTEM for t in tags):
            problem(here, "has no rules-version tag")
        if entry.get("request", {}).get("url") != resource["resourceType"]:
            problem(here, "request.url is not the resource type")
        contained = {c.get("id") for c in resource.get("contained", [])}
        found = []
        # A DetectedIssue's own `reference` is the URL of its authority, not a Reference.
        references({k: v for k, v in resource.items() if k != "reference"}, found)
        for ref in found:
            if ref not in urls and not (ref.startswith("#") and ref[1:] in contained):
                problem(here, f"reference {ref!r} resolves to nothing in the Bundle")
        if resource["resourceType"] == "QuestionnaireResponse":
            check_response(here, resource, questionnaire)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--questionnaire", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    with open(args.questionnaire) as f:
        questionnaire = json.load(f)
    counts = {}
    for path in [args.questionnaire] + args.files:
        with open(path) as f:
            data = json.load(f)
        kind = data.get("resourceType")
        model = MODELS.get(kind)
        if model is None:
            problem(path, f"unexpected resourceType {kind!r}")
            continue
        try:
            model.model_validate(data)
        except Exception as error:  # pydantic's ValidationError lists every bad element
            problem(path, f"fhir.resources (R4B) refuses it:\n{error}")
            continue
        check_codes(path, data)
        if kind == "Questionnaire":
            check_questionnaire(path, data)
        elif kind == "QuestionnaireResponse":
            check_response(path, data, questionnaire)
        else:
            check_bundle(path, data, questionnaire)
            for entry in data.get("entry", []):
                rtype = entry["resource"]["resourceType"]
                counts[rtype] = counts.get(rtype, 0) + 1
        counts[kind] = counts.get(kind, 0) + 1
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"FHIR check: {len(problems)} problem(s)", file=sys.stderr)
        sys.exit(1)
    shown = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    print(f"FHIR check: valid (fhir.resources R4B, bindings, links): {shown}")


if __name__ == "__main__":
    main()
