"""Who may use the server: API keys (from `QA_API_KEYS` or the file `QA_API_KEYS_FILE`) and
the `user:password` login (`--auth-file`/`QA_AUTH_FILE`, `QA_AUTH`, or `--auth`, which other
users see in `ps`). With either set, the chat and the API both ask for it."""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qa.config import ServerSettings, Settings
from qa.errors import ConfigError

LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine only: "localhost" or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def guarded_host(host: str, access: Access) -> str:
    """The address to listen on: `host` when it is local or keys or a login guard the
    server; else 127.0.0.1, saying so on stderr."""
    if is_loopback(host) or access.enabled:
        return host
    print(
        f"no API keys (QA_API_KEYS) and no --auth: listening on {LOOPBACK} only, not {host}", file=sys.stderr
    )
    return LOOPBACK


def parse_auth(auth: str | None) -> tuple[str, str] | None:
    """`user:password` as a pair; None when not given."""
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ConfigError("--auth must be user:password (both non-empty)")
    return user, password


def read_auth_file(path: str | Path, what: str = "--auth-file") -> str:
    """The `user:password` in a file: its first line that is neither blank nor a `#` comment."""
    try:
        lines = Path(path).expanduser().read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigError(f"{what} {str(path)!r} cannot be read: {reason}") from None
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            return line.strip()
    raise ConfigError(f"{what} {str(path)!r} holds no user:password line")


def configured_auth(server: ServerSettings) -> str | None:
    """`QA_AUTH`, else the file named by `QA_AUTH_FILE`; None when neither is set."""
    if server.auth:
        return server.auth
    return read_auth_file(server.auth_file, "QA_AUTH_FILE") if server.auth_file else None


def read_keys(raw: str | None, keys_file: str | None) -> frozenset[str]:
    """Keys from a comma- or space-separated list and from a file of one key a line
    (blank lines and `#` comments ignored)."""
    keys = set(re.split(r"[\s,]+", raw or ""))
    if keys_file:
        path = Path(keys_file).expanduser()
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ConfigError(
                f"QA_API_KEYS_FILE={keys_file!r} cannot be read: {error.strerror or error}"
            ) from None
        keys.update(line.split("#", 1)[0].strip() for line in lines)
    return frozenset(k for k in keys if k)


@dataclass(frozen=True)
class Access:
    """The secrets that open the server; none means open to whoever can reach it."""

    keys: frozenset[str] = frozenset()
    login: tuple[str, str] | None = None

    @classmethod
    def from_settings(cls, server: ServerSettings, auth: str | None = None) -> Access:
        """The secrets `server` names (`QA_AUTH`, `QA_API_KEYS`, ...); `auth` wins over them."""
        login = parse_auth(auth if auth is not None else configured_auth(server))
        return cls(read_keys(server.api_keys, server.api_keys_file), login)

    @classmethod
    def from_env(cls, auth: str | None = None) -> Access:
        return cls.from_settings(Settings.from_env().server, auth)

    @property
    def enabled(self) -> bool:
        return bool(self.keys or self.login)

    def allows_key(self, secret: str) -> bool:
        """A constant-time check of a key (the login's password counts as one)."""
        candidates = [*self.keys, *([self.login[1]] if self.login else [])]
        return any(hmac.compare_digest(secret.encode(), key.encode()) for key in candidates)

    def allows_login(self, user: str, password: str) -> bool:
        if self.login is not None and hmac.compare_digest(user.encode(), self.login[0].encode()):
            return hmac.compare_digest(password.encode(), self.login[1].encode())
        return bool(self.keys) and self.allows_key(password)  # any user name with an API key

    def allows_header(self, header: str) -> bool:
        """`Authorization: Bearer <key>` or `Basic <user:password>`."""
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() == "bearer":
            return bool(value.strip()) and self.allows_key(value.strip())
        if scheme.lower() == "basic":
            try:
                user, _, password = (
                    base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
                )
            except (binascii.Error, UnicodeDecodeError):
                return False
            return self.allows_login(user, password)
        return False

    def gradio_auth(self) -> Callable[[str, str], bool] | None:
        """The chat's login check: the `--auth` pair, or any name with an API key."""
        return self.allows_login if self.enabled else None
