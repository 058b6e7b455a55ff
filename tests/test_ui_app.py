"""`qa serve` set-up: auth, addresses, upload limits, lazy Gradio import."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from qa.config import Settings
from qa.errors import ConfigError
from ui.access import is_loopback
from ui.app import parse_auth
from ui.handlers import MAX_K, clamp_k


def test_parse_auth() -> None:
    assert parse_auth(None) is None and parse_auth("") is None
    assert parse_auth("ann:s3cret:with:colons") == ("ann", "s3cret:with:colons")
    for bad in ("ann", ":pw", "ann:"):
        with pytest.raises(ConfigError, match="user:password"):
            parse_auth(bad)


def test_k_is_clamped() -> None:
    assert clamp_k(None) is None and clamp_k(0) is None
    assert clamp_k(4.0) == 4 and clamp_k(-3) == 1 and clamp_k(10**9) == MAX_K


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


def test_the_cli_does_not_import_gradio_for_help() -> None:
    code = "import sys; from qa.cli import main; assert 'gradio' not in sys.modules; import ui.app; assert 'gradio' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.browser
def test_serve_with_auth_and_upload_limit(built_index_dir: Path, tmp_path: Path) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    from ui.app import serve

    index_dir = tmp_path / "index"
    shutil.copytree(built_index_dir, index_dir)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    settings = Settings(max_upload_mb=0.5)
    demo = serve(index_dir, port=port, auth="ann:s3cret", block=False, settings=settings, open_browser=False)
    assert demo is not None
    try:
        url = f"http://127.0.0.1:{port}/"
        assert demo.blocks.max_file_size == 2**19
        assert (index_dir / "uploads" / ".incoming").is_dir()
        with pytest.raises(AuthenticationError):
            Client(url, verbose=False).predict("Who led the negotiations with Prigozhin?", api_name="/chat")
        client = Client(url, auth=("ann", "s3cret"), verbose=False)
        assert "[1]" in client.predict("Who led the negotiations with Prigozhin?", api_name="/chat")
    finally:
        demo.close()
