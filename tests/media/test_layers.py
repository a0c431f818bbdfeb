"""Simulcast layer choice without sockets: the selector's hysteresis, sink switches at keyframes, abs-send-time."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from media_server.sfu.forward import CodecInfo, ForwardedTrack, ViewerSink
from media_server.sfu.layers import LayerPolicy, LayerSelector
from media_server.sfu.rtp import HeaderWriter, abs_send_time, mid_extension, parse_header
from media_server.sfu.viewer_layers import AUDIO_ONLY, AUTO, ViewerLayers
from tests.media.test_forward_unit import CONT, DELTA, KEY, VP8, ListWriter

RATES = [150_000.0, 500_000.0, 1_500_000.0]  # 180p, 360p, 720p


def run(selector: LayerSelector, estimate: float, start: float, seconds: float, rates: list[float] = RATES,
        step: float = 0.5) -> list[int | None]:
    """Feed ``estimate`` every ``step`` from ``start`` for ``seconds``; the targets chosen."""
    out = []
    t = start
    while t < start + seconds:
        selector.on_estimate(estimate, t)
        out.append(selector.update(rates, 0.0, t))
        t += step
    return out


def test_starts_on_the_lowest_layer_and_upgrades_only_after_two_seconds() -> None:
    selector = LayerSelector()
    assert selector.update(RATES, 0.0, 0.0) == 0
    targets = run(selector, 3_000_000, 0.0, 1.9)
    assert set(targets) == {0}  # a fitting estimate must last 2 s
    assert run(selector, 3_000_000, 2.0, 0.5) == [2]  # straight to the best fit


def test_forced_downgrade_is_immediate_and_holds_ten_seconds() -> None:
    selector = LayerSelector()
    run(selector, 3_000_000, 0.0, 3.0)
    assert selector.target == 2
    assert run(selector, 400_000, 3.0, 0.5) == [0]  # 500 k no longer fits under 400 k x 0.9
    assert selector.hold_remaining(3.0) == 10.0
    held = run(selector, 3_000_000, 3.5, 9.0)
    assert set(held) == {0}  # no upgrade within the 10 s hold, however good the estimate
    assert run(selector, 3_000_000, 13.0, 3.0)[-1] == 2


def test_a_layer_is_kept_while_carried_and_entered_only_with_margin() -> None:
    selector = LayerSelector()
    run(selector, 600_000, 0.0, 3.0)
    assert selector.target == 1  # 500 k <= 600 k x 0.9
    assert set(run(selector, 470_000, 3.0, 5.0)) == {1}  # 470 k x 1.1 still carries 500 k: no flapping down
    assert run(selector, 440_000, 8.0, 0.5) == [0]  # an overused estimator says 0.85 x what it gets


def test_audio_only_when_not_even_the_lowest_layer_fits_then_retries_it_after_the_hold() -> None:
    selector = LayerSelector()
    assert run(selector, 100_000, 0.0, 0.5) == [None]
    assert set(run(selector, 100_000, 0.5, 9.0)) == {None}
    retried = run(selector, 100_000, 9.5, 3.0)  # audio only brings no new estimate: the lowest layer is tried
    assert 0 in retried


def test_probe_from_the_estimators_ceiling_and_probation_until_congestion() -> None:
    """A receiver's estimate tops out at ~1.5 x what it gets; at that ceiling the next layer is tried."""
    selector = LayerSelector()
    assert set(run(selector, 200_000, 0.0, 3.0)) == {0}  # under 1.45 x 150 k: the link's limit, no probe
    assert run(selector, 235_000, 3.0, 2.5)[-1] == 1  # 235 k >= 1.45 x 150 k: probe 500 k
    selector.on_switched(5.5)
    rising = 235_000.0
    t = 5.5
    for _ in range(8):  # a free link: the estimate climbs ~8 %/s and the probe stays
        rising *= 1.04
        assert run(selector, rising, t, 0.5) == [1]
        t += 0.5
    assert run(selector, rising * 0.7, t, 0.5) == [0]  # the estimate collapses: congestion, back down


def test_a_flat_estimate_ends_a_probe() -> None:
    selector = LayerSelector()
    run(selector, 240_000, 0.0, 5.5)
    assert selector.target == 1
    selector.on_switched(5.5)
    targets = run(selector, 240_000, 5.5, 6.0)  # stuck at the link's limit
    assert targets[0] == 1 and targets[-1] == 0


def test_loss_during_a_probe_ends_it() -> None:
    selector = LayerSelector()
    run(selector, 240_000, 0.0, 5.5)
    selector.on_switched(5.5)
    selector.on_loss(0.2)
    assert run(selector, 250_000, 5.5, 0.5) == [0]


def test_no_feedback_gets_the_top_layer_after_a_while_and_late_feedback_corrects_it_without_hold() -> None:
    selector = LayerSelector(LayerPolicy(no_feedback_after=5.0))
    assert selector.update(RATES, 0.0, 0.0) == 0
    assert selector.update(RATES, 0.0, 5.5) == 2
    assert run(selector, 600_000, 6.0, 0.5) == [1]
    assert selector.hold_remaining(6.0) == 0  # the top layer was a guess, not evidence


def test_pinned_layer_ignores_the_estimate_and_paused_layers_are_skipped() -> None:
    selector = LayerSelector()
    selector.pin(2)
    assert set(run(selector, 50_000, 0.0, 5.0)) == {2}
    selector.pin(None)
    assert run(selector, 50_000, 5.0, 0.5) == [None]
    fresh = LayerSelector()
    assert run(fresh, 3_000_000, 0.0, 3.0, rates=[150_000, 0.0, 0.0])[-1] == 0  # only the lowest flows


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 5e6), st.lists(st.floats(0, 3e6), min_size=1, max_size=4),
                          st.floats(0, 0.5), st.booleans()), max_size=60))
def test_fuzzed_feedback_always_yields_a_valid_target(events: list[tuple[float, list[float], float, bool]]) -> None:
    selector = LayerSelector()
    t = 0.0
    for estimate, rates, loss, switched in events:
        t += 0.3
        selector.on_estimate(estimate, t)
        selector.on_loss(loss)
        if switched:
            selector.on_switched(t)
        target = selector.update(rates, 32_000.0, t)
        assert target is None or 0 <= target < max(len(rates), len(RATES))


def bound(codec: CodecInfo = VP8) -> tuple[ForwardedTrack, int, list[int]]:
    requests: list[int] = []
    track = ForwardedTrack("video", keyframe_interval=0.0)
    return track, track.bind_source(codec, lambda: requests.append(1)), requests


def test_sink_switches_layers_at_a_keyframe_with_one_continuous_stream() -> None:
    low, low_src, _ = bound()
    high, high_src, high_asks = bound()
    writer = ListWriter()
    sink = ViewerSink(low, writer, HeaderWriter(0xABC, 100), clock_rate=90000)
    low.add_sink(sink)
    low.push(low_src, 500, 9000, 1, KEY, 0.0)
    low.push(low_src, 501, 12000, 1, DELTA, 0.033)
    sink.switch(high, 0.04)
    assert high_asks == [1] and sink.pending is high  # a keyframe is asked of the target layer
    high.push(high_src, 7000, 555000, 1, DELTA, 0.05)  # no keyframe yet: the low layer keeps flowing
    low.push(low_src, 502, 15000, 1, DELTA, 0.066)
    high.push(high_src, 7001, 558000, 0, KEY, 0.1)
    high.push(high_src, 7002, 558000, 1, CONT, 0.1)
    low.push(low_src, 503, 18000, 1, DELTA, 0.1)  # no longer forwarded
    headers = [parse_header(d) for d in writer.sent]
    assert [d[12:] for d in writer.sent] == [KEY, DELTA, DELTA, KEY, CONT]
    seqs = [h[2] for h in headers]
    assert all((b - a) & 0xFFFF == 1 for a, b in pairwise(seqs))
    timestamps = [h[3] for h in headers]
    assert 0 < (timestamps[3] - timestamps[2]) & 0xFFFFFFFF < 90000  # advances by wall time, no jump
    assert {h[4] for h in headers} == {0xABC}
    assert sink.track is high and sink.switches == 1 and sink.pending is None
    assert sink not in low.sinks


def test_pause_for_audio_only_and_resume_at_a_keyframe() -> None:
    track, src, _ = bound()
    writer = ListWriter()
    sink = ViewerSink(track, writer, HeaderWriter(0xABC, 100), clock_rate=90000)
    track.add_sink(sink)
    track.push(src, 1, 0, 1, KEY, 0.0)
    sink.pause()
    track.push(src, 2, 3000, 1, DELTA, 0.03)
    assert len(writer.sent) == 1 and sink.paused
    sink.switch(track, 1.0)
    track.push(src, 3, 6000, 1, DELTA, 1.0)
    track.push(src, 4, 9000, 1, KEY, 1.1)
    assert [d[12:] for d in writer.sent] == [KEY, KEY] and not sink.paused
    assert (parse_header(writer.sent[1])[2] - parse_header(writer.sent[0])[2]) & 0xFFFF == 1


def test_duplicate_packets_are_forwarded_once() -> None:
    track, src, _ = bound()
    writer = ListWriter()
    sink = ViewerSink(track, writer, HeaderWriter(0xABC, 100), clock_rate=90000)
    track.add_sink(sink)
    track.push(src, 1, 0, 1, KEY, 0.0)
    track.push(src, 1, 0, 1, KEY, 0.01)  # an RTX probe resending what we have
    assert len(writer.sent) == 1 and track.packets_in == 1


def test_viewer_layers_orders_by_rate_and_follows_pins() -> None:
    tracks = {rid: bound()[0:2] for rid in ("q", "h", "f")}
    layers = {rid: t for rid, (t, _) in tracks.items()}
    for rate, (track, src) in zip((300_000.0, 1_200_000.0, 90_000.0), tracks.values(), strict=True):
        track.push(src, 1, 0, 1, KEY, 0.0)
        track.bitrate_bps = track.peak_bps = track.mean_bps = rate
    writer = ListWriter()
    sink = ViewerSink(layers["h"], writer, HeaderWriter(0xABC, 100), clock_rate=90000)
    control = ViewerLayers(sink, layers["h"], lambda: layers)
    assert [rid for rid, _, _ in control.ordered(0.5)] == ["f", "q", "h"]
    assert control.initial(0.5) is layers["f"]
    sink.track = control.initial(0.5)
    sink.track.add_sink(sink)
    control.pin("h", 0.5)
    assert sink.pending is layers["h"]
    control.pin(AUDIO_ONLY, 0.6)
    assert sink.paused and control.snapshot(0.6)["audio_only"] is True
    control.pin(AUTO, 0.7)
    assert sink.pending is not None and control.snapshot(0.7)["pinned"] == AUTO  # video again, at a keyframe


def test_abs_send_time_extension_beside_the_mid() -> None:
    writer = HeaderWriter(1, 96, mid_extension(1, "0"), abs_send_time_id=3)
    data = writer.write(7, 1000, 1, b"payload", stamp=abs_send_time(2.5))
    assert data[0] == 0x90 and data.endswith(b"payload")
    profile, words = int.from_bytes(data[12:14], "big"), int.from_bytes(data[14:16], "big")
    block = data[16:16 + words * 4]
    assert profile == 0xBEDE and block[:2] == bytes([0x10]) + b"0"
    assert block[2] == 0x32 and int.from_bytes(block[3:6], "big") == int(2.5 * (1 << 18)) & 0xFFFFFF
    assert data[16 + words * 4:] == b"payload"
    assert HeaderWriter(1, 96, b"", abs_send_time_id=None).write(7, 1000, 1, b"x")[0] == 0x80


def test_forwarded_and_retransmitted_packets_carry_their_own_send_time() -> None:
    """The viewer's estimator reads abs-send-time: a resend stamped with the original time would look delayed."""
    track, src, _ = bound()
    writer = ListWriter()
    sink = ViewerSink(track, writer, HeaderWriter(0xABC, 100, abs_send_time_id=3), clock_rate=90000, rtx=(101, 0xDEF))
    track.add_sink(sink)
    track.push(src, 1, 0, 1, KEY, 4.0)
    sink.on_nack([parse_header(writer.sent[0])[2]], 4.25)
    assert [d[17:20] for d in writer.sent] == [abs_send_time(4.0), abs_send_time(4.25)]
    assert parse_header(writer.sent[1])[1] == 101  # as RTX
