using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

/// <summary>Options gq does not know, and the options every model command shares.</summary>
public class GqUsageTests
{
    [Theory]
    [InlineData("encode", "in", "-o", "u.npy", "--verbose")]
    [InlineData("decode", "t.npy", "-o", "out", "--verbose")]
    [InlineData("reconstruct", "in", "-o", "out", "--verbose")]
    [InlineData("eval", "--data", "in", "-o", "r.json", "--verbose")]
    [InlineData("train", "--config", "c.yaml", "--verbose")]
    [InlineData("demo", "--verbose")]
    [InlineData("info", "--verbose")]
    [InlineData("codebook", "--dim", "4", "--size", "16", "-o", "c.npy", "--verbose")]
    [InlineData("convert", "m.ckpt", "-o", "m.safetensors", "--verbose")]
    [InlineData("bench", "encode", "--verbose")]
    [InlineData("bench", "search", "--verbose")]
    public void AnUnknownOptionIsAUsageErrorOfEveryCommand(params string[] arguments)
    {
        var outcome = Gq.Run(arguments);
        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("gq: unknown option --verbose\n", outcome.Errors);
        Assert.Empty(outcome.Output);
    }

    [Theory]
    [InlineData("--sise", "--size")]
    [InlineData("--batch-size", "--batch")]
    [InlineData("--skipbad", "--skip-bad")]
    public void AnUnknownOptionCloseToAKnownOneSuggestsIt(string typo, string meant)
    {
        var outcome = Gq.Run("encode", "in", "-o", "u.npy", typo, "4");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"gq: unknown option {typo}; did you mean {meant}?", outcome.Errors);
    }

    [Fact]
    public void AfterTwoDashesAWordStartingWithADashIsAFile()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        File.Copy(PipelineTestModel.WritePictures(folder["pictures"], 1)[0], folder["--verbose.png"]);
        var outcome = Gq.RunIn(folder.Path, new Dictionary<string, string>(),
            "encode", "--config", model.ConfigPath, "--ckpt", model.WeightsPath, "-o", "t.npy", "--", "--verbose.png");
        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        Assert.Contains("(1 images, 0 skipped)", outcome.Output);
    }

    [Theory]
    [InlineData("encode")]
    [InlineData("decode")]
    [InlineData("reconstruct")]
    [InlineData("eval")]
    [InlineData("train")]
    [InlineData("demo")]
    [InlineData("bench", "encode")]
    [InlineData("bench", "search")]
    public void EveryModelCommandTakesThreadsWithOneHelpText(params string[] command)
    {
        var help = Gq.Run([.. command, "--help"]);
        Assert.Equal(0, help.ExitCode);
        string line = Assert.Single(help.Output.Split('\n'), text => text.TrimStart().StartsWith("--threads", StringComparison.Ordinal));
        Assert.Contains("Default: every core this process may use", line);
        Assert.DoesNotContain("[default:", line);

        var zero = Gq.Run([.. command, "--threads", "0"]);
        Assert.Equal(2, zero.ExitCode);
        Assert.Contains("gq: --threads must be at least 1", zero.Errors);
    }
}
