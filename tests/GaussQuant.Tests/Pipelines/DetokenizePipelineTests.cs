using GaussQuant.Imaging;
using GaussQuant.Pipelines;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Pipelines;

public class DetokenizePipelineTests
{
    private static DetokenizeOptions Options(string tokens, string output, int batch = 2) =>
        new() { TokensPath = tokens, OutputFolder = output, BatchSize = batch };

    private static void WriteTokens(string path, long[] values, params long[] shape) => NpyFile.Write<long>(path, values, shape);

    [Fact]
    public void WithoutAManifestImagesAreNumbered()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        WriteTokens(folder["tokens.npy"], Enumerable.Range(0, 3 * 2 * 4 * 3).Select(value => (long)value).ToArray(), 3, 2, 4, 3);
        var reported = new List<PipelineProgress>();
        var result = DetokenizePipeline.Run(model.Autoencoder, Options(folder["tokens.npy"], folder["out"]), new Recorder(reported));

        Assert.Equal(new[] { "000000.png", "000001.png", "000002.png" }, result.Images.Select(Path.GetFileName));
        Assert.Equal(new[] { "out", "out/000000.png", "out/000001.png", "out/000002.png", "tokens.npy" }, folder.Files());
        var image = ImageDecoder.Decode(result.Images[0]);
        Assert.Equal((6, 8), (image.Width, image.Height));
        Assert.Equal(new PipelineProgress("check", 3, 3), reported.First(report => report.Stage == "check" && report.Completed == 3));
        Assert.Equal(new PipelineProgress("decode", 3, 3), reported[^1]);
    }

    [Theory]
    [InlineData("float", "int64")]
    [InlineData("three axes", "[N, n_codebooks, h, w]")]
    [InlineData("one codebook", "the model uses 2")]
    [InlineData("too large", "is 256, outside the codebook's range [0, 256)")]
    [InlineData("negative", "token [1, 1, 0, 1] is -1")]
    [InlineData("empty", "holds no images")]
    [InlineData("truncated", "truncated")]
    public void BadTokensFailNamingTheFileBeforeAnythingIsWritten(string problem, string message)
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        string path = folder["tokens.npy"];
        var values = new long[2 * 2 * 2 * 2];
        switch (problem)
        {
            case "float": NpyFile.Write<float>(path, new float[16], 2, 2, 2, 2); break;
            case "three axes": WriteTokens(path, values, 4, 2, 2); break;
            case "one codebook": WriteTokens(path, values, 4, 1, 2, 2); break;
            case "too large": values[^1] = 256; WriteTokens(path, values, 2, 2, 2, 2); break;
            case "negative": values[13] = -1; WriteTokens(path, values, 2, 2, 2, 2); break;
            case "empty": WriteTokens(path, [], 0, 2, 2, 2); break;
            default:
                WriteTokens(path, values, 2, 2, 2, 2);
                File.WriteAllBytes(path, File.ReadAllBytes(path)[..^8]);
                break;
        }
        var error = Assert.Throws<InvalidDataException>(() => DetokenizePipeline.Run(model.Autoencoder, Options(path, folder["out"])));
        Assert.Contains(path, error.Message);
        Assert.Contains(message, error.Message);
        Assert.False(Directory.Exists(folder["out"]));
    }

    [Fact]
    public void AManifestThatDoesNotDescribeTheTokensIsRejected()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 3);
        var tokenize = TokenizePipeline.Run(model.Tokenizer, new TokenizeOptions
        {
            Images = new ImageInputOptions { Inputs = pictures }, OutputPath = folder["tokens.npy"],
        });
        var manifest = tokenize.Manifest;

        (manifest with { Inputs = pictures.Take(2).ToList() }).Write(folder["tokens.json"]);
        Assert.Contains("lists 2 inputs", Assert.Throws<InvalidDataException>(() =>
            DetokenizePipeline.Run(model.Autoencoder, Options(folder["tokens.npy"], folder["out"]))).Message);

        var otherSeed = new Dictionary<string, string>(manifest.Quantizer!.Parameters) { ["seed"] = "7" };
        (manifest with { Quantizer = manifest.Quantizer with { Parameters = otherSeed } }).Write(folder["tokens.json"]);
        Assert.Contains("made by a gaussian_quant (dim 4, seed 7, size 256, variant strided) quantizer", Assert.Throws<InvalidDataException>(() =>
            DetokenizePipeline.Run(model.Autoencoder, Options(folder["tokens.npy"], folder["out"]))).Message);

        // Only the size differs: a codebook chosen at inference (--codebook-size) is named as the likely cause.
        var otherSize = new Dictionary<string, string>(manifest.Quantizer!.Parameters) { ["size"] = "1024" };
        (manifest with { Quantizer = manifest.Quantizer with { Parameters = otherSize } }).Write(folder["tokens.json"]);
        Assert.Contains("the tokens index a Gaussian Quant codebook of 1024 entries, but this decode uses the model's trained 256; " +
                        "decode them with the model that made them", Assert.Throws<InvalidDataException>(() =>
            DetokenizePipeline.Run(model.Autoencoder, Options(folder["tokens.npy"], folder["out"]))).Message);

        (manifest with { Quantizer = manifest.Quantizer with { Kind = "vq" } }).Write(folder["tokens.json"]);
        Assert.Contains("made by a vq", Assert.Throws<InvalidDataException>(() =>
            DetokenizePipeline.Run(model.Autoencoder, Options(folder["tokens.npy"], folder["out"]))).Message);

        // A manifest written before quantizer kinds were recorded is checked by its codebook.
        (manifest with { Quantizer = null, Codebook = manifest.Codebook! with { Size = 1024 } }).Write(folder["tokens.json"]);
        Assert.Contains("codebook of 1024", Assert.Throws<InvalidDataException>(() =>
            DetokenizePipeline.Run(model.Autoencoder, Options(folder["tokens.npy"], folder["out"]))).Message);
        Assert.False(Directory.Exists(folder["out"]));
    }

    [Fact]
    public void ExistingImagesAreReplacedAndOthersKept()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(folder["out"]);
        File.WriteAllText(folder["out/000000.png"], "old");
        File.WriteAllText(folder["out/notes.txt"], "mine");
        WriteTokens(folder["tokens.npy"], new long[2 * 2 * 2 * 2], 2, 2, 2, 2);

        DetokenizePipeline.Run(model.Autoencoder, Options(folder["tokens.npy"], folder["out"]) with { Overwrite = true });
        Assert.Equal(new[] { "000000.png", "000001.png", "notes.txt" }, Directory.GetFileSystemEntries(folder["out"]).Select(Path.GetFileName).Order());
        Assert.Equal(4, ImageDecoder.Decode(folder["out/000000.png"]).Width);
        Assert.Equal("mine", File.ReadAllText(folder["out/notes.txt"]));
    }

    /// <summary>A tokens file of zeros (every index valid) with this shape, sparse, so a huge one costs no disk.</summary>
    private static void WriteSparseTokens(string path, params long[] shape)
    {
        byte[] header = NpyFile.Header("<i8", shape);
        using var file = new FileStream(path, FileMode.Create);
        file.Write(header);
        file.SetLength(header.Length + 8 * shape.Aggregate(1L, (product, side) => product * side));
    }

    [Theory]
    [InlineData(2_147_483_653L, 2L, 1L, 1L, "holds 2147483653 images, more than the 1000000")] // overflowed the image count
    [InlineData(256L, 2L, 16L, 16_777_216L, "needs about")]                                  // overflowed one read of rows
    [InlineData(1L, 2L, 4096L, 4096L, "GQ_MAX_ACTIVATION_BYTES raises the limit")]          // asked LibTorch for ~86 GB
    public void HugeTokenShapesAreRefusedUpFrontNamingTheFile(long images, long codebooks, long height, long width, string message)
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        string path = folder["tokens.npy"];
        WriteSparseTokens(path, images, codebooks, height, width);
        var error = Assert.Throws<InvalidDataException>(() => DetokenizePipeline.Run(model.Autoencoder, Options(path, folder["out"])));
        Assert.Contains(path, error.Message);
        Assert.Contains(message, error.Message);
        Assert.False(Directory.Exists(folder["out"]));
    }
}
