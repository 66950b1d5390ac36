using GaussQuant.Cli;
using GaussQuant.Models;
using GaussQuant.Tests.Config;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

public class DefaultModelTests
{
    [Fact]
    public void ExtractsOnceAndReplacesAFileOfAnotherLength()
    {
        using var folder = new TemporaryFolder();
        string path = folder["cache/model.safetensors"];
        using (var content = new MemoryStream([1, 2, 3]))
            Assert.Equal(path, DefaultModel.ExtractTo(content, path));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));

        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1));
        using (var same = new MemoryStream([1, 2, 3]))
            DefaultModel.ExtractTo(same, path);
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));

        using (var longer = new MemoryStream([4, 5, 6, 7]))
            DefaultModel.ExtractTo(longer, path);
        Assert.Equal(new byte[] { 4, 5, 6, 7 }, File.ReadAllBytes(path));
        Assert.Equal(new[] { "cache", "cache/model.safetensors" }, folder.Files());
    }

    [SkippableFact]
    public void TheShippedModelCarriesNoPathOfTheMachineItWasTrainedOn()
    {
        string shipped = Path.Combine(TestPaths.RepositoryRoot, "models", "default", "model.safetensors");
        Skip.IfNot(File.Exists(shipped), "this checkout has no models/default/model.safetensors");
        var config = TokenizerModel.ConfigOf(shipped);
        Assert.Empty(AbsolutePaths.In(config.Tree));
        Assert.Equal("tiny_imagenet_train.txt", config.Data!.TrainRoot);
    }
}
