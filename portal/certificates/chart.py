"""Geometry of the expiry timeline: stacked bars per month, laid out here and drawn as SVG by
templates/certificates/_timeline.html (server-side, no JavaScript, nothing from a CDN)."""

from __future__ import annotations

from typing import Any, Callable

from babel.dates import get_month_names

from portal.i18n import N_, current_language, gettext, ngettext

WIDTH, HEIGHT = 1040, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 36, 46   # TOP leaves room for the legend above the tallest bar
SERIES = (  # bottom to top: the urgent part sits on the axis, where the eye starts
    ("expired", N_("Expired"), "#b3261e"),
    ("expiring", N_("Expiring soon"), "#c77c02"),
    ("valid", N_("Valid"), "#0b5cad"),
)


def _months() -> list[str]:
    """Abbreviated month names in the page's language, from CLDR (Jan, Feb… / Jan., Feb.…)."""
    names = get_month_names("abbreviated", locale=current_language())
    return [names[m] for m in range(1, 13)]


def tick_step(value: int, ticks: int = 4) -> int:
    """A round step (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k, whole numbers) so that `ticks` steps reach value."""
    raw = max(1.0, value / ticks)
    magnitude = 1
    while magnitude * 10 <= raw:
        magnitude *= 10
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= raw and float(step * magnitude).is_integer():
            return int(step * magnitude)
    return int(raw)


def layout(buckets: list[dict[str, Any]], link: Callable[[dict[str, Any]], str]) -> dict[str, Any]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = tick_step(max([sum(b[k] for k, _, _ in SERIES) for b in buckets] + [0]))
    top_value = step * 4
    slot = plot_w / max(1, len(buckets))
    bar_w = slot * 0.62
    bars, months = [], _months()
    for i, bucket in enumerate(buckets):
        x = LEFT + i * slot + (slot - bar_w) / 2
        base, segments = TOP + plot_h, []
        for key, name, colour in SERIES:
            h = plot_h * bucket[key] / top_value
            if bucket[key]:
                segments.append({"key": key, "y": round(base - h, 2), "h": round(h, 2), "fill": colour})
            base -= h
        month = bucket["month"]
        total = sum(bucket[k] for k, _, _ in SERIES)
        parts = ", ".join(f"{bucket[k]} {gettext(name).lower()}" for k, name, _ in SERIES if bucket[k])
        bars.append({
            "x": round(x, 2), "w": round(bar_w, 2), "cx": round(x + bar_w / 2, 2), "segments": segments,
            "total": total, "total_y": round(base - 5, 2), "href": link(bucket),
            "label": months[month.month - 1], "year": month.year if i == 0 or month.month == 1 else None,
            "title": f"{months[month.month - 1]} {month.year}: " + ngettext("%(num)d certificate expires", "%(num)d certificates expire", total) + (f" ({parts})" if parts else ""),
        })
    ticks = [{"value": step * f, "y": round(TOP + plot_h * (1 - f / 4), 2)} for f in range(5)]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
            "bottom": TOP + plot_h, "bars": bars, "ticks": ticks,
            "legend": [{"name": gettext(name), "fill": colour, "x": LEFT + i * 130} for i, (_, name, colour) in enumerate(SERIES)]}
