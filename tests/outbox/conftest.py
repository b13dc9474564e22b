"""A mail server that refuses every connection (a real SMTP reply: 421), for the outbox."""

from __future__ import annotations

import socket
import threading

import pytest


@pytest.fixture
def refusing_smtp(settings):
    """Point Django's SMTP backend at a local server that answers ``421`` and hangs up."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    stop = threading.Event()
    connections = []

    def serve():
        while not stop.is_set():
            try:
                conn, _addr = server.accept()
            except TimeoutError:
                continue
            with conn:
                connections.append(1)
                conn.sendall(b"421 4.3.2 Service not available, closing channel\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
    settings.EMAIL_TIMEOUT = 5
    yield connections
    stop.set()
    thread.join()
    server.close()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
