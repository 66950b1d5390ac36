using System.Text.Json;
using System.Text.RegularExpressions;
using GaussQuant.Evaluation;
using GaussQuant.Imaging;
using GaussQuant.Pipelines;
using GaussQuant.Reports.Html;
using GaussQuant.Tests.Pipelines;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Reports;

/// <summary>
/// The evaluation page built by the pipeline on the evaluation tests' random model and images (five readable, one
/// corrupt, evaluated in batches of two: [00, 01], [03, 04], [05]): the images it selects, and the numbers it shows
/// against the JSON report's.
/// </summary>
public partial class EvaluationPageTests(EvaluationPipelineTests.Setup setup) : IClassFixture<EvaluationPipelineTests.Setup>
{
    private const int Size = 32, Batch = 2;

    [Fact]
    public void SelectsTheWorstMedianAndBestOfTheFirstPassExactly()
    {
        var page = RunWithPage().Page!;

        // The same batches through the same network: the per-image PSNRs of the pipeline's own pass, bit for bit.
        var measured = new List<(string File, double Psnr)>();
        foreach (var chunk in setup.GoodFiles.Chunk(Batch))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var preprocessing = ImagePreprocessing.ResizeCenterCrop(Size);
            var originals = ImageTensors.ToBatch(chunk.Select(file => preprocessing.Apply(ImageDecoder.Decode(file), file)).ToList());
            var reconstructions = setup.Model.Model.Decode(setup.Model.Model.Quantize(originals).Quantized);
            measured.AddRange(chunk.Zip(Psnr.PerImage(originals, reconstructions)));
        }
        var sorted = measured.OrderBy(image => image.Psnr).ToList();
        Assert.Equal(["worst", "median", "best"], page.Selections.Select(sample => sample.Role));
        Assert.Equal([sorted[0], sorted[2], sorted[4]], page.Selections.Select(sample => (sample.Path, sample.Psnr)));
        Assert.Equal(sorted[2].File, page.TokenMap!.Path);
        Assert.Equal((8, 8, 4096), (page.TokenMap.Height, page.TokenMap.Width, page.TokenMap.CodebookSize));
        Assert.Equal(measured.Count, page.LowestPsnr.Count);
        Assert.Equal(sorted.Select(image => image.File), page.LowestPsnr.Select(thumbnail => thumbnail.Path));
        Assert.All(page.Selections, sample => Assert.Equal((Size, Size), (sample.Original.Width, sample.Error.Height)));
    }

    [Fact]
    public void GatheringThePageLeavesTheReportAsItIs()
    {
        var withPage = RunWithPage().Report;
        var without = EvaluationPipeline.Run(setup.Model, Options());
        Assert.Equal(Json(without with { Timings = withPage.Timings }), Json(withPage));
    }

    [Fact]
    public void TheNumbersShownAreTheJsonReportsNumbers()
    {
        var (report, page) = RunWithPage();
        var json = JsonDocument.Parse(Json(report)).RootElement;
        string html = EvaluationPageRenderer.Render(page!);

        var rows = MetricRow().Matches(html).ToDictionary(row => row.Groups["metric"].Value, row => row.Groups["cells"].Value);
        Assert.Equal(["psnr", "ssim", "codebook_usage", "used_entries", "token_entropy_bits", "perplexity"], rows.Keys);
        int compared = 0;
        foreach (var (metric, cells) in rows)
            foreach (Match cell in MetricCell().Matches(cells))
            {
                var value = json.GetProperty("modes").GetProperty(cell.Groups["mode"].Value).GetProperty(metric);
                double shown = double.Parse(cell.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(value.ValueKind == JsonValueKind.Object ? value.GetProperty("mean").GetDouble() : value.GetDouble(), shown);
                if (cell.Groups["std"].Success)
                    Assert.Equal(value.GetProperty("std").GetDouble(), double.Parse(cell.Groups["std"].Value, System.Globalization.CultureInfo.InvariantCulture));
                compared++;
            }
        Assert.Equal(2 + 2 + 4, compared);
        Assert.Contains($"data-value=\"{json.GetProperty("bits_per_pixel").GetDouble():R}\"", html);
        Assert.Contains($"data-value=\"{json.GetProperty("modes").GetProperty("vq").GetProperty("used_entries").GetInt64()}\"", html);
        foreach (var missing in json.GetProperty("not_computed").EnumerateArray())
            Assert.Contains(missing.GetProperty("reason").GetString()!.Replace("&", "&amp;").Replace("'", "&#39;"), html);
        Assert.Contains("02.png", html);   // the corrupt file, under "Skipped inputs"
    }

    [Fact]
    public void TheUsageChartDescribesTheSameTokensAsTheReport()
    {
        var (report, page) = RunWithPage();
        var vq = report.Modes["vq"];
        Assert.Equal(vq.UsedEntries, page!.Usage!.Statistics.UsedEntries);
        Assert.Equal(vq.TokenEntropyBits, page.Usage.Statistics.EntropyBits);
        Assert.Equal(vq.Perplexity, page.Usage.Statistics.Perplexity);
        Assert.Equal(5L * 8 * 8, page.Usage.Statistics.TokenCount);
        Assert.Equal(["vq", "mean"], page.PsnrDistributions.Keys);
        Assert.All(page.PsnrDistributions.Values, histogram => Assert.Equal(5, histogram.Total));
    }

    [Fact]
    public void AMeanOnlyEvaluationOfOneImageHasNoUsageSectionAndOneSelection()
    {
        var page = EvaluationPipeline.RunWithPage(setup.Model, Options() with { Modes = [GaussQuant.Models.ReconstructionMode.Mean], Limit = 1 }).Page!;
        Assert.Equal("mean", page.Mode);
        Assert.Null(page.Usage);
        Assert.Equal(["worst"], page.Selections.Select(sample => sample.Role));
        string html = EvaluationPageRenderer.Render(page);
        Assert.DoesNotContain("id=\"usage\"", html);
        Assert.Contains("the mean reconstruction", html);
        Assert.Contains("id=\"tokens\"", html);
    }

    private EvaluationOptions Options() => new() { Data = setup.Images, BatchSize = Batch, Workers = 1 };

    private EvaluationResult RunWithPage() => EvaluationPipeline.RunWithPage(setup.Model, Options());

    private static string Json(EvaluationReport report)
    {
        string path = Path.GetTempFileName();
        try
        {
            report.Write(path);
            return File.ReadAllText(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex("<tr data-metric=\"(?<metric>[a-z_]+)\">(?<cells>.*?)</tr>")]
    private static partial Regex MetricRow();

    [GeneratedRegex("data-mode=\"(?<mode>[a-z]+)\" data-value=\"(?<value>[^\"]+)\"(?: data-std=\"(?<std>[^\"]+)\")?")]
    private static partial Regex MetricCell();
}
