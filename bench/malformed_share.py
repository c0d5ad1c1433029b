#!/usr/bin/env python3
"""Runs the malformed-input corpus (tests/malformed/*.txt) against any
sesame binary and prints the issue-13 figures: the share of `validate` and
`run` invocations that exit 2, and how many runs sent something to the
server before failing. Use it to compare builds:

    python3 bench/malformed_share.py target/debug/sesame [OTHER_BINARY...]

Talks only to a local server on 127.0.0.1."""
import http.server, os, subprocess, sys, tempfile, threading

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
HITS = [0]


class H(http.server.BaseHTTPRequestHandler):
    def handle_one(self):
        HITS[0] += 1
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_one

    def log_message(self, *a):
        pass


def cases():
    folder = os.path.join(ROOT, "tests", "malformed")
    for name in sorted(os.listdir(folder)):
        text = open(os.path.join(folder, name), encoding="utf-8", errors="surrogateescape").read()
        for block in text.split("\n=== ")[1:]:
            title, _, rest = block.partition("\n")
            case = {"title": f"{name}: {title}", "files": [], "args": None, "fifos": [], "dirs": []}
            for section in ("\n" + rest).split("\n--- ")[1:]:
                head, _, body = section.partition("\n")
                head = head.strip()
                if head == "args":
                    case["args"] = body.strip()
                elif head == "stderr":
                    pass
                elif head.startswith("fifo "):
                    case["fifos"].append(head[5:])
                elif head.startswith("dir "):
                    case["dirs"].append(head[4:])
                elif head.startswith("bytes "):
                    raw = body.encode("utf-8", "surrogateescape").decode("unicode_escape").encode("latin-1")
                    case["files"].append((head[6:], raw))
                else:
                    case["files"].append((head, body.encode("utf-8", "surrogateescape")))
            yield case


def run(binary, url):
    total = exit2 = sent = 0
    per = {"validate": [0, 0], "run": [0, 0]}
    for case in cases():
        with tempfile.TemporaryDirectory() as d:
            if not any(p == "sesame.yaml" for p, _ in case["files"]):
                open(os.path.join(d, "sesame.yaml"), "w").close()
            for path, content in case["files"]:
                full = os.path.join(d, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                open(full, "wb").write(content.replace(b"{URL}", url.encode()))
            for path in case["dirs"]:
                os.makedirs(os.path.join(d, path), exist_ok=True)
            for path in case["fifos"]:
                os.makedirs(os.path.dirname(os.path.join(d, path)), exist_ok=True)
                os.mkfifo(os.path.join(d, path))
            commands = [case["args"]] if case["args"] else ["validate", "run"]
            for command in commands:
                before = HITS[0]
                env = dict(os.environ, NO_COLOR="1", SESAME_CACHE_DIR=os.path.join(d, ".cache"))
                try:
                    code = subprocess.run([binary] + command.split(), cwd=d, env=env,
                                          stdin=subprocess.DEVNULL, capture_output=True, timeout=20).returncode
                except subprocess.TimeoutExpired:
                    code = "hang"
                kind = command.split()[0]
                total += 1
                per.setdefault(kind, [0, 0])
                per[kind][1] += 1
                if code == 2:
                    exit2 += 1
                    per[kind][0] += 1
                if HITS[0] > before:
                    sent += 1
    return total, exit2, sent, per


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    print("| binary | invocations | exit 2 | validate exit 2 | run exit 2 | sent something |")
    print("|---|---:|---:|---:|---:|---:|")
    for binary in sys.argv[1:] or [os.path.join(ROOT, "target", "debug", "sesame")]:
        total, exit2, sent, per = run(os.path.abspath(binary), url)
        v, r = per["validate"], per["run"]
        print(f"| {binary} | {total} | {exit2} ({100 * exit2 // total} %) | "
              f"{v[0]} of {v[1]} | {r[0]} of {r[1]} | {sent} |")
    server.shutdown()


main()
