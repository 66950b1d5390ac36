using System.Text;
using GaussQuant.Pipelines;
using static GaussQuant.Reports.Html.Html;

namespace GaussQuant.Reports.Html;

/// <summary>
/// Writes an <see cref="EvaluationPage"/> as one self-contained HTML page. Every metric cell carries the report's
/// exact value in <c>data-value</c>, beside the rounded text a person reads.
/// </summary>
public static class EvaluationPageRenderer
{
    /// <summary>Skipped inputs listed on the page at most (a folder of broken files should not make the page heavy).</summary>
    private const int MaximumSkippedRows = 100;

    public static string Render(EvaluationPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var report = page.Report;
        var body = new StringBuilder();
        body.Append($"<header><h1>Evaluation of {Encode(Path.GetFileName(report.Checkpoint))}</h1>");
        body.Append($"<p class=\"lead\">{Number(report.Images)} images of <code>{Encode(report.Data)}</code> at {report.ImageSize}×{report.ImageSize}" +
                    (report.Skipped.Count > 0 ? $", {Number(report.Skipped.Count)} skipped" : "") + "</p></header>\n");
        Summary(body, page);
        Metrics(body, report);
        Selections(body, page);
        TokenMapSection(body, page);
        Usage(body, page.Usage);
        Distribution(body, page);
        Thumbnails(body, page);
        Skipped(body, report);
        return ReportDocument.Write($"GaussQuant evaluation: {Path.GetFileName(report.Checkpoint)} on {report.Data}", body.ToString());
    }

    /// <summary>Writes the page through a temporary file renamed into place.</summary>
    public static void Write(string path, EvaluationPage page) => ReportDocument.Save(path, Render(page));

    private static void Summary(StringBuilder body, EvaluationPage page)
    {
        var report = page.Report;
        body.Append("<section aria-labelledby=\"model\"><h2 id=\"model\">Model</h2><div class=\"panel\"><dl class=\"facts\">");
        Fact(body, "backbone", Encode(page.Model.Backbone));
        Fact(body, "quantizer", Encode(page.Model.Quantizer));
        Fact(body, "codebook size K", $"<span data-value=\"{report.CodebookSize}\">{Number(report.CodebookSize!.Value)}</span>");
        Fact(body, "tokens per image", $"{Number(page.Model.TokensPerImage)} ({string.Join(" × ", page.Model.TokenShape)})");
        Fact(body, "bits per token", $"<span data-value=\"{Exact(report.BitsPerToken!.Value)}\">{Number(report.BitsPerToken!.Value, "0.##")}</span>");
        Fact(body, "bits per pixel", $"<span data-value=\"{Exact(report.BitsPerPixel!.Value)}\">{Number(report.BitsPerPixel!.Value, "0.####")}</span>");
        Fact(body, "config", $"<code>{Encode(report.Config)}</code>");
        Fact(body, "checkpoint", $"<code>{Encode(report.Checkpoint)}</code><br><span class=\"note\">SHA-256 {Encode(report.CheckpointSha256)}</span>");
        Fact(body, "time", $"{Number(report.Timings.TotalSeconds, "0.#")} s, {Number(report.Timings.ImagesPerSecond, "0.#")} images/s");
        body.Append("</dl></div></section>\n");
    }

    private static void Fact(StringBuilder body, string term, string definitionHtml) =>
        body.Append($"<dt>{Encode(term)}</dt><dd>{definitionHtml}</dd>");

    private static void Metrics(StringBuilder body, EvaluationReport report)
    {
        var modes = report.Modes.Keys.ToList();
        body.Append("<section aria-labelledby=\"metrics\"><h2 id=\"metrics\">Metrics</h2><div class=\"wide\"><table id=\"metrics-table\" class=\"metrics\">");
        body.Append("<caption>Mean ± standard deviation over the images; vq decodes the tokens, mean the posterior mean</caption><thead><tr><th scope=\"col\">metric</th>");
        foreach (string mode in modes)
            body.Append($"<th scope=\"col\" class=\"number\">{Encode(mode)}</th>");
        body.Append("</tr></thead><tbody>");
        Row(body, "PSNR (dB)", "psnr", modes, mode => Statistic(report.Modes[mode].Psnr, "0.00"));
        Row(body, "SSIM", "ssim", modes, mode => Statistic(report.Modes[mode].Ssim, "0.0000"));
        Row(body, "MS-SSIM", "ms_ssim", modes, mode => Statistic(report.Modes[mode].MsSsim, "0.0000"));
        Row(body, "LPIPS", "lpips", modes, mode => Statistic(report.Modes[mode].Lpips, "0.0000"));
        Row(body, "rFID", "rfid", modes, mode => Value(report.Modes[mode].Rfid, "0.00"));
        Row(body, "codebook usage", "codebook_usage", modes, mode => Value(report.Modes[mode].CodebookUsage, "0.0%"));
        Row(body, "used entries", "used_entries", modes, mode => Value(report.Modes[mode].UsedEntries, "N0"));
        Row(body, "token entropy (bits)", "token_entropy_bits", modes, mode => Value(report.Modes[mode].TokenEntropyBits, "0.00"));
        Row(body, "perplexity", "perplexity", modes, mode => Value(report.Modes[mode].Perplexity, "N0"));
        body.Append("</tbody></table></div>");
        if (report.NotComputed.Count > 0)
        {
            body.Append("<h3 class=\"after-table\">Not computed</h3><ul class=\"not-computed\">");
            foreach (var metric in report.NotComputed)
                body.Append($"<li><strong>{Encode(metric.Metric)}</strong>: {Encode(metric.Reason)}</li>");
            body.Append("</ul>");
        }
        body.Append("</section>\n");
    }

    /// <summary>One metric's row; a mode without the metric shows a dash (its reason is listed under "Not computed").</summary>
    private static void Row(StringBuilder body, string label, string key, IReadOnlyList<string> modes, Func<string, string?> cell)
    {
        var cells = modes.Select(cell).ToList();
        if (cells.All(text => text is null))
            return;
        body.Append($"<tr data-metric=\"{key}\"><th scope=\"row\">{Encode(label)}</th>");
        for (int index = 0; index < modes.Count; index++)
            body.Append(cells[index] is { } text
                ? $"<td class=\"number\" data-mode=\"{Encode(modes[index])}\" {text}</td>"
                : $"<td class=\"number\" data-mode=\"{Encode(modes[index])}\">–</td>");
        body.Append("</tr>");
    }

    /// <summary>The attributes and text of a statistic's cell (its opening tag's rest), or null when absent.</summary>
    private static string? Statistic(MetricStatistics? statistics, string format) => statistics?.Mean is not double mean ? null
        : $"data-value=\"{Exact(mean)}\"" + (statistics.Std is double std ? $" data-std=\"{Exact(std)}\"" : "") + $" data-count=\"{statistics.Count}\">" +
          Number(mean, format) + (statistics.Std is double deviation ? " ± " + Number(deviation, format) : "") +
          (statistics.Infinite is long infinite ? $" <span class=\"note\">(+{infinite} exact)</span>" : "");

    private static string? Value(double? value, string format) => value is double number
        ? $"data-value=\"{Exact(number)}\">{Number(number, format)}" : null;

    private static string? Value(long? value, string format) => value is long number
        ? $"data-value=\"{number}\">{Number(number)}" : null;

    private static void Selections(StringBuilder body, EvaluationPage page)
    {
        body.Append("<section aria-labelledby=\"selections\"><h2 id=\"selections\">Worst, median and best by PSNR</h2>");
        body.Append($"<p class=\"note\">Each panel: the original as the model saw it | the {Encode(page.Mode)} reconstruction | the absolute error per pixel (mean over R, G, B).</p>");
        body.Append("<div class=\"grid selections\">");
        foreach (var sample in page.Selections)
        {
            body.Append($"<figure class=\"panel selection\" data-role=\"{sample.Role}\" data-psnr=\"{Exact(sample.Psnr)}\"><h3>{Encode(Capitalised(sample.Role))}: " +
                        $"PSNR {Number(sample.Psnr, "0.00")} dB" + (sample.Ssim is double ssim ? $", SSIM {Number(ssim, "0.000")}" : "") + "</h3>");
            body.Append("<div class=\"triptych\">");
            body.Append($"<div>{Image(sample.Original, "pixels")}<span>original</span></div>");
            body.Append($"<div>{Image(sample.Reconstruction, "pixels")}<span>{Encode(page.Mode)}</span></div>");
            body.Append($"<div>{Image(sample.Error, "pixels")}<span>|error|</span></div>");
            body.Append($"</div><figcaption><code>{Encode(sample.Path)}</code></figcaption></figure>");
        }
        body.Append("</div>");
        body.Append($"<div class=\"panel\" style=\"margin-top:10px\"><div class=\"scale\" role=\"img\" aria-label=\"error colour scale from 0 (black) to {ErrorHeatMap.SaturationLevel:0} or more of 255 (pale yellow)\"></div>" +
                    $"<div class=\"scale-labels\"><span>0</span><span>|error| of 255</span><span>≥ {ErrorHeatMap.SaturationLevel:0}</span></div></div>");
        body.Append("</section>\n");
    }

    private static void TokenMapSection(StringBuilder body, EvaluationPage page)
    {
        if (page.TokenMap is not { } map)
            return;
        var median = page.Selections.FirstOrDefault(sample => sample.Role == "median") ?? page.Selections[0];
        body.Append("<section aria-labelledby=\"tokens\"><h2 id=\"tokens\">Token map</h2><div><figure class=\"panel token-map\">");
        body.Append($"<div class=\"triptych\" style=\"grid-template-columns: 1fr 1fr\"><div>{Image(median.Original, "pixels")}<span>original</span></div>" +
                    $"<div>{Image(map.Image, "pixels")}<span>tokens</span></div></div>");
        body.Append($"<figcaption>The {map.Height}×{map.Width} tokens of <code>{Encode(Path.GetFileName(map.Path))}</code>" +
                    (page.Model.TokenShape[0] > 1 ? " (first codebook position)" : "") +
                    $": {Number(map.DistinctTokens)} distinct entries of {Number(map.CodebookSize)}. Each entry has its own colour, from its index: a patch of one colour is one token repeated (two of {Number(map.CodebookSize)} entries can look alike).</figcaption>");
        body.Append("</figure></div></section>\n");
    }

    private static void Usage(StringBuilder body, CodebookUsageChart? usage)
    {
        if (usage is null)
            return;
        var statistics = usage.Statistics;
        body.Append("<section aria-labelledby=\"usage\"><h2 id=\"usage\">Codebook usage</h2>");
        body.Append("<div class=\"panel\" style=\"margin-bottom:14px\"><dl class=\"facts\">");
        Fact(body, "entries used", $"<span data-value=\"{statistics.UsedEntries}\">{Number(statistics.UsedEntries)}</span> of {Number(statistics.CodebookSize)} " +
                                   $"({Number(statistics.UsageFraction, "0.0%")}); <span data-unused=\"{usage.UnusedEntries}\">{Number(usage.UnusedEntries)}</span> never chosen");
        Fact(body, "token entropy", $"<span data-value=\"{Exact(statistics.EntropyBits)}\">{Number(statistics.EntropyBits, "0.00")}</span> bits of log2 K = " +
                                    $"{Number(usage.MaximumEntropyBits, "0.##")} <meter min=\"0\" max=\"{Exact(usage.MaximumEntropyBits)}\" value=\"{Exact(statistics.EntropyBits)}\" " +
                                    $"aria-label=\"token entropy against log2 K\"></meter>");
        Fact(body, "perplexity", $"{Number(statistics.Perplexity, "N0")} (the number of equally used entries with the same entropy)");
        Fact(body, "tokens counted", Number(statistics.TokenCount));
        body.Append("</dl></div><div class=\"grid\">");
        var used = usage.Curve.Where(point => point.Count > 0).ToList();
        body.Append("<figure class=\"panel\">" + SvgChart.Line("usage-curve", "Usage curve", 
            $"Entries sorted by how often they were chosen: the most used {Number(used.FirstOrDefault().Count)} times, the {Number(statistics.UsedEntries)}th once or more; {Number(usage.UnusedEntries)} entries unused.",
            "entry rank (most used first)", "tokens (log)", [new ChartSeries("tokens per entry", used.Select(point => ((double)point.Rank, (double)point.Count)).ToList())],
            logY: true, xRange: (1, statistics.CodebookSize)) +
            "<figcaption>Entries sorted by frequency. A flat curve is an evenly used codebook; a curve ending before the right edge leaves entries unused.</figcaption></figure>");
        body.Append("<figure class=\"panel\">" + SvgChart.Bars("usage-histogram", "How often entries were chosen",
            $"Number of codebook entries per count range; {Number(usage.UnusedEntries)} entries have count 0.",
            "times an entry was chosen", "entries", usage.CountBins.Select(bin => (bin.Label, bin.Entries)).ToList()) +
            "<figcaption>Codebook entries by how many tokens chose them (power-of-two ranges; 0 = unused).</figcaption></figure>");
        body.Append("</div></section>\n");
    }

    private static void Distribution(StringBuilder body, EvaluationPage page)
    {
        body.Append("<section aria-labelledby=\"distribution\"><h2 id=\"distribution\">Per-image PSNR</h2><div class=\"grid\">");
        foreach (var (mode, histogram) in page.PsnrDistributions)
        {
            var statistics = page.Report.Modes[mode].Psnr;
            body.Append("<figure class=\"panel\">" + SvgChart.Histogram($"psnr-{mode}", $"PSNR of the {mode} reconstructions",
                $"{Number(histogram.Total)} images, PSNR from {Number(histogram.Start, "0.#")} to {Number(histogram.End, "0.#")} dB, mean {Number(statistics.Mean ?? double.NaN, "0.00")} dB.",
                "PSNR (dB)", "images", histogram,
                mode == page.Mode ? page.Selections.Select(sample => (sample.Role, sample.Psnr)).ToList() : null) +
                $"<figcaption>{Encode(mode)}: {Number(histogram.Total)} images in bins of {Number(histogram.BinWidth, "0.###")} dB" +
                (histogram.NotFinite > 0 ? $"; {histogram.NotFinite} exact reconstructions (PSNR ∞) not drawn" : "") +
                (mode == page.Mode ? "; dashed: the images shown above" : "") + "</figcaption></figure>");
        }
        body.Append("</div></section>\n");
    }

    private static void Thumbnails(StringBuilder body, EvaluationPage page)
    {
        if (page.LowestPsnr.Count == 0)
            return;
        body.Append($"<section aria-labelledby=\"lowest\"><h2 id=\"lowest\">The {page.LowestPsnr.Count} lowest PSNRs</h2>");
        body.Append($"<p class=\"note\">Thumbnails, lowest first: original (left) and {Encode(page.Mode)} reconstruction (right).</p><div class=\"thumbs\">");
        foreach (var thumbnail in page.LowestPsnr)
            body.Append($"<figure><div class=\"pair\">{Image(thumbnail.Original, "pixels")}{Image(thumbnail.Reconstruction, "pixels")}</div>" +
                        $"<figcaption>{Number(thumbnail.Psnr, "0.00")} dB <code>{Encode(Path.GetFileName(thumbnail.Path))}</code></figcaption></figure>");
        body.Append("</div></section>\n");
    }

    private static void Skipped(StringBuilder body, EvaluationReport report)
    {
        if (report.Skipped.Count == 0)
            return;
        body.Append($"<section aria-labelledby=\"skipped\"><h2 id=\"skipped\">Skipped inputs ({Number(report.Skipped.Count)})</h2><div class=\"wide\"><table>");
        body.Append("<thead><tr><th scope=\"col\">file</th><th scope=\"col\">reason</th></tr></thead><tbody>");
        foreach (var skipped in report.Skipped.Take(MaximumSkippedRows))
            body.Append($"<tr><td><code>{Encode(skipped.File)}</code></td><td>{Encode(skipped.Reason)}</td></tr>");
        body.Append("</tbody></table></div>");
        if (report.Skipped.Count > MaximumSkippedRows)
            body.Append($"<p class=\"note\">The first {MaximumSkippedRows} are listed; the JSON report lists all {Number(report.Skipped.Count)}.</p>");
        body.Append("</section>\n");
    }

    private static string Capitalised(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];
}
