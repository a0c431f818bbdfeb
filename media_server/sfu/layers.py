"""Which simulcast layer a viewer gets (sans-I/O): bandwidth estimate in, target layer out.

Theory of operation: the viewer's congestion feedback (REMB, RFC draft
alvestrand-rmcat-remb) gives an estimate of what its link carries. The best
layer is the highest whose measured bitrate, plus audio, fits under the
estimate with a safety margin. A worse fit switches down at once (a *forced*
downgrade, after which upgrades wait ``hold_after_downgrade``); a better fit
must last ``upgrade_after`` before we switch up, so one optimistic report does
not flap the viewer between layers (mediasoup waits ~2 s and ~10 s likewise).

A receiver's delay-based estimate only grows to about 1.5 x what it receives,
so it never "sees" a layer far above its current one. When the estimate says
the link is not congested (it exceeds ``probe_ratio`` x the current rate), the
selector tries the next layer up. While the estimator catches up with the new
rate, that layer is *on probation*: it is kept unless the link shows
congestion: the estimate falls below ``drop_ratio`` x its peak since the
switch, receiver reports show more than ``max_loss`` lost, or the estimate
has not grown by ``flat_growth`` within ``flat_after`` of the switch (an estimator on a free
link climbs ~8 %/s; one at its link's limit stays flat). A congested probe
ends in a forced downgrade and its hold. ``probe_ratio`` stays just below 1.5
so a viewer whose estimate sits at its link's limit, below the estimator's own
ceiling, is not probed at all. A current layer is kept while the estimate
carries it (``keep_margin``: a receiver's first estimate is just what it
receives, and an overused one drops to 0.85 x that); entering one needs
``margin`` (hysteresis).

Layers are indexed from the lowest (0) up; ``None`` means audio only.
A layer whose bitrate is 0 is not flowing and is never chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LayerPolicy:
    """The selector's constants (why each: see the module docstring)."""

    upgrade_after: float = 2.0
    hold_after_downgrade: float = 10.0
    margin: float = 0.9
    keep_margin: float = 1.1
    probe_ratio: float = 1.45
    drop_ratio: float = 0.85
    max_loss: float = 0.1
    flat_after: float = 5.0
    flat_growth: float = 1.1
    no_feedback_after: float = 5.0


class LayerSelector:
    """One viewer's layer choice; feed it estimates and layer rates, read ``target``."""

    __slots__ = ("_better_since", "_blind", "_hold_until", "_loss", "_peak", "_policy", "_probe_at",
                 "_probe_from", "_started", "estimate_bps", "estimated_at", "pinned", "target")

    def __init__(self, policy: LayerPolicy | None = None) -> None:
        self._policy = policy or LayerPolicy()
        self.target: int | None = 0
        self.pinned: int | None = None
        self.estimate_bps: float | None = None
        self.estimated_at: float | None = None
        self._better_since: float | None = None
        self._hold_until = 0.0
        self._blind = False  # the target was chosen without any estimate: correcting it is no forced downgrade
        self._started: float | None = None
        self._peak: float | None = None  # not None while the target layer is on probation
        self._probe_at = 0.0
        self._probe_from = 0.0
        self._loss = 0.0

    def on_estimate(self, bitrate_bps: float, now: float) -> None:
        """A REMB (or other estimate) from the viewer."""
        self.estimate_bps = max(0.0, float(bitrate_bps))
        self.estimated_at = now
        if self._peak is not None:
            self._peak = max(self._peak, self.estimate_bps)

    def on_loss(self, fraction_lost: float) -> None:
        """The loss fraction (0..1) of the viewer's latest receiver report."""
        self._loss = fraction_lost

    def hold_remaining(self, now: float) -> float:
        """Seconds until an upgrade may happen again after a forced downgrade."""
        return max(0.0, self._hold_until - now)

    def pin(self, layer: int | None) -> None:
        """Fix the viewer on ``layer`` (``None``: back to automatic choice)."""
        self.pinned = layer
        self._better_since = None

    def fits(self, rates: Sequence[float], audio_bps: float) -> int | None:
        """The highest flowing layer that fits the estimate now; ``None`` when not even the lowest does."""
        if self.estimate_bps is None:
            return None
        budget = self.estimate_bps * self._policy.margin - audio_bps
        best: int | None = None
        for index, rate in enumerate(rates):
            if rate > 0 and rate <= budget:
                best = index
        return best

    def update(self, rates: Sequence[float], audio_bps: float, now: float) -> int | None:
        """Re-decide with the layers' current bitrates (lowest first); returns the new ``target``."""
        policy = self._policy
        if self._started is None:
            self._started = now
        flowing = [i for i, rate in enumerate(rates) if rate > 0]
        if not flowing:
            return self.target
        if self.pinned is not None:
            self.target = min(self.pinned, len(rates) - 1)
            return self.target
        if self.estimate_bps is None:
            # no feedback negotiated or none yet: start low, then give the best we have
            if now - self._started >= policy.no_feedback_after:
                self.target = flowing[-1]
                self._blind = True
            elif self.target is None or self.target not in flowing:
                self.target = flowing[0]
            return self.target
        best = self.fits(rates, audio_bps)
        current = self.target
        if current is not None and current not in flowing:
            current = self.target = flowing[0]
            self._peak = None
        if (current is not None and (best is None or best < current)
                and rates[current] + audio_bps <= self.estimate_bps * policy.keep_margin):
            best = current  # still carried: a layer is entered with ``margin`` but kept without it
        if self._peak is not None and current is not None and (best is None or best < current):
            if not self._congested(now):
                return self.target  # on probation, and the link shows no congestion yet
            below = current - 1 if current > 0 else None
            best = below if best is None else min(best, current - 1)
        if current is None and best is None:
            # audio only sends no video, so no new estimate comes: after the hold, try the lowest layer
            return self._upgrade(flowing[0], now, probe=True)
        if best is None or (current is not None and best < current):
            return self._downgrade(best, now)
        if current is not None and best == current:
            self._peak = None  # fits now: probation over
            above = [i for i in flowing if i > current]
            if above and self.estimate_bps >= policy.probe_ratio * rates[current] + audio_bps:
                return self._upgrade(above[0], now, probe=True)
            self._better_since = None
            return self.target
        return self._upgrade(best, now, probe=False)

    def on_switched(self, now: float) -> None:
        """The viewer now receives the target layer (its keyframe came): probation's clock starts here."""
        if self._peak is not None:
            self._probe_at = now
            self._probe_from = self.estimate_bps or 0.0
            self._peak = self._probe_from

    def _congested(self, now: float) -> bool:
        policy = self._policy
        estimate = self.estimate_bps or 0.0
        peak = self._peak or 0.0
        flat = now - self._probe_at >= policy.flat_after and peak < policy.flat_growth * self._probe_from
        return estimate < policy.drop_ratio * peak or self._loss > policy.max_loss or flat

    def _downgrade(self, layer: int | None, now: float) -> int | None:
        self.target = layer
        if not self._blind:
            self._hold_until = now + self._policy.hold_after_downgrade
        self._blind = False
        self._better_since = None
        self._peak = None
        return self.target

    def _upgrade(self, layer: int, now: float, *, probe: bool) -> int | None:
        if now < self._hold_until:
            return self.target
        if self._better_since is None:
            self._better_since = now
        if now - self._better_since >= self._policy.upgrade_after:
            self.target = layer
            self._blind = False
            self._better_since = None
            self._peak = self.estimate_bps if probe else None
            self._probe_at = now
            self._probe_from = self.estimate_bps or 0.0
            self._loss = 0.0
        return self.target
