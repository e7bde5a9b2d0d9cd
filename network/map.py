"""The directory's map: the five Danish regions and a Nordic strip, drawn on the server as SVG.

Schematic shapes, not geography: enough to recognise Jutland, Funen, Zealand and Bornholm, with
no map tiles from another host (the CSP allows none) and no script. Each region links to the list
filtered to it; a table beside the map carries the same counts and links for screen readers and
keyboards, so the SVG itself is hidden from assistive technology.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from network.models import DANISH_REGIONS, NORDIC_COUNTRIES, Region

# The map has room for short names only; the table beside it gives the full ones.
SHORT_NAMES = {
    Region.NORDJYLLAND: _("North Denmark"),
    Region.MIDTJYLLAND: _("Central Denmark"),
    Region.SYDDANMARK: _("Southern Denmark"),
    Region.SJAELLAND: _("Zealand"),
    Region.HOVEDSTADEN: _("Capital Region"),
}

# Polygons in a 400 × 290 box; a region may be several islands.
SHAPES: dict[str, tuple[str, ...]] = {
    Region.NORDJYLLAND: ("72,22 150,8 184,34 166,78 104,96 62,84 56,48",),
    Region.MIDTJYLLAND: ("58,96 104,98 166,80 182,112 168,160 62,166 44,130",),
    Region.SYDDANMARK: (
        "62,168 166,162 160,228 122,252 66,250 54,204",
        "186,178 236,172 248,212 204,232 180,210",
    ),
    Region.SJAELLAND: (
        "264,168 304,170 314,214 284,246 252,238 256,200",
        "246,256 312,252 306,274 244,278",
    ),
    Region.HOVEDSTADEN: (
        "290,120 342,108 352,160 306,166 276,150",
        "368,196 392,192 396,212 372,216",
    ),
}
# Where the count sits (x, y), and the label's baseline below it.
LABEL_AT: dict[str, tuple[int, int]] = {
    Region.NORDJYLLAND: (114, 50),
    Region.MIDTJYLLAND: (112, 128),
    Region.SYDDANMARK: (108, 204),
    Region.SJAELLAND: (284, 208),
    Region.HOVEDSTADEN: (316, 136),
}
STRIP_TOP = 300
STRIP_BOX = (88, 46)  # width, height of each Nordic box
WIDTH, HEIGHT = 400, STRIP_TOP + STRIP_BOX[1] + 4


@dataclass(frozen=True)
class MapArea:
    region: str
    label: str
    short: str
    count: int
    href: str
    polygons: tuple[str, ...] = ()
    x: int = 0
    y: int = 0
    box: tuple[int, int, int, int] | None = None  # x, y, width, height for the Nordic strip
    level: int = 0  # 0 (none) … 3 (most): the fill
    selected: bool = False
    label_y: int = 0


def _level(count: int, most: int) -> int:
    if count == 0 or most == 0:
        return 0
    share = count / most
    return 3 if share > 2 / 3 else 2 if share > 1 / 3 else 1


def build(counts: dict[str, int], href_for, selected: str = "") -> dict:
    """The map's areas: ``href_for(region)`` is the link to the list filtered to that region."""
    regions = (*DANISH_REGIONS, *NORDIC_COUNTRIES)
    most = max((counts.get(r, 0) for r in regions), default=0)
    areas = []
    for region in DANISH_REGIONS:
        x, y = LABEL_AT[region]
        areas.append(
            MapArea(
                region=region,
                label=Region(region).label,
                short=SHORT_NAMES[region],
                count=counts.get(region, 0),
                href=href_for(region),
                polygons=SHAPES[region],
                x=x,
                y=y,
                label_y=y + 26,
                level=_level(counts.get(region, 0), most),
                selected=selected == region,
            )
        )
    strip = []
    width, height = STRIP_BOX
    gap = (WIDTH - len(NORDIC_COUNTRIES) * width) // (len(NORDIC_COUNTRIES) - 1)
    for i, region in enumerate(NORDIC_COUNTRIES):
        left = i * (width + gap)
        strip.append(
            MapArea(
                region=region,
                label=Region(region).label,
                short=Region(region).label,
                count=counts.get(region, 0),
                href=href_for(region),
                box=(left, STRIP_TOP, width, height),
                x=left + width // 2,
                y=STRIP_TOP + 17,
                label_y=STRIP_TOP + 39,
                level=_level(counts.get(region, 0), most),
                selected=selected == region,
            )
        )
    national = counts.get(Region.NATIONAL, 0)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "regions": areas,
        "nordic": strip,
        "strip_top": STRIP_TOP,
        "national": MapArea(
            region=Region.NATIONAL,
            label=Region.NATIONAL.label,
            short=Region.NATIONAL.label,
            count=national,
            href=href_for(Region.NATIONAL),
            selected=selected == Region.NATIONAL,
        ),
    }
