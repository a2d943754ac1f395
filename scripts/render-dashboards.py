#!/usr/bin/env python3
# Renders each dashboard in helm/polystore/files/dashboards from a live Prometheus into an HTML page (SVG charts),
# for the README's pictures; there is no Grafana on these machines. Usage, with ./polystore running and loaded:
#   python3 scripts/render-dashboards.py http://127.0.0.1:9090 helm/polystore/files/dashboards /tmp/dashboards 480
#   chromium --headless --no-sandbox --hide-scrollbars --window-size=1600,1300 \
#     --screenshot=docs/dashboards/polystore-overview.png file:///tmp/dashboards/polystore-overview.html
import json, sys, time, urllib.request, urllib.parse, html, os, re
PROM, DASH_DIR, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
WINDOW = int(sys.argv[4]) if len(sys.argv) > 4 else 900
VARS = {"$application": ".*", "$instance": ".*", "$__rate_interval": "1m", "$__range": f"{WINDOW}s"}
COLORS = ["#73bf69", "#f2cc0c", "#5794f2", "#ff780a", "#f2495c", "#b877d9", "#8ab8ff", "#fade2a", "#96d98d", "#ff9830"]
end = time.time(); start = end - WINDOW; step = max(5, WINDOW // 120)

def q(path, **params):
    return json.load(urllib.request.urlopen(PROM + path + "?" + urllib.parse.urlencode(params)))["data"]["result"]

def sub(e):
    for k, v in VARS.items():
        e = e.replace(k, v)
    return e

def legend(fmt, metric):
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: metric.get(m.group(1), ""), fmt).strip() or "value"

def fmt(v, unit):
    if v != v: return "NaN"
    if unit == "percentunit": return f"{v*100:.1f}%"
    if unit == "bytes":
        for u in ["B", "KiB", "MiB", "GiB", "TiB"]:
            if abs(v) < 1024: return f"{v:.0f} {u}" if u == "B" else f"{v:.1f} {u}"
            v /= 1024
    if unit == "s":
        return f"{v*1000:.0f} ms" if abs(v) < 1 else f"{v:.1f} s"
    if unit in ("reqps", "ops"): return f"{v:.2f}/s"
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"

def timeseries(panel, w, h):
    unit = panel["fieldConfig"]["defaults"].get("unit", "short")
    series = []
    for t in panel["targets"]:
        for r in q("/api/v1/query_range", query=sub(t["expr"]), start=start, end=end, step=step):
            pts = [(float(ts), float(v)) for ts, v in r["values"] if v not in ("NaN", "+Inf", "-Inf")]
            if pts: series.append((legend(t["legendFormat"], r["metric"]), pts))
    series = series[:10]
    if not series: return "<div class=empty>no data</div>"
    lo = min(min(v for _, v in p) for _, p in series); hi = max(max(v for _, v in p) for _, p in series)
    lo = min(lo, 0); hi = hi if hi > lo else lo + 1
    W, H = w - 70, h - 20
    out = [f'<svg width="{w}" height="{h}">']
    for i in range(5):
        y = 5 + H - i * H / 4; val = lo + (hi - lo) * i / 4
        out.append(f'<line x1="60" x2="{w-5}" y1="{y:.0f}" y2="{y:.0f}" stroke="#333"/><text x="55" y="{y+4:.0f}" text-anchor="end">{html.escape(fmt(val, unit))}</text>')
    for i, (name, pts) in enumerate(series):
        d = " ".join(f"{60 + (ts-start)/(end-start)*W:.1f},{5 + H - (v-lo)/(hi-lo)*H:.1f}" for ts, v in pts)
        out.append(f'<polyline fill="none" stroke="{COLORS[i % len(COLORS)]}" stroke-width="1.5" points="{d}"/>')
    out.append("</svg>")
    leg = "".join(f'<span><i style="background:{COLORS[i % len(COLORS)]}"></i>{html.escape(n)} <b>{html.escape(fmt(p[-1][1], unit))}</b></span>' for i, (n, p) in enumerate(series))
    return "".join(out) + f'<div class=legend>{leg}</div>'

def stat(panel):
    unit = panel["fieldConfig"]["defaults"].get("unit", "short")
    maps = {}
    for m in panel["fieldConfig"]["defaults"].get("mappings", []):
        maps.update({k: v["text"] for k, v in m.get("options", {}).items()})
    cells = []
    for t in panel["targets"]:
        for r in q("/api/v1/query", query=sub(t["expr"])):
            v = float(r["value"][1]); key = str(int(v)) if v == v and v == int(v) else None
            text = maps.get(key) if key in maps else fmt(v, unit)
            color = {"UP": "#73bf69", "INTACT": "#73bf69", "DOWN": "#f2495c", "BROKEN": "#f2495c"}.get(text, "#ccc")
            cells.append(f'<div class=stat><div class=v style="color:{color}">{html.escape(text)}</div><div class=n>{html.escape(legend(t["legendFormat"], r["metric"]))}</div></div>')
    return "".join(cells[:12]) or "<div class=empty>no data</div>"

for f in sorted(os.listdir(DASH_DIR)):
    d = json.load(open(os.path.join(DASH_DIR, f)))
    cells = []
    for p in d["panels"]:
        g = p["gridPos"]; style = f'grid-column:{g["x"]+1}/span {g["w"]};grid-row:{g["y"]+1}/span {g["h"]}'
        if p["type"] == "row":
            cells.append(f'<div class=row style="{style}">{html.escape(p["title"])}</div>'); continue
        w = g["w"] * 66 - 16; h = g["h"] * 34 - 70
        body = timeseries(p, w, h) if p["type"] == "timeseries" else stat(p)
        cells.append(f'<div class=panel style="{style}"><div class=t>{html.escape(p["title"])}</div>{body}</div>')
    page = f"""<html><head><meta charset="utf-8"><style>
body{{background:#111217;color:#ccccdc;font:12px sans-serif;margin:8px;width:1584px}}
h1{{font-size:18px;margin:4px 0 8px}} .grid{{display:grid;grid-template-columns:repeat(24,58px);grid-auto-rows:30px;gap:4px 8px}}
.panel{{background:#181b1f;border:1px solid #2c3235;border-radius:3px;padding:4px 6px;overflow:hidden}}
.row{{font-size:14px;font-weight:bold;padding-top:8px}} .t{{font-weight:bold;margin-bottom:2px}}
svg text{{fill:#8e8e8e;font-size:10px}} .legend span{{margin-right:10px;white-space:nowrap}} .legend i{{display:inline-block;width:10px;height:3px;margin-right:3px;vertical-align:middle}}
.stat{{display:inline-block;margin:4px 14px 4px 0}} .v{{font-size:22px;font-weight:bold}} .n{{color:#8e8e8e}} .empty{{color:#f2495c}}
</style></head><body><h1>{html.escape(d["title"])} <small style="color:#8e8e8e">last {WINDOW//60} min, rendered from Prometheus by the dashboard's own queries</small></h1><div class=grid>{"".join(cells)}</div></body></html>"""
    open(os.path.join(OUT, d["uid"] + ".html"), "w").write(page)
    print(d["uid"])
