using GaussQuant.Reports;
using GaussQuant.Reports.Html;

namespace GaussQuant.Tests.Reports;

public class TrainingRunPageTests
{
    [Fact]
    public void ReadsEveryPartOfTheRunDirectory()
    {
        using var run = new SyntheticRun();
        var page = TrainingRunPage.Load(run.Root);

        Assert.Equal(40, page.Metrics!.Rows);
        Assert.Equal(1, page.Metrics.UnreadableRows);
        Assert.Equal(40, page.Metrics.LastStep);
        Assert.Equal(32, page.Metrics.Series("loss", "ae").Count);
        Assert.Equal((1024, 0.5), (page.CodebookSize, page.KlTolerance));
        Assert.Contains("metrics.csv: 1 rows could not be read", string.Join("\n", page.Notes));
        // Six of ten grids, spread over the run with its first and last.
        Assert.Equal(10, page.SampleGridCount);
        Assert.Equal([10L, 30, 50, 60, 80, 100], page.SampleGrids.Select(grid => grid.Step));
        Assert.Equal([(50L, true, false), (100L, false, true)], page.Checkpoints.Select(entry => (entry.Step, entry.HasState, entry.IsLast)));
        Assert.Null(page.FinalModelBytes);
    }

    [Fact]
    public void ThePageDrawsTheCurvesTheRunLogged()
    {
        using var run = new SyntheticRun();
        string html = TrainingRunPageRenderer.Render(TrainingRunPage.Load(run.Root));

        foreach (string chart in new[] { "loss", "rec", "bits", "lambda", "logvar", "gan", "logits", "speed" })
            Assert.Contains($"id=\"chart-{chart}-title\"", html);
        Assert.Contains("log2 K = 10 ± 0.5", html);
        Assert.Equal(6, html.Split("data:image/png;base64,").Length - 1);
        Assert.Contains("step-000100.safetensors</code> <strong>(last)</strong>", html);
        Assert.Contains("No <code>model.safetensors</code> yet", html);
        Assert.Contains("target: pit.models.autoencoder.AutoencodingEngine", html);
    }

    [Fact]
    public void WithoutTheDiscriminatorThereIsNoGanChart()
    {
        using var run = new SyntheticRun();
        string metrics = Path.Combine(run.Root, "metrics.csv");
        var lines = File.ReadAllLines(metrics);
        // Autoencoder steps only, with the GAN columns (g_loss onwards, index 15) at 0 as a run without a discriminator logs them.
        var withoutGan = lines.Skip(1).Where(line => !line.Contains(",disc,") && line.Split(',').Length == 20)
            .Select(line => string.Join(",", line.Split(',').Select((cell, index) => index >= 15 ? "0" : cell)));
        File.WriteAllLines(metrics, withoutGan.Prepend(lines[0]));
        string html = TrainingRunPageRenderer.Render(TrainingRunPage.Load(run.Root));
        Assert.DoesNotContain("chart-gan", html);
        Assert.Contains("chart-bits", html);
    }

    [Fact]
    public void AFolderThatIsNoRunIsRefusedByName()
    {
        var empty = Directory.CreateTempSubdirectory("gq-not-a-run-").FullName;
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => TrainingRunPage.Load(empty));
            Assert.Contains(empty, error.Message);
            Assert.Contains("not a training run directory", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Fact]
    public void SpreadKeepsTheEnds()
    {
        Assert.Equal([0, 3, 6, 9], TrainingRunPage.Spread(Enumerable.Range(0, 10).ToList(), 4));
        Assert.Equal([0, 1], TrainingRunPage.Spread([0, 1], 6));
    }
}
