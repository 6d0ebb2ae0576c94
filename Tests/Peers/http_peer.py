"""A recording HTTP(S) peer for the Curl and Outbound tests (stdlib only).

Prints its port on the first line of stdout once it listens, appends every request it
receives to DIR/requests.jsonl (before answering), and answers by path:
  /status/NNN  status NNN            /slow   200 after 8 s (/slow/N: N s) (for client timeouts)
  /close       closes, no reply      /big    200 with 1 MiB
  /redirect    302 to /status/201
  anything else 200 "ok"
It exits by itself after --lifetime seconds or when its parent dies, so a test that dies
cannot leave it behind.
"""
import argparse, signal, base64, json, os, socket, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    # A parent thread's blocked signals are inherited: make sure SIGTERM ends us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--lifetime", type=float, default=60)
    args = parser.parse_args()
    log_path = os.path.join(args.dir, "requests.jsonl")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without this, Nagle and the client's
        # delayed ACK stall every reply on a kept-alive connection by 40 ms.
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            record = {
                "method": self.command,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": base64.b64encode(body).decode(),
            }
            with lock, open(log_path, "a") as f:
                f.write(json.dumps(record) + "\n")
            path = self.path.split("?")[0]
            if path == "/close":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            status, payload = 200, b"ok"
            if path.startswith("/status/"):
                status = int(path[len("/status/"):])
                payload = b"status %d" % status
            elif path == "/slow" or path.startswith("/slow/"):
                time.sleep(float(path[len("/slow/"):]) if path.startswith("/slow/") else 8)
            elif path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "/status/201")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            elif path == "/big":
                payload = b"x" * (1 << 20)
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("X-Peer", "http_peer")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    # Gone too as soon as the test process is (we are re-parented), even if it was killed.
    parent, deadline = os.getppid(), time.monotonic() + args.lifetime
    while time.monotonic() < deadline and os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


if __name__ == "__main__":
    main()
