#!/usr/bin/env python3
"""Checks template.yaml with the real tools of the machine image: cfn-lint and the SAM translator.

Run by TemplateToolsIT (./mvnw -B verify); also fine by hand:

    python3 src/it/scripts/check-template.py template.yaml src/test/resources/template/parameter-samples.json

What it checks, generically, so new parameters, conditions and resources are covered without editing this script:

1. cfn-lint finds nothing (no error, no warning) in the template as written.
2. Every String parameter has an AllowedPattern or AllowedValues, every Number parameter AllowedValues or bounds;
   each parameter with an AllowedPattern has samples in the samples file, every accepted sample matches the pattern
   and every rejected sample doesn't (CloudFormation patterns are Java regular expressions; the ones used here mean
   the same in Python).
3. Every condition is made true and false by some assignment of parameter values (defaults, allowed values and
   accepted samples, changing one or two parameters from the defaults); it fails, naming the condition, when the
   samples can't do it.
4. For each of those assignments: the SAM translator transforms the template (CodeUri replaced by an S3 location,
   as `sam package` does); the result, with the conditions decided and every Fn::If resolved, passes cfn-lint with
   the assignment as parameter defaults (but for W2001, "parameter not used", which deciding the conditions causes);
   and every EventPattern given as a string resolves to valid JSON.

Exit status 0 when all holds, 1 when something doesn't (each problem on its own line), 2 when a tool is missing.
"""

import copy
import itertools
import json
import os
import re
import sys

try:
    import cfnlint.api
    from cfnlint.decode import decode
except ImportError as error:  # pragma: no cover - the machine image ships it
    print(f"check-template: cfn-lint is not installed ({error}); it ships on the project's machine image "
          "(cfn-lint 1.51), or: pip install cfn-lint", file=sys.stderr)
    sys.exit(2)
try:
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
except ImportError as error:  # pragma: no cover
    print(f"check-template: the SAM translator is not installed ({error}); it ships on the project's machine image "
          "(aws-sam-translator 1.110), or: pip install aws-sam-translator", file=sys.stderr)
    sys.exit(2)

REGION = "eu-west-1"
PSEUDO = {
    "AWS::AccountId": "123456789012",
    "AWS::Region": REGION,
    "AWS::Partition": "aws",
    "AWS::StackName": "ecr-digest-guard",
    "AWS::StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/ecr-digest-guard/0",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::NotificationARNs": [],
}
NO_VALUE = object()


class Unresolved(Exception):
    """An intrinsic whose value depends on a resource: left as it is."""


def plain(node):
    """The decoded template as plain dicts, lists and strings."""
    return json.loads(json.dumps(node, default=str))


# ---- intrinsic functions over parameter values ------------------------------------------------------------------

def resolve(node, params, conditions, keep_refs=False):
    """Resolves Fn::If (and, unless keep_refs, Ref, Sub, Join, Split, Select of parameters) as CloudFormation would.

    Anything that depends on a resource is left in place."""
    if isinstance(node, list):
        items = [resolve(item, params, conditions, keep_refs) for item in node]
        return [item for item in items if item is not NO_VALUE]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (key, value), = node.items()
        if key == "Fn::If":
            name, yes, no = value
            return resolve(yes if conditions[name] else no, params, conditions, keep_refs)
        if key == "Ref" and value == "AWS::NoValue":
            return NO_VALUE
        if not keep_refs:
            try:
                return value_of(key, value, params, conditions)
            except Unresolved:
                pass
    resolved = {}
    for key, value in node.items():
        value = resolve(value, params, conditions, keep_refs)
        if value is not NO_VALUE:
            resolved[key] = value
    return resolved


def value_of(function, argument, params, conditions):
    if function == "Ref":
        if argument in params:
            return params[argument]
        if argument in PSEUDO:
            return PSEUDO[argument]
        raise Unresolved()
    if function == "Fn::Join":
        delimiter, items = argument
        items = concrete(items, params, conditions)
        return delimiter.join(concrete(item, params, conditions) for item in items)
    if function == "Fn::Split":
        delimiter, text = argument
        return concrete(text, params, conditions).split(delimiter)
    if function == "Fn::Select":
        index, items = argument
        return concrete(items, params, conditions)[int(concrete(index, params, conditions))]
    if function == "Fn::Sub":
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        values = {name: concrete(value, params, conditions) for name, value in variables.items()}

        def substitute(match):
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in values:
                return str(values[name])
            if name in params:
                return str(params[name])
            if name in PSEUDO:
                return str(PSEUDO[name])
            raise Unresolved()
        return re.sub(r"\$\{([^}]+)\}", substitute, text)
    raise Unresolved()


def concrete(node, params, conditions):
    value = resolve(node, params, conditions)
    if isinstance(value, dict):
        raise Unresolved()
    return value


def decide(template, params):
    """The value of every condition for the given parameter values."""
    expressions = template.get("Conditions", {})
    values = {}

    def evaluate(expression):
        (function, argument), = expression.items()
        if function == "Condition":
            return condition(argument)
        if function == "Fn::Equals":
            left, right = (concrete(side, params, values) for side in argument)
            return str(left) == str(right)
        if function == "Fn::Not":
            return not evaluate(argument[0])
        if function == "Fn::And":
            return all(evaluate(item) for item in argument)
        if function == "Fn::Or":
            return any(evaluate(item) for item in argument)
        raise ValueError(f"unsupported function {function} in a condition")

    def condition(name):
        if name not in values:
            values[name] = evaluate(expressions[name])
        return values[name]

    for name in expressions:
        condition(name)
    return values


# ---- parameters ---------------------------------------------------------------------------------------------------

def check_parameters(template, samples, problems):
    candidates = {}
    for name, parameter in template.get("Parameters", {}).items():
        kind = parameter.get("Type", "String")
        default = parameter.get("Default")
        values = [] if default is None else [str(default)]
        allowed = [str(value) for value in parameter.get("AllowedValues", [])]
        pattern = parameter.get("AllowedPattern")
        if kind in ("String", "CommaDelimitedList") and not allowed and not pattern:
            problems.append(f"parameter {name}: a {kind} needs an AllowedPattern or AllowedValues (its value ends up "
                            "in the function, in JSON or in an ARN)")
        if kind == "Number" and not allowed and "MinValue" not in parameter and "MaxValue" not in parameter:
            problems.append(f"parameter {name}: a Number needs AllowedValues or MinValue/MaxValue")
        sample = samples.get(name, {})
        accepted = [str(value) for value in sample.get("accepted", [])]
        rejected = [str(value) for value in sample.get("rejected", [])]
        if pattern:
            if not accepted or not rejected:
                problems.append(f"parameter {name}: give its AllowedPattern accepted and rejected samples in the "
                                "samples file")
            for value in accepted + ([str(default)] if default is not None else []):
                if not re.fullmatch(pattern, value):
                    problems.append(f"parameter {name}: AllowedPattern refuses {value!r}, which should be accepted")
            for value in rejected:
                if re.fullmatch(pattern, value):
                    problems.append(f"parameter {name}: AllowedPattern accepts {value!r}, which should be refused")
        for value in accepted:
            if allowed and value not in allowed:
                problems.append(f"parameter {name}: sample {value!r} is not among its AllowedValues")
        candidates[name] = list(dict.fromkeys(values + allowed + accepted))
    for name in samples:
        if name not in template.get("Parameters", {}):
            problems.append(f"samples file: no parameter {name} in the template")
    return candidates


def assignments(template, candidates, problems):
    """Parameter values that make every condition true and false, starting from the defaults."""
    defaults = {name: values[0] for name, values in candidates.items() if values}
    missing = [name for name, values in candidates.items() if not values]
    if missing:
        problems.append(f"parameters without a default or a sample: {', '.join(missing)}")
        return []
    chosen = [defaults]
    covered = set(decide(template, defaults).items())
    for condition in template.get("Conditions", {}):
        for wanted in (True, False):
            if (condition, wanted) in covered:
                continue
            found = None
            for width in (1, 2):
                for names in itertools.combinations(candidates, width):
                    for values in itertools.product(*(candidates[name] for name in names)):
                        trial = dict(defaults, **dict(zip(names, values)))
                        if decide(template, trial)[condition] == wanted:
                            found = trial
                            break
                    if found:
                        break
                if found:
                    break
            if not found:
                problems.append(f"condition {condition} is never {str(wanted).lower()} with the defaults and samples: "
                                "add a sample that makes it so to the samples file")
                continue
            chosen.append(found)
            covered |= set(decide(template, found).items())
    return chosen


# ---- one configuration --------------------------------------------------------------------------------------------

def lint(text, problems, what, ignored=()):
    for match in cfnlint.api.lint(text, regions=[REGION]):
        if match.rule.id not in ignored:
            problems.append(f"{what}: cfn-lint {match.rule.id} {match.message} (line {match.linenumber})")


def check_configuration(template, params, problems):
    changed = {name: value for name, value in params.items()
               if str(template["Parameters"][name].get("Default", "")) != value}
    what = "configuration " + (json.dumps(changed) if changed else "with the defaults")
    sam = copy.deepcopy(template)
    for resource in sam.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(properties.get("CodeUri"), str) \
                and not properties["CodeUri"].startswith("s3://"):
            properties["CodeUri"] = "s3://ecr-digest-guard-artifacts/ecr-digest-guard.zip"
    try:
        translated = Translator(managed_policy_map={}, sam_parser=Parser()).translate(
            sam_template=sam, parameter_values=dict(params), get_managed_policy_map=lambda: {})
    except Exception as error:  # the translator's own errors say what is wrong
        problems.append(f"{what}: the SAM translator refused the template: {error}")
        return None
    conditions = decide(translated, params)
    decided = copy.deepcopy(translated)
    for section in ("Resources", "Outputs"):
        for name in [name for name, item in decided.get(section, {}).items()
                     if "Condition" in item and not conditions[item["Condition"]]]:
            del decided[section][name]
        for item in decided.get(section, {}).values():
            item.pop("Condition", None)
        decided[section] = resolve(decided.get(section, {}), params, conditions, keep_refs=True)
    decided.pop("Conditions", None)
    for name, value in params.items():
        parameter = decided["Parameters"][name]
        parameter["Default"] = int(value) if parameter.get("Type") == "Number" else value
    # W2001 "parameter not used": deciding the conditions removes the branches that used the other parameters.
    lint(json.dumps(decided, indent=1), problems, what, ignored=("W2001",))
    for name, resource in decided.get("Resources", {}).items():
        pattern = resource.get("Properties", {}).get("EventPattern")
        if pattern is None:
            continue
        try:
            value = resolve(pattern, params, conditions)
            if isinstance(value, str):
                json.loads(value)
            elif not isinstance(value, dict):
                raise ValueError(f"not an object: {value!r}")
        except (Unresolved, ValueError) as error:
            problems.append(f"{what}: {name}.EventPattern does not resolve to JSON: {error}")
    return what, len(decided.get("Resources", {})), conditions


def main(argv):
    if len(argv) != 3:
        print("usage: check-template.py TEMPLATE SAMPLES_JSON", file=sys.stderr)
        return 2
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    template_file, samples_file = argv[1], argv[2]
    problems = []
    with open(template_file, encoding="utf-8") as source:
        lint(source.read(), problems, template_file)
    decoded, matches = decode(template_file)
    if matches:
        problems.extend(f"{template_file}: {match.message}" for match in matches)
        decoded = {}
    template = plain(decoded)
    with open(samples_file, encoding="utf-8") as source:
        samples = json.load(source)
    candidates = check_parameters(template, samples, problems)
    chosen = assignments(template, candidates, problems)
    seen = {}
    for params in chosen:
        result = check_configuration(template, params, problems)
        if result:
            what, resources, conditions = result
            print(f"{what}: SAM translator ok, {resources} resources, cfn-lint run; "
                  f"true: {', '.join(sorted(c for c, v in conditions.items() if v)) or '-'}")
            for condition, value in conditions.items():
                seen.setdefault(condition, set()).add(value)
    for condition in template.get("Conditions", {}):
        print(f"condition {condition}: {' and '.join(sorted(str(v).lower() for v in seen.get(condition, set())))}")
    if problems:
        for problem in problems:
            print("PROBLEM " + problem)
        return 1
    print(f"template checked: cfn-lint clean, {len(chosen)} configurations transformed and linted, "
          f"{len(template.get('Conditions', {}))} conditions each true and false")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
