using System.Text.RegularExpressions;
using GaussQuant.Imaging;
using GaussQuant.Pipelines;
using GaussQuant.Reports;
using GaussQuant.Reports.Html;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Reports;

/// <summary>
/// Both report pages opened in a real browser (headless Chromium): every image decodes, every chart has something
/// drawn and a size, no script or content-policy error and no console message, and no request leaves the page. Saves
/// screenshots (desktop light, phone dark) to <c>GQ_TEST_ARTIFACTS</c> or <c>report-screenshots/</c> beside the test
/// binaries. Skips, saying why, where no Chromium is installed.
/// </summary>
public partial class ReportBrowserTests(EvaluationPipelineTests.Setup setup) : IClassFixture<EvaluationPipelineTests.Setup>
{
    private static string Artifacts
    {
        get
        {
            string folder = Environment.GetEnvironmentVariable("GQ_TEST_ARTIFACTS") is { Length: > 0 } configured
                ? configured : Path.Combine(AppContext.BaseDirectory, "report-screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    [SkippableFact]
    public void TheEvaluationPageRendersCompletelyInABrowser()
    {
        HeadlessChromium.Require();
        var page = EvaluationPipeline.RunWithPage(setup.Model, new EvaluationOptions { Data = setup.Images, BatchSize = 2, Workers = 1 }).Page!;
        string path = Path.Combine(Artifacts, "evaluation.html");
        File.WriteAllText(path, EvaluationPageRenderer.Render(page));
        CheckInBrowser(path, "evaluation");
    }

    [SkippableFact]
    public void TheTrainingRunPageRendersCompletelyInABrowser()
    {
        HeadlessChromium.Require();
        using var run = new SyntheticRun();
        string path = Path.Combine(Artifacts, "run.html");
        File.WriteAllText(path, TrainingRunPageRenderer.Render(TrainingRunPage.Load(run.Root)));
        CheckInBrowser(path, "run");
    }

    private static void CheckInBrowser(string path, string name)
    {
        string html = File.ReadAllText(path);
        // Statically: nothing the page would fetch (the svg namespace is a name, not a request).
        Assert.DoesNotContain(Fetched().Matches(html), match => !match.Value.Contains("\"data:", StringComparison.Ordinal));

        foreach (bool dark in new[] { false, true })
        {
            var loaded = HeadlessChromium.Load(path, dark);
            string root = RootElement().Match(loaded.Dom).Value;
            Assert.Contains("data-checked=\"yes\"", root);
            Assert.Contains("data-broken-images=\"0\"", root);
            Assert.Contains("data-empty-charts=\"0\"", root);
            Assert.Contains("data-errors=\"\"", root);
            Assert.Contains($"data-images=\"{Regex.Count(html, "<img ")}\"", root);
            Assert.Contains($"data-charts=\"{Regex.Count(html, "<svg class=\"chart\"")}\"", root);
            Assert.DoesNotContain(":CONSOLE", loaded.Log);
            // Chromium itself still calls home (update and time services, which fail offline); the page asks for nothing.
            Assert.DoesNotContain(loaded.RequestedUrls, url => !IsChromiumsOwnService(url));
        }

        foreach (var (label, width, height, dark) in new[] { ("desktop-light", 1280, 2400, false), ("phone-dark", 390, 2400, true) })
        {
            string screenshot = Path.Combine(Artifacts, $"{name}-{label}.png");
            HeadlessChromium.Screenshot(path, screenshot, width, height, dark);
            var image = ImageDecoder.Decode(screenshot);
            Assert.Equal((width, height), (image.Width, image.Height));
        }
    }

    private static bool IsChromiumsOwnService(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        new[] { "google.com", "googleapis.com", "gvt1.com", "gstatic.com" }.Any(domain => uri.Host == domain || uri.Host.EndsWith("." + domain, StringComparison.Ordinal));

    [GeneratedRegex("(?:src|href|srcset|action|poster|data)=\"[^\"]{0,12}")]
    private static partial Regex Fetched();

    [GeneratedRegex("<html[^>]*>")]
    private static partial Regex RootElement();
}
