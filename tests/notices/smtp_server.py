"""A real SMTP server (aiosmtpd) a test starts on a free loopback port: it keeps each message."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class _Keeper:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    # aiosmtpd's controller checks its server by connecting to the port it was given, so it
    # needs a real one rather than 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    """`with SMTPServer() as server:` then point EMAIL_HOST/EMAIL_PORT at server.server_address;
    server.messages holds (sender, recipients, email.message.EmailMessage) in arrival order."""

    def __init__(self):
        self._keeper = _Keeper()
        self._controller = Controller(self._keeper, hostname="127.0.0.1", port=_free_port())

    @property
    def messages(self):
        return self._keeper.messages

    @property
    def server_address(self):
        return self._controller.hostname, self._controller.port

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()
