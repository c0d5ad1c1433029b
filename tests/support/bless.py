#!/usr/bin/env python3
"""Pastes what `sesame` printed into the tests whose output differs.

    cargo test --test lib FILTER 2>&1 | python3 tests/support/bless.py

For every failed `Test::run` whose stdout or stderr differs, the failure
names the file and line of the `.run()` call and prints the actual text as
one JSON line (`bless stderr: "..."`). This script replaces the argument of
the nearest `.stderr(...)` / `.stdout(...)` above that line (or adds one)
with the actual text. Exit codes are never blessed. Review the diff before
committing: blessing makes a test agree with the binary, right or wrong.
Run it again until no test fails: a test stops at its first differing run.
"""

import json
import re
import sys
from collections import defaultdict

PANIC = re.compile(r"panicked at (tests/[^:]+\.rs):(\d+):\d+:")
BLESS = re.compile(r"^bless (stdout|stderr): (\".*\")$")
STATUS = re.compile(r"^exit code: expected 0, got (\d+)$")


def rust_literal(text, indent):
    """A string literal for `text`, unindented by the `Test` builder."""
    if text == "":
        return '""'
    lines = text.split("\n")[:-1]
    raw_ok = (
        text.endswith("\n")
        and "\r" not in text
        and not all(l.startswith(" ") for l in lines if l)
        and all(l.strip() or not l for l in lines)
    )
    if raw_ok:
        hashes = "#"
        while '"' + hashes in text:
            hashes += "#"
        pad = " " * (indent + 4)
        body = "".join((pad + l if l else "") + "\n" for l in lines)
        return "r" + hashes + '"\n' + body + " " * indent + '"' + hashes
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def literal_end(src, i):
    """The index just after the string literal starting at `src[i]`."""
    m = re.match(r'r(#*)"', src[i:])
    if m:
        close = '"' + m.group(1)
        return src.index(close, i + len(m.group(0))) + len(close)
    if src[i] != '"':
        raise ValueError("not a string literal: " + src[i : i + 30])
    j = i + 1
    while src[j] != '"':
        j += 2 if src[j] == "\\" else 1
    return j + 1


def bless(path, line, stream, text):
    src = open(path).read()
    before = src.count("\n")
    lines = src.split("\n")
    call_offset = sum(len(l) + 1 for l in lines[: line - 1])
    # The statement of the `.run()` call: from the `;` (or `{`) before it.
    stmt_start = max(src.rfind(";\n", 0, call_offset), src.rfind("{\n", 0, call_offset))
    run_line = lines[line - 1]
    at = src.rfind("." + stream + "(", stmt_start, call_offset + len(run_line))
    run_indent = len(run_line) - len(run_line.lstrip())
    if at < 0 and run_line.lstrip().startswith("."):
        lit = rust_literal(text, run_indent)
        new = " " * run_indent + "." + stream + "(" + lit + ")\n"
        src = src[:call_offset] + new + src[call_offset:]
    elif at < 0:
        lit = rust_literal(text, run_indent)
        k = call_offset + run_line.rindex(".run()")
        src = src[:k] + "." + stream + "(" + lit + ")" + src[k:]
    else:
        line_start = src.rfind("\n", 0, at) + 1
        indent = len(src[line_start:at]) - len(src[line_start:at].lstrip())
        i = at + len(stream) + 2
        while src[i] in " \n":
            i += 1
        name = re.match(r"[A-Z][A-Z0-9_]*", src[i:])
        if name:
            return bless_const(path, src, name.group(0), text)
        if not re.match(r'r#*"|"', src[i:]):
            print(f"{path}:{line}: .{stream}(...) is not a literal; not blessed")
            return 0
        end = literal_end(src, i)
        j = end
        while src[j] in " \n,":
            j += 1
        if src[j] != ")":
            print(f"{path}:{line}: .{stream}(...) is not a literal; not blessed")
            return 0
        lit = rust_literal(text, indent)
        src = src[: at + len(stream) + 2] + lit + src[j:]
    open(path, "w").write(src)
    print(f"blessed {path}:{line} {stream}")
    return src.count("\n") - before


def bless_const(path, src, name, text):
    """`.stdout(NAME)`: replaces the literal of `const NAME: &str = ...;`."""
    m = re.search(r"\nconst " + name + r": &str =\s*", src)
    if not m:
        print(f"{path}: const {name} not found; not blessed")
        return 0
    before = src.count("\n")
    end = literal_end(src, m.end())
    src = src[: m.end()] + rust_literal(text, 0) + src[end:]
    open(path, "w").write(src)
    print(f"blessed {path}: const {name}")
    return src.count("\n") - before


def bless_status(path, line, status):
    """With --status: adds `.status(N)` to a run that expected exit 0."""
    lines = open(path).read().split("\n")
    l = lines[line - 1]
    if ".run()" not in l:
        print(f"{path}:{line}: no .run() on the line; status {status} not blessed")
        return 0
    lines[line - 1] = l.replace(".run()", f".status({status}).run()", 1)
    open(path, "w").write("\n".join(lines))
    print(f"blessed {path}:{line} status {status}")
    return 0


def main():
    found = defaultdict(dict)
    where = None
    for l in sys.stdin:
        l = l.rstrip("\n")
        m = PANIC.search(l)
        if m:
            where = (m.group(1), int(m.group(2)))
            continue
        m = STATUS.match(l)
        if m and where and "--status" in sys.argv:
            found[where]["status"] = int(m.group(1))
        m = BLESS.match(l)
        if m and where:
            found[where][m.group(1)] = json.loads(m.group(2))
    # Bottom-up, so earlier line numbers stay right.
    for (path, line) in sorted(found, key=lambda w: (w[0], -w[1])):
        shift = 0
        if "status" in found[(path, line)]:
            shift += bless_status(path, line, found[(path, line)]["status"])
        for stream in ("stdout", "stderr"):
            if stream in found[(path, line)]:
                text = found[(path, line)][stream]
                shift += bless(path, line + shift, stream, text)


main()
