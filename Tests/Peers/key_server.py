#!/usr/bin/env python3
"""A key server for the key-retrieval tests: GET /api/meters?since=<cursor> answers the page
configured for that cursor ("" = no since). Configuration is a JSON file re-read on every
request, so a test can change the answers while the server runs:
  {"token": "...",                      # required bearer token (401 otherwise)
   "pages": {"": {...}, "p1": {...}},   # bodies by cursor
   "status": {"p2": 500},               # an HTTP status instead of a page
   "delay": {"p1": 1.5}}                # seconds to wait before answering
Each request is appended to <config>.log as "<since>\t<authorization>".
Usage: key_server.py CONFIG  (prints the port it listens on, then serves until killed)."""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

CONFIG = sys.argv[1]

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        with open(CONFIG) as f:
            config = json.load(f)
        url = urlsplit(self.path)
        since = parse_qs(url.query).get("since", [""])[0]
        auth = self.headers.get("Authorization", "")
        with open(CONFIG + ".log", "a") as log:
            log.write("%s\t%s\n" % (since, auth))
        time.sleep(config.get("delay", {}).get(since, 0))
        if url.path != "/api/meters":
            return self.answer(404, {"error": "no such path"})
        if auth != "Bearer " + config.get("token", ""):
            return self.answer(401, {"error": "bad token"})
        status = config.get("status", {}).get(since)
        if status:
            return self.answer(status, {"error": "configured failure"})
        page = config.get("pages", {}).get(since)
        if page is None:
            return self.answer(404, {"error": "unknown cursor"})
        self.answer(200, page)

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
