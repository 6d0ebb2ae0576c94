"""A recording SMTP peer for the Curl and Outbound tests, on aiosmtpd (pinned in the venv:
./scripts/setup-venv).

Prints its port on the first line of stdout once it accepts connections, and writes every
message it accepts to DIR/<n>.json: {"mailFrom", "rcptTos", "data" (base64)}. Recipients
busy@... get 451 (transient), nobody@... get 550 (permanent). With --auth USER:PASS it
requires AUTH (without TLS, loopback only). With --starttls CERT KEY it offers and requires
STARTTLS; with --implicit-tls CERT KEY it speaks TLS from the start (smtps). Exits by itself
after --lifetime seconds or when its parent dies.
"""
import argparse, signal, base64, json, os, socket, ssl, time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local == "busy":
            return "451 4.3.0 Mailbox busy, try again later"
        if local == "nobody":
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "data": base64.b64encode(envelope.original_content or envelope.content).decode(),
        }
        path = os.path.join(self.directory, "%d.json" % self.count)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def main():
    # A parent thread's blocked signals are inherited: make sure SIGTERM ends us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--lifetime", type=float, default=60)
    args = parser.parse_args()
    kwargs = {}
    for pair in (args.starttls, args.implicit_tls):
        if pair:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(pair[0], pair[1])
    if args.starttls:
        kwargs.update(tls_context=context, require_starttls=True)
    if args.implicit_tls:
        kwargs.update(ssl_context=context, server_hostname="localhost")
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            # handled=False: aiosmtpd itself answers 535 on failure (True would leave the client waiting).
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    port = free_port()
    controller = Controller(Recorder(args.dir), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print(port, flush=True)
    # Gone too as soon as the test process is (we are re-parented), even if it was killed.
    parent, deadline = os.getppid(), time.monotonic() + args.lifetime
    while time.monotonic() < deadline and os.getppid() == parent:
        time.sleep(0.2)
    controller.stop()
    os._exit(0)


if __name__ == "__main__":
    main()
