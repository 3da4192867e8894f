"""cupure's comments beside Isso's, on this machine, in one run: read a 200-comment thread, post a comment.

Both run under gunicorn with the same workers and threads (gthread), both on SQLite, both with their
rate limits out of the way (Isso's guard off; cupure's limits raised, its checks still made), loaded by
wrk from a second process. Isso is installed from PyPI into its own virtual environment (--isso-venv,
created when missing); nothing of it is kept in this repository.

    reading:  cupure GET /article/1/ (the whole article page with the thread, as HTML)
              Isso   GET /?uri=/thread/ (the thread as JSON, which its script then renders in the browser)
    posting:  cupure POST /comments/post/article/1/ (a signed-in reader's form, CSRF token and one-time nonce)
              Isso   POST /new?uri=/thread/ (JSON)

    .venv/bin/python bench/comments.py [--workers 2] [--threads 4] [--connections 16] [--seconds 10]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from loadtest import free_port, load_arguments, sign_in, start, stop, wrk  # noqa: E402

PASSWORD = "correct horse battery staple"
COMMENTS = 200
WORDS = (
    "The council's vote settles a decade of argument about the tram. I would have liked the route to reach "
    "the hospital, but this is a start, and the *cost* figures look **credible** this time."
)


POST_LUA = """
local counter = 0
local id = 0
function setup(thread) thread:set("id", math.random(1, 1000000000)) end
function init(args) id = wrk.thread:get("id") end
function request()
  counter = counter + 1
  local body = string.format(BODY, id .. "x" .. counter)
  return wrk.format("POST", PATH, HEADERS, body)
end
"""


def lua(path: Path, url_path: str, headers: dict, body_format: str) -> str:
    heads = "{" + ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items()) + "}"
    path.write_text(f"PATH = {json.dumps(url_path)}\nHEADERS = {heads}\nBODY = {json.dumps(body_format)}\n" + POST_LUA)
    return str(path)


def run_cupure(tmp: Path, args) -> dict:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.update(
        CUPURE_DATA_DIR=str(tmp / "cupure"),
        CUPURE_PORT=str(port),
        CUPURE_STARTER_SOURCES="off",
        CUPURE_LOG_LEVEL="WARNING",
        CUPURE_WEB_WORKERS=str(args.workers),
        CUPURE_WEB_THREADS=str(args.threads),
        CUPURE_COMMENTS_PER_MINUTE="100000000",
        CUPURE_COMMENTS_PER_HOUR="100000000",
        CUPURE_COMMENTS_PER_ADDRESS_MINUTE="100000000",
    )
    cupure = [sys.executable, "-m", "cupure.cli"]
    subprocess.run(cupure + ["migrate", "-v0"], env=env, cwd=ROOT, check=True)
    seed = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from cupure.accounts.models import Profile
from cupure.comments.models import Comment
from cupure.comments.render import render
from cupure.news.models import Article
from cupure.sources.models import Source
s = Source.objects.create(name="City Times", slug="city-times")
a = Article.objects.create(source=s, url="https://city.example/1", canonical_url="https://city.example/1",
    title="Council approves the tram", text="The council voted.", content_html="<p>The council voted.</p>",
    published_at=timezone.now())
users = [get_user_model().objects.create_user(f"reader{{i}}", f"r{{i}}@example.org", {PASSWORD!r}) for i in range(20)]
for u in users: Profile.objects.create(user=u)
top = []
for i in range({COMMENTS}):
    parent = top[i % len(top)] if i % 3 == 2 and top else None
    c = Comment.objects.create(article=a, author=users[i % 20], body={WORDS!r}, html=render({WORDS!r}), nonce=str(i),
                               parent=parent, depth=2 if parent else 1)
    if parent is None: top.append(c)
a.comment_count = {COMMENTS}; a.save()
"""
    subprocess.run(cupure + ["shell", "-c", seed], env=env, cwd=ROOT, check=True)
    base = f"http://127.0.0.1:{port}"
    proc = start(cupure + ["serve"], env, ROOT, tmp / "cupure.log", base + "/article/1/")
    try:
        page = urllib.request.urlopen(base + "/article/1/").read().decode()
        assert page.count('class="comment-body"') == COMMENTS, "the thread is not all on the page"
        read = wrk(base + "/article/1/", args.connections, args.seconds)
        cookie, token = sign_in(base, "reader1", PASSWORD)
        script = lua(
            tmp / "cupure.lua",
            "/comments/post/article/1/",
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            f"body=A+comment+under+load.&nonce=%s&csrfmiddlewaretoken={token}",
        )
        before = count_rows(tmp / "cupure" / "cupure.sqlite3", "comments_comment")
        post = wrk(base + "/comments/post/article/1/", args.connections, args.seconds, script=script)
        stored = count_rows(tmp / "cupure" / "cupure.sqlite3", "comments_comment") - before
    finally:
        stop(proc)
    return {"read": read, "post": post, "stored": stored}


def count_rows(db: Path, table: str) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


class ThreadPage(BaseHTTPRequestHandler):
    """The page Isso checks before it opens a thread (it fetches host + uri and looks for its element)."""

    def do_GET(self):
        body = (
            b"<html><head><title>Council approves the tram</title></head><body>"
            b'<section id="isso-thread" data-title="Council approves the tram"></section></body></html>'
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def run_isso(tmp: Path, args) -> dict:
    venv = Path(args.isso_venv)
    if not (venv / "bin" / "gunicorn").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "isso", "gunicorn"], check=True)
    version = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import importlib.metadata as m; print(m.version('isso'))"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    pages = ThreadingHTTPServer(("127.0.0.1", 0), ThreadPage)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    host = f"http://127.0.0.1:{pages.server_address[1]}"
    port = free_port()
    cfg = tmp / "isso.cfg"
    cfg.write_text(f"""[general]
dbpath = {tmp / "isso.db"}
host = {host}
notify = stdout
[server]
listen = http://127.0.0.1:{port}
[moderation]
enabled = false
[guard]
enabled = false
[markup]
renderer = mistune
""")
    env = {**os.environ, "ISSO_SETTINGS": str(cfg)}
    base = f"http://127.0.0.1:{port}"
    proc = start(
        [
            str(venv / "bin" / "gunicorn"),
            "isso.run",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--worker-class",
            "gthread",
            "--preload",
        ],
        env,
        ROOT,
        tmp / "isso.log",
        base + "/?uri=%2Fthread%2F",
    )
    try:
        ids = []
        for i in range(COMMENTS):
            parent = ids[i % len(ids)] if i % 3 == 2 and ids else None
            req = urllib.request.Request(
                base + "/new?uri=%2Fthread%2F",
                method="POST",
                data=json.dumps({"text": WORDS, "author": f"reader{i % 20}", "parent": parent}).encode(),
                headers={"Content-Type": "application/json", "Origin": host},
            )
            reply = json.loads(urllib.request.urlopen(req).read())
            if parent is None:
                ids.append(reply["id"])
        thread = json.loads(urllib.request.urlopen(base + "/?uri=%2Fthread%2F&nested_limit=1000").read())
        shown = len(thread["replies"]) + sum(len(r.get("replies", [])) for r in thread["replies"])
        assert shown == COMMENTS, f"Isso's thread has {shown} comments, not {COMMENTS}: {str(thread)[:300]}"
        read = wrk(base + "/?uri=%2Fthread%2F", args.connections, args.seconds)
        script = lua(
            tmp / "isso.lua",
            "/new?uri=%2Fthread%2F",
            {"Content-Type": "application/json", "Origin": host},
            '{"text": "A comment under load. %s", "author": "bench"}',
        )
        before = count_rows(tmp / "isso.db", "comments")
        post = wrk(base + "/new?uri=%2Fthread%2F", args.connections, args.seconds, script=script)
        stored = count_rows(tmp / "isso.db", "comments") - before
    finally:
        stop(proc)
        pages.shutdown()
    return {"read": read, "post": post, "stored": stored, "version": version}


def main() -> None:
    args = load_arguments(
        16,
        workers=dict(type=int, default=2),
        threads=dict(type=int, default=4),
        only=dict(choices=("cupure", "isso"), help="run one side (for quick iterations)"),
        isso_venv=dict(default=str(Path(tempfile.gettempdir()) / "cupure-bench-isso-venv")),
    )
    tmp = Path(tempfile.mkdtemp())
    if args.only:
        res = run_cupure(tmp, args) if args.only == "cupure" else run_isso(tmp, args)
        print(f"{args.only}: read {res['read']}, post {res['post']}, stored {res['stored']}")
        return
    isso = run_isso(tmp, args)
    cup = run_cupure(tmp, args)
    print(
        f"gunicorn gthread, {args.workers} workers x {args.threads} threads each; wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s; thread of {COMMENTS} comments; Isso {isso['version']}"
    )
    print(f"{'':28}{'req/s':>10}{'p99 ms':>10}  responses")
    for name, res in (
        ("read thread: cupure", cup["read"]),
        ("read thread: Isso", isso["read"]),
        ("post comment: cupure", cup["post"]),
        ("post comment: Isso", isso["post"]),
    ):
        print(f"{name:28}{res[0]:10.0f}{res[1]:10.1f}  {res[2]}")
    print(f"comments stored during the post runs: cupure {cup['stored']}, Isso {isso['stored']}")
    for what in ("read", "post"):
        ok = cup[what][0] >= isso[what][0] and cup[what][1] <= isso[what][1]
        print(f"{what}: cupure {'matches or beats' if ok else 'does NOT match'} Isso on both req/s and p99")


if __name__ == "__main__":
    main()
