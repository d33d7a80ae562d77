"""A self-contained, accessible HTML report: inline SVG charts, each with a data table."""

from __future__ import annotations

from html import escape
from typing import Any

from .charts import bar_chart

STYLE = """
body{font-family:Helvetica,Arial,sans-serif;color:#0b0c0c;max-width:960px;margin:0 auto;
padding:16px;line-height:1.45}
h1{font-size:2rem}h2{font-size:1.5rem;margin-top:2.5rem;border-top:2px solid #3c1053;
padding-top:1rem}h3{font-size:1.15rem}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}caption{text-align:left;
font-weight:bold;padding:4px 0}th,td{border-bottom:1px solid #b1b4b6;padding:6px 8px;
text-align:left;vertical-align:top}td.n,th.n{text-align:right}
blockquote{border-left:5px solid #b1b4b6;margin:8px 0;padding:4px 12px}
.meta{color:#484949}.id{font-family:monospace;color:#484949}
a{color:#1d70b8}a:focus{outline:3px solid #ffdd00;background:#ffdd00;color:#0b0c0c}
.skip{position:absolute;left:-9999px}.skip:focus{position:static}
svg text{font-family:Helvetica,Arial,sans-serif;font-size:13px;fill:#0b0c0c}
"""
STANCE_COLOURS = {"for": "#00703c", "against": "#d4351c", "mixed": "#6f4e7c", "unclear": "#505a5f"}


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _stance_svg(theme: dict[str, Any], chart_id: str) -> str:
    total = sum(theme["stance"].values()) or 1
    x = 0.0
    parts = []
    for name, count in theme["stance"].items():
        width = 600 * count / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="20" '
            f'fill="{STANCE_COLOURS[name]}"/>'
        )
        x += width
    summary = ", ".join(f"{name} {count}" for name, count in theme["stance"].items())
    return (
        f'<svg role="img" aria-labelledby="{chart_id}" width="600" height="20">'
        f'<title id="{chart_id}">Stance: {escape(summary)}</title>' + "".join(parts) + "</svg>"
    )


def _theme_section(theme: dict[str, Any]) -> str:
    out = [
        f'<section aria-labelledby="h-{theme["id"]}">',
        f'<h2 id="h-{theme["id"]}">{escape(theme["id"])}: {escape(theme["label"])}</h2>',
        f'<p class="meta">{theme["size"]} responses as main theme '
        f"({_pct(theme['share'])}, 95% CI {_pct(theme['share_ci95'][0])}–"
        f"{_pct(theme['share_ci95'][1])}); mentioned by {theme['mentions']}. "
        f"Stability {theme['stability']:.2f}.</p>",
        f"<p><strong>Keywords:</strong> {escape(', '.join(theme['keywords']))}</p>",
    ]
    if theme["summary"]:
        out.append(
            "<h3>Summary</h3><p>"
            + " ".join(
                f'{escape(s["text"])} <span class="id">[{escape(s["id"])}]</span>'
                for s in theme["summary"]
            )
            + "</p>"
        )
    if theme["quotes"]:
        out.append("<h3>In their words</h3>")
        out.extend(
            f'<blockquote><p>{escape(q["text"])}</p><footer class="id">Response '
            f"{escape(q['id'])}</footer></blockquote>"
            for q in theme["quotes"]
        )
    out.append("<h3>Stance</h3>" + _stance_svg(theme, f"stance-{theme['id']}"))
    out.append(
        "<table><caption>Stance of responses mentioning this theme</caption><thead><tr>"
        + "".join(f'<th scope="col" class="n">{escape(n)}</th>' for n in theme["stance"])
        + "</tr></thead><tbody><tr>"
        + "".join(f'<td class="n">{c}</td>' for c in theme["stance"].values())
        + "</tr></tbody></table>"
    )
    for column, cells in theme.get("segments", {}).items():
        out.append(
            f"<table><caption>By {escape(column)}: share raising this theme</caption>"
            '<thead><tr><th scope="col">Segment</th><th scope="col" class="n">Count</th>'
            '<th scope="col" class="n">Share</th><th scope="col">95% CI</th>'
            '<th scope="col">Against the rest</th><th scope="col">Distinctive words</th>'
            "</tr></thead><tbody>"
        )
        for value, cell in cells.items():
            verdict = (
                ("significantly " + ("higher" if cell["share"] > cell["rest_share"] else "lower"))
                if cell["significant"]
                else "no clear difference"
            )
            out.append(
                f'<tr><th scope="row">{escape(value or "(blank)")}</th>'
                f'<td class="n">{cell["count"]} of {cell["of"]}</td>'
                f'<td class="n">{_pct(cell["share"])}</td>'
                f"<td>{_pct(cell['ci95'][0])}–{_pct(cell['ci95'][1])}</td>"
                f"<td>{verdict} (p={cell['p_adjusted']:.3g}, {escape(cell['test'])})</td>"
                f"<td>{escape(', '.join(cell.get('distinctive_words', [])))}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return "".join(out)


def render_report(document: dict[str, Any], title: str = "Theme report") -> str:
    """The whole report as one HTML string."""
    summary = document["summary"]
    themes = document["themes"]
    ns = document["non_substantive"]
    rows = [(f"{t['id']} {t['label']}", t["size"]) for t in themes] + [
        (f"{ns['id']} {ns['label']}", ns["size"])
    ]
    pii = ", ".join(f"{kind} {count}" for kind, count in summary["personal_data_masked"].items())
    table = [
        "<table><caption>Themes by number of responses</caption><thead><tr>"
        '<th scope="col">Theme</th><th scope="col" class="n">Responses</th>'
        '<th scope="col" class="n">Share</th><th scope="col">95% CI</th></tr></thead><tbody>'
    ]
    for theme in [*themes, ns]:
        name = f"{escape(theme['id'])} {escape(theme['label'])}"
        if theme is not ns:  # the non-substantive bucket has no section to link to
            name = f'<a href="#h-{theme["id"]}">{name}</a>'
        table.append(
            f'<tr><th scope="row">{name}</th><td class="n">{theme["size"]}</td>'
            f'<td class="n">{_pct(theme["share"])}</td><td>{_pct(theme["share_ci95"][0])}'
            f"–{_pct(theme['share_ci95'][1])}</td></tr>"
        )
    table.append("</tbody></table>")
    body = [
        '<a class="skip" href="#main">Skip to the report</a><main id="main">',
        f"<h1>{escape(title)}</h1>",
        f"<p>{summary['rows']} responses: {summary['substantive']} with something to theme, "
        f"{summary['non_substantive']} with no substantive answer. {summary['themes']} themes. "
        f"{escape(summary['duplicates']['text'])}. Personal data masked: {escape(pii or 'none')}."
        "</p>",
        bar_chart("Responses per theme", rows, "chart-sizes"),
        "".join(table),
        *(_theme_section(theme) for theme in themes),
        "</main>",
    ]
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )
