using System.Text;
using static GaussQuant.Reports.Html.Html;

namespace GaussQuant.Reports.Html;

/// <summary>
/// Writes a <see cref="TrainingRunPage"/> as one self-contained HTML page: the curves of the logged scalars, the sample
/// grids over the steps, the resolved config and the checkpoints. A long history is drawn as the means of at most
/// <see cref="MaximumPoints"/> consecutive groups of rows (the curve of a 100,000-row file would be heavier than its
/// information); the caption says so when it happens.
/// </summary>
public static class TrainingRunPageRenderer
{
    private const int MaximumPoints = 1000;

    public static string Render(TrainingRunPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var body = new StringBuilder();
        string name = Path.GetFileName(page.RunDirectory);
        body.Append($"<header><h1>Training run: {Encode(name)}</h1><p class=\"lead\"><code>{Encode(page.RunDirectory)}</code>");
        if (page.Metrics?.LastStep is long step)
            body.Append($" · last logged step <span data-value=\"{step}\">{Number(step)}</span> ({Number(page.Metrics.Rows)} rows in metrics.csv)");
        body.Append("</p></header>\n");
        if (page.Notes.Count > 0)
            body.Append("<ul class=\"note notes\">" + string.Concat(page.Notes.Select(note => $"<li>{Encode(note)}</li>")) + "</ul>\n");
        Curves(body, page);
        Samples(body, page);
        Checkpoints(body, page);
        if (page.ConfigText is not null)
            body.Append($"<section aria-labelledby=\"config\"><h2 id=\"config\">Resolved config</h2><details open><summary>config.yaml</summary><pre>{Encode(page.ConfigText)}</pre></details></section>\n");
        return ReportDocument.Write($"GaussQuant training run {name}", body.ToString());
    }

    public static void Write(string path, TrainingRunPage page) => ReportDocument.Save(path, Render(page));

    private static void Curves(StringBuilder body, TrainingRunPage page)
    {
        if (page.Metrics is not { Rows: > 0 } metrics)
            return;
        body.Append("<section aria-labelledby=\"curves\"><h2 id=\"curves\">Curves</h2>");
        if (metrics.Rows > MaximumPoints)
            body.Append($"<p class=\"note\">{Number(metrics.Rows)} logged rows, drawn as the means of {MaximumPoints} consecutive groups.</p>");
        body.Append("<div class=\"grid\">");
        Chart(body, "loss", "Loss", "total loss and negative log-likelihood of the autoencoder steps", "loss", [("loss", "loss"), ("nll", "nll")], metrics, "ae");
        Chart(body, "rec", "Reconstruction", "mean absolute error |x − x̂| of the autoencoder steps", "|x − x̂|", [("rec", "rec")], metrics, "ae");
        ChartBand? band = page.CodebookSize is int size && page.KlTolerance is double tolerance
            ? new ChartBand(Math.Log2(size) - tolerance, Math.Log2(size) + tolerance, $"log2 K = {Math.Log2(size):0.##} ± {tolerance:0.##}")
            : null;
        Chart(body, "bits", "KL per codebook group (bits)", "mean, smallest and largest KL of a group in bits, against the band log2 K ± tolerance",
            "bits", [("mean", "bits_mean"), ("min", "bits_min"), ("max", "bits_max")], metrics, null, band: band);
        bool positive = new[] { "lambda", "lambda_min", "lambda_max" }.All(column => metrics.Series(column).All(point => point.Value > 0));
        Chart(body, "lambda", "KL weights λ", "the adaptive KL weights λ, λmin and λmax" + (positive ? " on a log scale" : ""),
            positive ? "λ (log)" : "λ", [("λ", "lambda"), ("λmin", "lambda_min"), ("λmax", "lambda_max")], metrics, null, logY: positive);
        Chart(body, "logvar", "Learned log-variance", "the loss's learned log-variance", "logvar", [("logvar", "logvar")], metrics, "ae");
        if (metrics.HasNonZero("g_loss") || metrics.HasNonZero("disc_loss"))
        {
            Chart(body, "gan", "GAN terms", "generator loss and adaptive weight (autoencoder steps), discriminator loss (discriminator steps)",
                "value", [("g_loss", "g_loss", "ae"), ("d_weight", "d_weight", "ae"), ("disc_loss", "disc_loss", "disc")], metrics);
            Chart(body, "logits", "Discriminator logits", "mean logits on real and reconstructed images (discriminator steps)", "logit",
                [("real", "logits_real", "disc"), ("fake", "logits_fake", "disc")], metrics);
        }
        Chart(body, "speed", "Throughput", "training images per second", "images/s", [("images/s", "images_per_s")], metrics, null);
        body.Append("</div></section>\n");
    }

    private static void Chart(StringBuilder body, string id, string title, string description, string yLabel,
        IReadOnlyList<(string Name, string Column)> columns, TrainingMetricsHistory metrics, string? phase, bool logY = false, ChartBand? band = null) =>
        Chart(body, id, title, description, yLabel, columns.Select(column => (column.Name, column.Column, phase)).ToList(), metrics, logY, band);

    private static void Chart(StringBuilder body, string id, string title, string description, string yLabel,
        IReadOnlyList<(string Name, string Column, string? Phase)> columns, TrainingMetricsHistory metrics, bool logY = false, ChartBand? band = null)
    {
        var series = columns.Select(column => new ChartSeries(column.Name, Downsample(metrics.Series(column.Column, column.Phase))))
            .Where(line => line.Points.Count > 0).ToList();
        if (series.Count == 0)
            return;
        var last = series.Select(line => $"{line.Name} {Number(line.Points[^1].Y, "0.####")}");
        body.Append($"<figure class=\"panel\"><h3>{Encode(title)}</h3>" +
                    SvgChart.Line($"chart-{id}", title, $"{description}; last values: {string.Join(", ", last)}.", "step", yLabel, series, logY, band) +
                    $"<figcaption>{Encode(description)}.</figcaption></figure>");
    }

    /// <summary>The points as they are, or the means of <see cref="MaximumPoints"/> consecutive groups (step and value).</summary>
    private static IReadOnlyList<(double X, double Y)> Downsample(IReadOnlyList<(double Step, double Value)> points)
    {
        if (points.Count <= MaximumPoints)
            return points;
        return Enumerable.Range(0, MaximumPoints).Select(group =>
        {
            int from = (int)((long)group * points.Count / MaximumPoints), to = (int)((long)(group + 1) * points.Count / MaximumPoints);
            var members = Enumerable.Range(from, to - from).Select(index => points[index]).ToList();
            return (members.Average(point => point.Step), members.Average(point => point.Value));
        }).ToList();
    }

    private static void Samples(StringBuilder body, TrainingRunPage page)
    {
        if (page.SampleGrids.Count == 0)
            return;
        body.Append("<section aria-labelledby=\"samples\"><h2 id=\"samples\">Samples over the steps</h2>");
        body.Append("<p class=\"note\">Each grid: the inputs (top row), their VQ reconstructions (middle) and posterior-mean reconstructions (bottom)");
        if (page.SampleGridCount > page.SampleGrids.Count)
            body.Append($"; {page.SampleGrids.Count} of the run's {Number(page.SampleGridCount)} grids, spread over the run (all are in <code>images/</code>)");
        body.Append(".</p><div class=\"samples grid\">");
        foreach (var grid in page.SampleGrids)
            body.Append($"<figure class=\"panel\" data-step=\"{grid.Step}\">{Image(grid.Image)}<figcaption>step {Number(grid.Step)}</figcaption></figure>");
        body.Append("</div></section>\n");
    }

    private static void Checkpoints(StringBuilder body, TrainingRunPage page)
    {
        body.Append("<section aria-labelledby=\"checkpoints\"><h2 id=\"checkpoints\">Checkpoints</h2>");
        if (page.Checkpoints.Count == 0)
            body.Append("<p class=\"note\">No checkpoint has been written yet.</p>");
        else
        {
            body.Append("<div class=\"wide\"><table class=\"compact\"><thead><tr><th scope=\"col\" class=\"number\">step</th><th scope=\"col\">weights</th>" +
                        "<th scope=\"col\" class=\"number\">size</th><th scope=\"col\">training state</th></tr></thead><tbody>");
            foreach (var checkpoint in page.Checkpoints)
                body.Append($"<tr data-step=\"{checkpoint.Step}\"><td class=\"number\">{Number(checkpoint.Step)}</td><td><code>checkpoints/{Encode(Path.GetFileName(checkpoint.WeightsPath))}</code>" +
                            (checkpoint.IsLast ? " <strong>(last)</strong>" : "") + $"</td><td class=\"number\">{Megabytes(checkpoint.WeightsBytes)}</td>" +
                            $"<td>{(checkpoint.HasState ? "yes (resumable)" : "missing")}</td></tr>");
            body.Append("</tbody></table></div>");
        }
        body.Append(page.FinalModelBytes is long bytes
            ? $"<p>Final inference weights: <code>model.safetensors</code> ({Megabytes(bytes)}).</p>"
            : "<p class=\"note\">No <code>model.safetensors</code> yet: the run has not finished.</p>");
        body.Append("</section>\n");
    }

    private static string Megabytes(long bytes) => $"{Number(bytes / 1048576.0, "0.0")} MiB";
}
