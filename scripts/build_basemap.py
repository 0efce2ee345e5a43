"""Convert world-atlas's TopoJSON country outlines into the GeoJSON basemap the dashboard ships.

Source: world-atlas@2.0.2 (ISC, Mike Bostock), `countries-110m.json`, itself made from Natural
Earth's 1:110m admin-0 countries (public domain). Get it with `npm pack world-atlas@2.0.2` and run

    python scripts/build_basemap.py package/countries-110m.json \
        src/newsprism/web/static/basemap/countries-110m.geojson

The output is a FeatureCollection (property `name`), coordinates rounded to 0.01 degree,
Antarctica left out. Both the Leaflet map (/map) and the self-contained report (inline SVG) read it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Quantised, delta-encoded arcs -> absolute lon/lat points."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        out.append(points)
    return out


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """One closed ring; longitudes are unwrapped where it crosses the antimeridian (Russia's
    Chukotka then reaches past 180 instead of drawing a line across the whole map)."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    out: list[list[float]] = []
    shift = 0.0
    for i, (lon, lat) in enumerate(points):
        if i and abs(lon + shift - out[-1][0]) > 180:
            shift += 360 if lon + shift < out[-1][0] else -360
        out.append([round(lon + shift, 2), lat])
    return out


def to_geojson(topo: dict, name: str = "countries") -> dict:
    arcs = decode_arcs(topo)
    features = []
    for geom in topo["objects"][name]["geometries"]:
        if geom["properties"]["name"] == "Antarctica":  # wraps the pole; of no use here
            continue
        if geom["type"] == "Polygon":
            coords = [ring(r, arcs) for r in geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            coords = [[ring(r, arcs) for r in poly] for poly in geom["arcs"]]
        else:
            continue
        features.append({"type": "Feature", "properties": {"name": geom["properties"]["name"]},
                         "geometry": {"type": geom["type"], "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}


def main(src: str, dst: str) -> None:
    geo = to_geojson(json.loads(Path(src).read_text(encoding="utf-8")))
    Path(dst).write_text(json.dumps(geo, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {dst}: {len(geo['features'])} countries")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: build_basemap.py countries-110m.json out.geojson")
    main(sys.argv[1], sys.argv[2])
