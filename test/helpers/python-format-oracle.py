"""Differential-test oracle: runs CPython's own str.format, repr and
literal_eval over a batch of cases read as JSON from stdin, and writes one
JSON result per case to stdout.

Values travel tagged, so int, float, tuple and dict key order survive JSON:
{"s": str} {"i": "decimal"} {"f": "repr text"} {"b": bool} {"n": null}
{"l": [...]} {"t": [...]} {"d": [[key, value], ...]}.
"""
import ast
import json
import sys


def decode(tagged):
    (tag, payload), = tagged.items()
    if tag == "s":
        return payload
    if tag == "i":
        return int(payload)
    if tag == "f":
        return float(payload)
    if tag == "b":
        return bool(payload)
    if tag == "n":
        return None
    if tag == "l":
        return [decode(item) for item in payload]
    if tag == "t":
        return tuple(decode(item) for item in payload)
    if tag == "d":
        return {decode(key): decode(value) for key, value in payload}
    raise ValueError(f"unknown tag {tag!r}")


def encode(value):
    if isinstance(value, bool):
        return {"b": value}
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, int):
        return {"i": str(value)}
    if isinstance(value, float):
        return {"f": repr(value)}
    if value is None:
        return {"n": None}
    if isinstance(value, list):
        return {"l": [encode(item) for item in value]}
    if isinstance(value, tuple):
        return {"t": [encode(item) for item in value]}
    if isinstance(value, dict):
        return {"d": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot encode {type(value).__name__}")


def run(case):
    op = case["op"]
    if op == "format":
        variables = {name: decode(value) for name, value in case["vars"]}
        return {"text": case["template"].format(**variables)}
    if op == "format_value":
        return {"text": format(decode(case["value"]), case["spec"])}
    if op == "repr":
        value = decode(case["value"])
        return {"repr": repr(value), "str": str(value), "ascii": ascii(value)}
    if op == "literal":
        return {"value": encode(ast.literal_eval(case["text"]))}
    if op == "json":
        return {"value": encode(json.loads(case["text"]))}
    if op == "chat":
        # FlowyML's Prompt.render for a list template: format each message's content, keep the other keys.
        variables = {name: decode(value) for name, value in case["vars"]}
        messages = []
        for message in ast.literal_eval(case["template"]):
            rendered = message.copy()
            if "content" in rendered:
                rendered["content"] = rendered["content"].format(**variables)
            messages.append(rendered)
        return {"value": encode(messages)}
    raise ValueError(f"unknown op {op!r}")


def main():
    results = []
    for case in json.load(sys.stdin):
        try:
            results.append({"ok": True, **run(case)})
        except Exception as error:  # every exception is a result to compare
            results.append({"ok": False, "exception": type(error).__name__, "message": str(error)})
    json.dump(results, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
