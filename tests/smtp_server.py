"""A local SMTP server for the e-mail tests (aiosmtpd, on a free port of its own, in a
thread of the test process): it can refuse the next messages with a temporary error, and
be started after the site first tried to reach it."""

from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller

from tests.redis_server import free_port


class _Handler:
    def __init__(self) -> None:
        self.refusals = 0
        self.received: list[Message] = []

    # aiosmtpd calls handle_<COMMAND>.
    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Busy, try again later"
        self.received.append(message_from_bytes(envelope.original_content))
        return "250 OK"


class SMTPServer:
    """Listens on ``port`` once ``start()`` is called; ``refuse(n)`` answers the next ``n``
    messages with 451; ``received`` holds the messages it accepted."""

    def __init__(self) -> None:
        self.port = free_port()
        self._handler = _Handler()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Message]:
        return self._handler.received

    def refuse(self, count: int) -> None:
        self._handler.refusals = count

    def start(self) -> "SMTPServer":
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
