"""Settings precedence: flags > LIVEHIRE_* environment > TOML file > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from livehire.settings import Settings, SettingsError, load_settings, with_secret


def test_defaults_are_the_embedded_mode(tmp_path: Path) -> None:
    settings = load_settings({"data_dir": tmp_path}, environ={})
    assert settings.redis_url is None
    assert settings.effective_database_url == f"sqlite:///{(tmp_path / 'livehire.db').resolve()}"
    assert settings.ice_servers == ()
    assert settings.base_url == "http://127.0.0.1:8080"


def test_precedence_flags_over_env_over_file(tmp_path: Path) -> None:
    config = tmp_path / "livehire.toml"
    config.write_text('port = 9000\nhost = "0.0.0.0"\nice_servers = ["stun:stun.example.org:3478"]\nudp_port_min = 40000\nudp_port_max = 40100\n')
    env = {"LIVEHIRE_PORT": "9100", "LIVEHIRE_REDIS_URL": "redis://127.0.0.1:6379/1"}
    settings = load_settings({"port": 9200, "host": None}, environ=env, config_file=config)
    assert settings.port == 9200
    assert settings.host == "0.0.0.0"
    assert settings.redis_url == "redis://127.0.0.1:6379/1"
    assert settings.ice_servers == ("stun:stun.example.org:3478",)
    assert settings.udp_ports == (40000, 40100)
    assert load_settings({}, environ=env, config_file=config).port == 9100
    assert load_settings({}, environ={}, config_file=config).port == 9000


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"port": 70000}, "port"),
        ({"udp_port_min": 50000, "udp_port_max": 40000}, "udp_port"),
        ({"ice_servers": "http://x"}, "ICE server"),
        ({"secret": "short"}, "secret"),
        ({"port": "eighty"}, "port"),
        ({"nonsense": 1}, "unknown setting"),
    ],
)
def test_bad_values_are_named(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(overrides, environ={})


def test_unknown_key_in_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("prot = 1\n")
    with pytest.raises(SettingsError, match="prot"):
        load_settings({}, environ={}, config_file=config)


def test_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = with_secret(Settings(data_dir=tmp_path))
    second = with_secret(Settings(data_dir=tmp_path))
    assert first.secret and first.secret == second.secret and len(first.secret) >= 32
    assert (tmp_path / "secret").stat().st_mode & 0o077 == 0
