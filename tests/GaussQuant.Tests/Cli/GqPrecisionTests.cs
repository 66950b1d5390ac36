using System.Text.Json.Nodes;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

/// <summary>
/// <c>--precision</c> reaches the model every inference command loads: the tokens manifest and the evaluation report
/// record the precision the networks computed in (the numbers themselves are checked in InferencePrecisionTests).
/// </summary>
public class GqPrecisionTests
{
    private static string[] Pictures => [TestPaths.Fixture("zoo", "cifar10.png"), TestPaths.Fixture("zoo", "bsds500.png")];

    [Theory]
    [InlineData("bf16")]
    [InlineData("fp32")]
    public void EncodeAndEvalRecordThePrecisionAsked(string precision)
    {
        using var folder = new TemporaryFolder();
        var encode = Gq.Run(["encode", .. Pictures, "--precision", precision, "-o", folder["tokens.npy"]]);
        Assert.True(encode.ExitCode == 0, encode.Errors);
        Assert.Equal(precision, JsonNode.Parse(File.ReadAllText(folder["tokens.json"]))!["precision"]!.GetValue<string>());

        Directory.CreateDirectory(folder["images"]);
        foreach (string picture in Pictures) File.Copy(picture, Path.Combine(folder["images"], Path.GetFileName(picture)));
        var eval = Gq.Run(["eval", "--data", folder["images"], "--precision", precision, "-o", folder["report.json"]]);
        Assert.True(eval.ExitCode == 0, eval.Errors);
        Assert.Equal(precision, JsonNode.Parse(File.ReadAllText(folder["report.json"]))!["precision"]!.GetValue<string>());
    }
}
