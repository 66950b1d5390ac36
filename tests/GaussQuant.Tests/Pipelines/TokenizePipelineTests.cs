using GaussQuant.Imaging;
using GaussQuant.Pipelines;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Pipelines;

public class TokenizePipelineTests
{
    private static TokenizeOptions Options(IReadOnlyList<string> inputs, string output, int batch = 3, bool skipBad = false,
        int? size = null, bool noResize = false) => new()
    {
        Images = new ImageInputOptions { Inputs = inputs, BatchSize = batch, SkipBad = skipBad, Size = size, NoResize = noResize, DecodeWorkers = 2 },
        OutputPath = output,
    };

    /// <summary>Manifests hold lists, which records compare by reference; their JSON says whether they agree.</summary>
    private static void AssertSameManifest(TokenManifest expected, TokenManifest actual)
    {
        using var folder = new TemporaryFolder();
        expected.Write(folder["expected.json"]);
        actual.Write(folder["actual.json"]);
        Assert.Equal(File.ReadAllText(folder["expected.json"]), File.ReadAllText(folder["actual.json"]));
    }

    [Fact]
    public void WritesInt64TokensAndAManifestListingEveryInputInOrder()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 5);
        var reported = new List<PipelineProgress>();
        var result = TokenizePipeline.Run(model.Tokenizer, Options([folder["in"]], folder["out/tokens.npy"]), new Recorder(reported));

        var tokens = NpyFile.Read(folder["out/tokens.npy"]);
        Assert.Equal("<i8", tokens.DType);
        Assert.Equal(new long[] { 5, 2, 8, 8 }, tokens.Shape);
        Assert.All(tokens.ToArray<long>(), value => Assert.InRange(value, 0, 255));

        var manifest = TokenManifest.Read(folder["out/tokens.json"]);
        Assert.Equal(pictures, manifest.Inputs);
        Assert.Equal(model.ConfigPath, manifest.Config);
        Assert.Equal(model.WeightsPath, manifest.Checkpoint);
        Assert.Equal(TokenManifest.Sha256Of(model.WeightsPath), manifest.CheckpointSha256);
        Assert.Equal(new ManifestCodebook(4, 256, 42, 1.0), manifest.Codebook);
        Assert.Equal(2, manifest.CodebookCount);
        Assert.Equal([2, 8, 8], manifest.LatentShape);
        Assert.Equal(ResizeMode.ResizeCenterCrop, manifest.Preprocessing);
        Assert.Equal(16, manifest.Resize);
        Assert.Equal([16, 16], manifest.ImageSize);
        Assert.Empty(manifest.Skipped);
        AssertSameManifest(manifest, result.Manifest);
        Assert.Equal(new[] { "out", "out/tokens.json", "out/tokens.npy" }, folder.Files().Where(file => !file.StartsWith("in")));

        Assert.Equal(new PipelineProgress("encode", 5, 5), reported[^1]);
        Assert.Equal(reported.Select(report => report.Completed).Order(), reported.Select(report => report.Completed));
    }

    [Fact]
    public void TheManifestRecordsThePrecisionTheEncoderComputedIn()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 2);
        Assert.Equal("fp32", TokenizePipeline.Run(model.Tokenizer, Options([folder["in"]], folder["fp32.npy"])).Manifest.Precision);
        model.Autoencoder.UsePrecision(GaussQuant.Models.InferencePrecision.Bf16);
        TokenizePipeline.Run(model.Tokenizer, Options([folder["in"]], folder["bf16.npy"]));
        var manifest = TokenManifest.Read(folder["bf16.json"]);
        Assert.Equal("bf16", manifest.Precision);
        Assert.All(NpyFile.Read(folder["bf16.npy"]).ToArray<long>(), value => Assert.InRange(value, 0, 255));
    }

    [Fact]
    public void TokensEqualTheModelsQuantizationOfTheSameBatch()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder.Path, 2, width: 16, height: 16);
        TokenizePipeline.Run(model.Tokenizer, Options(pictures, folder["tokens.npy"], batch: 2));

        var images = pictures.Select(path => ImageDecoder.Decode(path)).ToList();
        using var batch = ImageTensors.ToBatch(images);
        using var latent = model.Autoencoder.Quantize(batch);
        using var contiguous = latent.Indices.contiguous();
        Assert.Equal(contiguous.data<long>().ToArray(), NpyFile.Read(folder["tokens.npy"]).ToArray<long>());
    }

    [Fact]
    public void ABadImageFailsNamingItAndWritesNothing()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 4);
        string corrupt = PipelineTestModel.WriteCorrupt(folder["in"], "picture2b.png");

        var error = Assert.Throws<InvalidDataException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Options([folder["in"]], folder["out/tokens.npy"], batch: 2)));
        Assert.Contains(corrupt, error.Message);
        Assert.Contains("--skip-bad", error.Message);
        Assert.DoesNotContain(folder.Files(), file => file.StartsWith("out", StringComparison.Ordinal));
    }

    [Fact]
    public void SkippingBadImagesListsThemAndTokenizesTheRest()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 4);
        string corrupt = PipelineTestModel.WriteCorrupt(folder["in"], "picture2b.png");
        string empty = Path.Combine(folder["in"], "picture0b.jpg");
        File.WriteAllBytes(empty, []);

        var result = TokenizePipeline.Run(model.Tokenizer, Options([folder["in"]], folder["tokens.npy"], batch: 2, skipBad: true));
        Assert.Equal(pictures, result.Manifest.Inputs);
        Assert.Equal(new[] { empty, corrupt }, result.Manifest.Skipped.Select(skipped => skipped.File));
        Assert.All(result.Manifest.Skipped, skipped => Assert.False(string.IsNullOrWhiteSpace(skipped.Reason)));
        Assert.Equal(4, NpyFile.Read(folder["tokens.npy"]).Shape[0]);
        AssertSameManifest(result.Manifest, TokenManifest.Read(folder["tokens.json"]));
    }

    [Fact]
    public void WhenNoImageCanBeReadNothingIsWritten()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        string corrupt = PipelineTestModel.WriteCorrupt(folder.Path);
        var error = Assert.Throws<InvalidDataException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Options([corrupt], folder["tokens.npy"], skipBad: true)));
        Assert.Contains(corrupt, error.Message);
        Assert.Equal(new[] { "corrupt.png" }, folder.Files());
    }

    [Fact]
    public void WithoutResizingImagesKeepTheirSizeAndMustShareIt()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var same = PipelineTestModel.WritePictures(folder["same"], 3, width: 24, height: 10);
        var result = TokenizePipeline.Run(model.Tokenizer, Options([folder["same"]], folder["same.npy"], noResize: true));
        Assert.Equal(new long[] { 3, 2, 5, 12 }, NpyFile.Read(folder["same.npy"]).Shape);
        Assert.Equal(ResizeMode.None, result.Manifest.Preprocessing);
        Assert.Null(result.Manifest.Resize);
        Assert.Equal([10, 24], result.Manifest.ImageSize);

        string other = PipelineTestModel.WritePictures(folder["other"], 1, width: 16, height: 16)[0];
        var error = Assert.Throws<InvalidDataException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Options([.. same, other], folder["mixed.npy"], noResize: true)));
        Assert.Contains(other, error.Message);
        Assert.Contains("one image size", error.Message);
        Assert.False(File.Exists(folder["mixed.npy"]));

        var skipped = TokenizePipeline.Run(model.Tokenizer, Options([.. same, other], folder["mixed.npy"], noResize: true, skipBad: true));
        Assert.Equal(other, Assert.Single(skipped.Manifest.Skipped).File);
    }

    [Fact]
    public void OptionsThatCannotWorkAreUsageErrors()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder.Path, 1);
        Assert.Contains("exclude each other", Assert.Throws<ArgumentException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Options(pictures, folder["t.npy"], size: 16, noResize: true))).Message);
        Assert.Contains("multiple of the model's downsampling factor 2", Assert.Throws<ArgumentException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Options(pictures, folder["t.npy"], size: 15))).Message);
        Assert.Contains("batch size", Assert.Throws<ArgumentException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Options(pictures, folder["t.npy"], batch: 0))).Message);
        Assert.Contains(".json", Assert.Throws<ArgumentException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Options(pictures, folder["t.json"]))).Message);
        Assert.Throws<FileNotFoundException>(() => TokenizePipeline.Run(model.Tokenizer, Options([folder["missing.png"]], folder["t.npy"])));
    }

    [Fact]
    public void CancellingLeavesNoFiles()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 6);
        using var cancellation = new CancellationTokenSource();
        var progress = new Recorder([], report => { if (report.Completed >= 2) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Options(pictures, folder["out/tokens.npy"], batch: 2), progress, cancellation.Token));
        Assert.DoesNotContain(folder.Files(), file => file.StartsWith("out", StringComparison.Ordinal));
    }
}
