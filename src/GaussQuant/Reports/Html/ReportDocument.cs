using System.Text;
using static GaussQuant.Reports.Html.Html;

namespace GaussQuant.Reports.Html;

/// <summary>
/// The frame every report page shares: one HTML file that needs nothing else. Its content security policy allows
/// only what the page carries itself (inline style and script, data: images), so opening it never reaches the
/// network, even by mistake. The style follows the reader's light or dark setting and narrows to a phone's width.
/// A short inline script records, on the page itself, images that failed to decode, charts drawn empty and script or
/// policy errors (<c>data-broken-images</c>, <c>data-empty-charts</c>, <c>data-errors</c> on the root element), which the
/// browser test reads; the page works the same without it.
/// </summary>
internal static class ReportDocument
{
    private const string Style = """
        :root { color-scheme: light dark; --bg: #fbfbfa; --fg: #1d1d1f; --muted: #5c5f66; --rule: #d9dade; --panel: #ffffff;
          --accent: #2458c6; --band: rgba(36, 88, 198, 0.12); --bar: #3d6fd6;
          --series-0: #2458c6; --series-1: #c2410c; --series-2: #15803d; --series-3: #9333ea; --series-4: #b45309; --series-5: #0e7490; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #15161a; --fg: #e6e6e9; --muted: #a2a5ad; --rule: #363941; --panel: #1e2026;
            --accent: #8ab4ff; --band: rgba(138, 180, 255, 0.16); --bar: #7aa5f8;
            --series-0: #8ab4ff; --series-1: #fb923c; --series-2: #4ade80; --series-3: #c084fc; --series-4: #fbbf24; --series-5: #22d3ee; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 16px; }
        h1 { font-size: 1.5rem; margin: 0.3em 0 0.1em; overflow-wrap: anywhere; }
        h2 { font-size: 1.2rem; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 1rem; margin: 0 0 0.4em; }
        p { margin: 0.4em 0; }
        .lead { color: var(--muted); overflow-wrap: anywhere; }
        .note { color: var(--muted); font-size: 0.9em; }
        code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.88em; }
        .panel { background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; padding: 12px; }
        .grid { display: grid; gap: 14px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); }
        .selections { grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); }
        .token-map { max-width: 560px; }
        .wide { overflow-x: auto; }
        .wide table.metrics { width: auto; min-width: min(100%, 560px); }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
        th, td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid var(--rule); vertical-align: top; }
        td.number, th.number { text-align: right; white-space: nowrap; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        figure { margin: 0; }
        figcaption { font-size: 0.9em; color: var(--muted); margin-top: 4px; overflow-wrap: anywhere; }
        .triptych { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; }
        .triptych span { display: block; font-size: 0.8em; color: var(--muted); text-align: center; }
        img { display: block; max-width: 100%; height: auto; }
        img.pixels { width: 100%; image-rendering: pixelated; }
        .samples img { width: 100%; image-rendering: pixelated; }
        .thumbs { display: grid; gap: 10px; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
        .thumbs .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 2px; }
        svg.chart { width: 100%; height: auto; display: block; }
        svg.chart text { fill: var(--fg); font-size: 12px; }
        svg.chart .tick { fill: var(--muted); font-size: 11px; }
        svg.chart .grid { stroke: var(--rule); stroke-width: 1; }
        svg.chart .frame { fill: none; stroke: var(--muted); stroke-width: 1; }
        svg.chart .line { fill: none; stroke-width: 1.8; stroke-linejoin: round; }
        svg.chart .band { fill: var(--band); }
        svg.chart .band-label { fill: var(--accent); font-size: 11px; }
        svg.chart .bar { fill: var(--bar); }
        svg.chart .marker { stroke: var(--series-1); stroke-width: 1.5; stroke-dasharray: 4 3; }
        /* A halo in the panel's colour keeps a label readable where it crosses a bar. */
        svg.chart .marker-label { fill: var(--series-1); font-size: 11px; paint-order: stroke; stroke: var(--panel); stroke-width: 3px; stroke-linejoin: round; }
        .line.series-0 { stroke: var(--series-0); } .line.series-1 { stroke: var(--series-1); } .line.series-2 { stroke: var(--series-2); }
        .line.series-3 { stroke: var(--series-3); } .line.series-4 { stroke: var(--series-4); } .line.series-5 { stroke: var(--series-5); }
        .dot.series-0, .swatch.series-0 { fill: var(--series-0); background: var(--series-0); }
        .dot.series-1, .swatch.series-1 { fill: var(--series-1); background: var(--series-1); }
        .dot.series-2, .swatch.series-2 { fill: var(--series-2); background: var(--series-2); }
        .dot.series-3, .swatch.series-3 { fill: var(--series-3); background: var(--series-3); }
        .dot.series-4, .swatch.series-4 { fill: var(--series-4); background: var(--series-4); }
        .dot.series-5, .swatch.series-5 { fill: var(--series-5); background: var(--series-5); }
        ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 4px 0 0; font-size: 0.88em; }
        ul.legend li { display: flex; align-items: center; gap: 6px; }
        .swatch { display: inline-block; width: 14px; height: 4px; border-radius: 2px; }
        .scale { height: 10px; border-radius: 3px; background: linear-gradient(to right, #000004, #57106e, #bc3754, #f98e09, #fcffa4); }
        .scale-labels { display: flex; justify-content: space-between; font-size: 0.8em; color: var(--muted); }
        meter { width: 100%; }
        details summary { cursor: pointer; font-weight: 600; }
        pre { background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; padding: 10px; overflow-x: auto; max-height: 32em; }
        h3.after-table { margin-top: 1em; }
        table.compact { width: auto; }
        @media (max-width: 560px) {
          main { padding: 10px; } body { font-size: 14px; } th, td { padding-right: 6px; }
          /* A chart is drawn at about 0.7 of its size on a phone: larger text keeps the labels readable. */
          svg.chart text { font-size: 15px; } svg.chart .tick { font-size: 14px; } svg.chart .band-label, svg.chart .marker-label { font-size: 14px; }
        }
        """;

    private const string SelfCheck = """
        (function () {
          var root = document.documentElement, errors = [];
          function note(text) { errors.push(text); root.setAttribute('data-errors', errors.join(' | ')); }
          window.addEventListener('error', function (event) { note('error: ' + (event.message || (event.target && event.target.tagName))); }, true);
          document.addEventListener('securitypolicyviolation', function (event) { note('blocked: ' + event.blockedURI); });
          window.addEventListener('load', function () {
            var broken = Array.prototype.filter.call(document.images, function (image) { return !image.complete || image.naturalWidth === 0; });
            var empty = Array.prototype.filter.call(document.querySelectorAll('svg.chart'), function (chart) {
              var box = chart.getBoundingClientRect(); return box.width === 0 || box.height === 0 || chart.querySelectorAll('polyline, rect.bar, circle').length === 0; });
            root.setAttribute('data-images', String(document.images.length));
            root.setAttribute('data-charts', String(document.querySelectorAll('svg.chart').length));
            root.setAttribute('data-broken-images', String(broken.length));
            root.setAttribute('data-empty-charts', String(empty.length));
            if (!root.hasAttribute('data-errors')) root.setAttribute('data-errors', '');
            root.setAttribute('data-checked', 'yes');
          });
        })();
        """;

    /// <summary>Writes a page through a temporary file renamed into place, so a reader never opens half a page.</summary>
    public static void Save(string path, string html) => IO.AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(html));

    public static string Write(string title, string body)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
        html.Append("<meta name=\"color-scheme\" content=\"light dark\">\n");
        html.Append("<meta name=\"generator\" content=\"GaussQuant\">\n");
        html.Append($"<title>{Encode(title)}</title>\n<style>\n{Style}\n</style>\n<script>\n{SelfCheck}\n</script>\n</head>\n<body>\n<main>\n");
        html.Append(body);
        html.Append("\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }
}
