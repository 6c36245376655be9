#!/usr/bin/env python3
"""Docs that match the code: fails when a template parameter or a ./tb command is missing from the README.

  every parameter of template.yaml's Parameters section   -> named in README.md as `Name`
  every command of ./tb (its top-level case labels)        -> shown in README.md as ./tb <command>
  every ./tb bench mode                                    -> shown in README.md as ./tb bench <mode>

Reads the files as text (no YAML library: the template's CloudFormation tags need none here).
Usage: check_docs.py [--root DIR] | --self-test
"""
import re
import sys
from pathlib import Path


def template_parameters(template: str) -> list:
    names, inside = [], False
    for line in template.splitlines():
        if re.match(r"^Parameters:\s*$", line):
            inside = True
            continue
        if inside and re.match(r"^\S", line):
            break
        m = re.match(r"^  ([A-Za-z0-9]+):\s*$", line) if inside else None
        if m:
            names.append(m.group(1))
    return names


def tb_commands(tb: str) -> tuple:
    """The top-level `case "$cmd" in` labels, and the bench modes (`./tb bench <mode>`)."""
    commands, modes, depth = [], [], 0
    for line in tb.splitlines():
        if re.match(r'^case "\$cmd" in', line):
            depth = 1
            continue
        if depth == 0:
            continue
        if re.match(r"^esac", line):
            break
        top = re.match(r"^  ([a-z][a-z|-]*)\)", line)
        if top:
            commands += [c for c in top.group(1).split("|") if c not in ("help", "-h", "--help")]
        mode = re.match(r"^\s+([a-z]+)\)\s+main=", line)
        if mode:
            modes.append(mode.group(1))
        if re.search(r'"\$bench" = ([a-z]+)', line):
            modes.append(re.search(r'"\$bench" = ([a-z]+)', line).group(1))
    return commands, sorted(set(modes))


def problems(readme: str, template: str, tb: str) -> list:
    out = []
    for p in template_parameters(template):
        if f"`{p}`" not in readme:
            out.append(f"template parameter {p} is not in README.md (the parameter table names each as `{p}`)")
    commands, modes = tb_commands(tb)
    for c in commands:
        if not re.search(r"\./tb " + re.escape(c) + r"\b", readme):
            out.append(f"./tb {c} is not in README.md")
    for m in modes:
        if not re.search(r"\./tb bench [a-z|]*\b" + re.escape(m) + r"\b", readme):
            out.append(f"./tb bench {m} is not in README.md")
    if not template_parameters(template):
        out.append("template.yaml: no Parameters found (the check would pass vacuously)")
    if not commands:
        out.append("tb: no commands found (the check would pass vacuously)")
    return out


def self_test() -> None:
    template = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Environment:\n    Type: String\n" \
               "  EhrProfile:\n    Type: String\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
    tb = 'cmd="$1"\ncase "$cmd" in\n  local)\n    x\n    ;;\n  send|peek)\n    ;;\n  bench)\n' \
         '    case "$bench" in\n      latency)   main=LatencyBench ;;\n    esac\n    ;;\n  help|-h|--help)\n' \
         '    ;;\nesac\n'
    good = "| `Environment` | dev |\n| `EhrProfile` | x |\n./tb local\n./tb send f\n./tb peek q\n./tb bench latency\n"
    assert template_parameters(template) == ["Environment", "EhrProfile"], template_parameters(template)
    assert tb_commands(tb) == (["local", "send", "peek", "bench"], ["latency"]), tb_commands(tb)
    assert problems(good, template, tb) == [], problems(good, template, tb)
    missing = problems(good.replace("`EhrProfile`", "EhrProfile").replace("./tb peek q\n", ""), template, tb)
    assert any("EhrProfile" in p for p in missing) and any("./tb peek" in p for p in missing), missing
    assert any("bench latency" in p for p in problems(good.replace("./tb bench latency", ""), template, tb))
    print("check_docs self-test: ok")


def main(argv: list) -> int:
    if "--self-test" in argv:
        self_test()
        return 0
    root = Path(argv[argv.index("--root") + 1]) if "--root" in argv else Path(__file__).resolve().parent.parent
    found = problems((root / "README.md").read_text(encoding="utf-8"),
                     (root / "template.yaml").read_text(encoding="utf-8"), (root / "tb").read_text(encoding="utf-8"))
    for p in found:
        print("check_docs: " + p, file=sys.stderr)
    if found:
        return 1
    print("check_docs: every template parameter and ./tb command is in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
