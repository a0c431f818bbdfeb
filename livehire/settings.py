"""Settings, read once into a frozen dataclass.

Precedence: command-line flags > ``LIVEHIRE_*`` environment variables > an
optional TOML file (``--config`` or ``LIVEHIRE_CONFIG``) > defaults. The
defaults are the embedded mode: SQLite in the data directory, the in-memory
bus, a secret generated into the data directory on first run.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from governance.licences import parse_live_licences

ENV_PREFIX = "LIVEHIRE_"
SECRET_FILE = "secret"
#: Settings published in page footers and on organisation pages: one short line each.
DISCLOSURES = ("complaint_phone", "complaint_email", "platform_licence", "icp_number", "supervising_authority")


class SettingsError(ValueError):
    """A setting has a value the server cannot use; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = field(default_factory=lambda: Path("data"))
    database_url: str | None = None  # None → sqlite in data_dir
    redis_url: str | None = None  # None → in-memory bus
    public_url: str | None = None  # None → http://host:port
    node_url: str | None = None  # where other nodes reach this one (relays); None → base_url (workers: their loopback port)
    ice_servers: tuple[str, ...] = ()  # e.g. ("stun:stun.example.org:3478",); none by default
    udp_port_min: int = 0  # 0 → any free port
    udp_port_max: int = 0
    ice_include_loopback: bool = False  # offer 127.0.0.1 candidates (hosts with no other interface)
    secret: str | None = None  # None → generated into data_dir/secret
    seed_demo: bool = True
    log_level: str = "INFO"
    max_body_bytes: int = 1024 * 1024
    # transactional outbox (docs/recruiting.md): a dead node's delivery events are republished by
    # another node at most lease + sweep after the commit
    outbox_lease_ms: int = 5000
    outbox_sweep_seconds: float = 2.0
    # identity (docs/identity.md): SMS codes go to a carrier gateway when a webhook URL is set, else to the
    # simulated provider kept in the store; rate limits override identity.limits.DEFAULT_RULES by name
    sms_webhook_url: str | None = None
    sms_webhook_secret: str | None = None
    revocation_sync_seconds: float = 1.0  # how soon a session ended on another node stops working here
    rate_limits: tuple[tuple[str, str], ...] = ()  # e.g. LIVEHIRE_RATE_LIMITS="whep_ip=600/minute,login_ip=5/minute"
    # connection limits of `livehire serve` (livehire/connections.py): a client past the cap is cut off at
    # once; one that has not sent complete request headers within the timeout is dropped (slowloris)
    max_connections_per_ip: int = 200
    header_timeout_seconds: float = 10.0
    # media fair shares (docs/media.md "Fair shares"): WebRTC sessions one client address may hold
    media_max_sessions: int = 1000
    media_per_client_room: int = 5
    media_per_client_node: int = 20
    metrics_token: str | None = None  # None → /metrics answers loopback clients only
    # governance (docs/governance.md): the service ledger keeps entries at least this many years (4.4.1 f);
    # complaints are due within this many working days (4.4.1 e) and the platform's complaint channel is
    # published; industries are allowed, need review, or are refused at registration (5.1.3 b), e.g.
    # LIVEHIRE_INDUSTRY_ACCESS="finance=review,gambling=refused" (overrides governance.orgs.DEFAULT_INDUSTRIES)
    ledger_retention_years: int = 3
    complaint_working_days: int = 5
    complaint_phone: str | None = None
    complaint_email: str | None = None
    # disclosures in every page footer and on organisation pages (standard 4.2.2, 4.2.3; 人力资源市场暂行条例 §32):
    # the platform's HR service licence and ICP filing numbers, and the authority supervising the organisations;
    # empty hides the line (the authority falls back to a generic description)
    platform_licence: str | None = None
    icp_number: str | None = None
    supervising_authority: str | None = None
    industry_access: tuple[tuple[str, str], ...] = ()
    # licences (standard 5.1.1, 4.2.3; docs/governance.md): an approved licence is reviewed again this many days
    # after its approval (about 6 months); evidence files up to this size; the licences that allow live
    # recruiting (any one; "@employer": only for an employer recruiting for itself); the expiry sweep's interval
    licence_reverify_days: int = 182
    licence_max_bytes: int = 5 * 1024 * 1024
    live_licences: str = "hr_service_licence,business_licence@employer"
    licence_sweep_seconds: float = 300.0
    licence_reverify_grace_days: int = 30  # re-verification overdue this long: the licence lapses (suspended)
    # ledger feeds and chat escalation (docs/governance.md, "Feeds"): a committed apply batch waits at most this
    # long for its ledger entry; a chat report the room's moderators leave this many hours becomes a complaint
    ledger_delivery_seconds: float = 5.0
    chat_report_escalate_hours: float = 24.0
    # the ledger head's anchor (its seq and hash) appended to <data_dir>/ledger-anchors.jsonl and logged this
    # often (0: never; `livehire ledger anchor` takes one by hand)
    ledger_anchor_hours: float = 24.0
    # moderators' decisions on held chat messages are kept this many days as labelled examples for the filter
    # (`livehire moderate export-labels`; their texts, masked, may still say something of a person)
    moderation_label_days: int = 365
    # job review (standard 5.1.3 c): a job whose poster names no end of validity is valid this many days
    job_validity_days: int = 30
    # recordings (docs/recording.md): replays and clips are kept this many days (the live-streaming rules ask
    # for at least 60), then purged daily; with a bucket set, finished recordings go to S3-compatible storage
    recording_retention_days: int = 60
    recording_s3_bucket: str | None = None
    recording_s3_endpoint: str | None = None  # e.g. http://minio:9000; None → AWS
    recording_s3_region: str = "us-east-1"
    recording_s3_access_key: str | None = None
    recording_s3_secret_key: str | None = None

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'livehire.db').resolve()}"

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in {"0.0.0.0", "::", ""} else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def udp_ports(self) -> tuple[int, int] | None:
        return (self.udp_port_min, self.udp_port_max) if self.udp_port_min else None

    def validated(self) -> Settings:
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"port must be 0-65535, not {self.port}")
        if (self.udp_port_min or self.udp_port_max) and not (
            1024 <= self.udp_port_min <= self.udp_port_max <= 65535
        ):
            raise SettingsError("udp_port_min and udp_port_max must satisfy 1024 <= min <= max <= 65535")
        if self.secret is not None and len(self.secret) < 32:
            raise SettingsError("secret must be at least 32 characters")
        if self.outbox_lease_ms < 100:
            raise SettingsError(f"outbox_lease_ms must be at least 100, not {self.outbox_lease_ms}")
        if not self.outbox_sweep_seconds > 0:
            raise SettingsError(f"outbox_sweep_seconds must be positive, not {self.outbox_sweep_seconds}")
        if not 0 < self.revocation_sync_seconds <= 60:
            raise SettingsError(f"revocation_sync_seconds must be in (0, 60], not {self.revocation_sync_seconds}")
        if self.sms_webhook_url and len(self.sms_webhook_secret or "") < 16:
            raise SettingsError("sms_webhook_secret must be at least 16 characters when sms_webhook_url is set")
        if min(self.media_max_sessions, self.media_per_client_room, self.media_per_client_node) < 1:
            raise SettingsError("media_max_sessions, media_per_client_room and media_per_client_node must be >= 1")
        if self.max_connections_per_ip < 1:
            raise SettingsError(f"max_connections_per_ip must be at least 1, not {self.max_connections_per_ip}")
        if not self.header_timeout_seconds > 0:
            raise SettingsError(f"header_timeout_seconds must be positive, not {self.header_timeout_seconds}")
        if self.metrics_token is not None and len(self.metrics_token) < 16:
            raise SettingsError("metrics_token must be at least 16 characters")
        if not 3 <= self.ledger_retention_years <= 100:
            raise SettingsError(f"ledger_retention_years must be 3-100 (standard 4.4.1 f), not {self.ledger_retention_years}")
        if not 1 <= self.complaint_working_days <= 60:
            raise SettingsError(f"complaint_working_days must be 1-60, not {self.complaint_working_days}")
        for name in DISCLOSURES:
            value = getattr(self, name)
            if value is not None and (len(value) > 200 or any(ord(c) < 32 for c in value)):
                raise SettingsError(f"{name} must be one line of at most 200 characters")
        for industry, access in self.industry_access:
            if not industry or access not in ("allowed", "review", "refused"):
                raise SettingsError(f"industry_access {industry}={access}: the access is allowed, review or refused")
        if not 1 <= self.licence_reverify_days <= 3660:
            raise SettingsError(f"licence_reverify_days must be 1-3660, not {self.licence_reverify_days}")
        if not 0 <= self.licence_reverify_grace_days <= 365:
            raise SettingsError(f"licence_reverify_grace_days must be 0-365, not {self.licence_reverify_grace_days}")
        if not 1024 <= self.licence_max_bytes <= 50 * 1024 * 1024:
            raise SettingsError(f"licence_max_bytes must be 1 KiB-50 MiB, not {self.licence_max_bytes}")
        if not 0 < self.ledger_delivery_seconds <= 300:
            raise SettingsError(f"ledger_delivery_seconds must be in (0, 300], not {self.ledger_delivery_seconds}")
        if not 1 <= self.moderation_label_days <= 3650:
            raise SettingsError(f"moderation_label_days must be 1-3650, not {self.moderation_label_days}")
        if not 0 <= self.ledger_anchor_hours <= 24 * 30:
            raise SettingsError(f"ledger_anchor_hours must be in [0, 720], not {self.ledger_anchor_hours}")
        if not 0 < self.chat_report_escalate_hours <= 24 * 30:
            raise SettingsError(f"chat_report_escalate_hours must be in (0, 720], not {self.chat_report_escalate_hours}")
        if not 1 <= self.job_validity_days <= 366:
            raise SettingsError(f"job_validity_days must be 1-366, not {self.job_validity_days}")
        if not 60 <= self.recording_retention_days <= 3660:
            raise SettingsError(f"recording_retention_days must be 60-3660 (the law asks for 60), not "
                                f"{self.recording_retention_days}")
        if not self.licence_sweep_seconds > 0:
            raise SettingsError(f"licence_sweep_seconds must be positive, not {self.licence_sweep_seconds}")
        try:
            parse_live_licences(self.live_licences)
        except ValueError as exc:
            raise SettingsError(str(exc)) from exc
        for server in self.ice_servers:
            if not server.startswith(("stun:", "turn:", "turns:")):
                raise SettingsError(f"ICE server {server!r} must start with stun:, turn: or turns:")
        return self


def _as_bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes", "on"}


_CONVERTERS: dict[str, Any] = {
    "port": int,
    "udp_port_min": int,
    "udp_port_max": int,
    "max_body_bytes": int,
    "media_max_sessions": int,
    "media_per_client_room": int,
    "media_per_client_node": int,
    "outbox_lease_ms": int,
    "outbox_sweep_seconds": float,
    "revocation_sync_seconds": float,
    "max_connections_per_ip": int,
    "header_timeout_seconds": float,
    "ledger_retention_years": int,
    "complaint_working_days": int,
    "licence_reverify_days": int,
    "licence_max_bytes": int,
    "licence_sweep_seconds": float,
    "licence_reverify_grace_days": int,
    "ledger_delivery_seconds": float,
    "chat_report_escalate_hours": float,
    "ledger_anchor_hours": float,
    "moderation_label_days": int,
    "job_validity_days": int,
    "recording_retention_days": int,
    "data_dir": Path,
    "ice_include_loopback": _as_bool,
    "seed_demo": _as_bool,
    "rate_limits": lambda v: tuple(
        (name.strip(), limit.strip()) for name, _, limit in
        (item.partition("=") for item in (v if isinstance(v, list | tuple) else str(v).split(",")) if str(item).strip())
    ),
    "industry_access": lambda v: tuple(
        (name.strip(), access.strip()) for name, _, access in
        (item.partition("=") for item in (v if isinstance(v, list | tuple) else str(v).split(",")) if str(item).strip())
    ),
    "ice_servers": lambda v: tuple(v) if isinstance(v, list | tuple) else tuple(
        s.strip() for s in str(v).split(",") if s.strip()
    ),
}


def _convert(name: str, value: Any) -> Any:
    try:
        return _CONVERTERS.get(name, lambda v: v if v is None else str(v))(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name} has an invalid value {value!r}") from exc


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Merges the sources in precedence order; ``None`` overrides are ignored."""
    environ = os.environ if environ is None else environ
    names = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    config_path = config_file or (Path(environ[f"{ENV_PREFIX}CONFIG"]) if environ.get(f"{ENV_PREFIX}CONFIG") else None)
    if config_path is not None:
        try:
            document = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"cannot read config file {config_path}: {exc}") from exc
        for key, value in document.items():
            if key not in names:
                raise SettingsError(f"unknown setting {key!r} in {config_path}")
            values[key] = _convert(key, value)
    for name in names:
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            values[name] = _convert(name, raw)
    for name, value in (overrides or {}).items():
        if value is not None:
            if name not in names:
                raise SettingsError(f"unknown setting {name!r}")
            values[name] = _convert(name, value)
    return Settings(**values).validated()


def with_secret(settings: Settings) -> Settings:
    """Fills in the secret from ``data_dir/secret``, generating it on first run (mode 0600).

    The data directory is private (0700): it holds the secret and the SQLite store.
    """
    if settings.secret:
        return settings
    path = settings.data_dir / SECRET_FILE
    private_data_dir(settings.data_dir)
    if path.exists():
        secret = path.read_text(encoding="utf-8").strip()
    else:
        secret = secrets.token_urlsafe(48)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secret + "\n")
    return replace(settings, secret=secret).validated()


def private_data_dir(path: Path) -> None:
    """Creates the data directory 0700 so other local users cannot list or read the secret and the
    database (review finding L4); tightens an existing one that holds our secret (an older install)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = path.stat()
    if status.st_mode & 0o077 and status.st_uid == os.getuid() and (path / SECRET_FILE).exists():
        path.chmod(0o700)
