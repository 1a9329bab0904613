"""TLS: with `--cert/--key` seats join over wss://, trusting a self-signed certificate
given with `--cafile`; without it the certificate is refused."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from tests.remote_helpers import TIMEOUT, fixed_now
from wargame.remote.client import SeatClient, client_ssl
from wargame.remote.host import HostService, server_ssl
from wargame.remote.session import new_hosted


@pytest.fixture
def certificate(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    return str(cert), str(key)


async def test_seats_join_over_tls(default_deck, tmp_path, certificate):
    cert, key = certificate
    hosted = new_hosted(default_deck, tmp_path, now=fixed_now)
    service = HostService(hosted.game, hosted.codes, now=fixed_now)
    url = await service.start("127.0.0.1", 0, server_ssl(cert, key))
    try:
        assert url.startswith("wss://127.0.0.1:")
        seat = SeatClient(url, hosted.codes.codes["US"], ssl_context=client_ssl(cert))
        await seat.join(timeout=TIMEOUT)
        assert seat.view.seat == "US" and service.connected() == ["US"]
        await seat.close()
        untrusted = SeatClient(url, hosted.codes.codes["ROK"])
        with pytest.raises(ssl.SSLError):
            await untrusted.join(timeout=TIMEOUT)
    finally:
        await service.stop()
