using GaussQuant.Imaging;
using GaussQuant.IO;
using GaussQuant.Pipelines;
using GaussQuant.Tests.IO;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Pipelines;

/// <summary>What the pipelines do to outputs that exist, cannot be written, or are written by someone else (issues 9 and 15).</summary>
public class OutputSafetyTests
{
    private static TokenizeOptions Encode(IReadOnlyList<string> inputs, string output, bool overwrite = false) => new()
    {
        Images = new ImageInputOptions { Inputs = inputs, BatchSize = 2, DecodeWorkers = 2 },
        OutputPath = output,
        Overwrite = overwrite,
    };

    private static DetokenizeOptions Decode(string tokens, string output, bool overwrite = false) =>
        new() { TokensPath = tokens, OutputFolder = output, BatchSize = 2, Overwrite = overwrite };

    [Fact]
    public void AFolderGivenForTheTokensFileFailsBeforeAnyImageIsEncoded()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 4);
        var reported = new List<PipelineProgress>();
        var error = Assert.Throws<ArgumentException>(() => TokenizePipeline.Run(model.Tokenizer, Encode(pictures, folder["outdir"] + "/"), new Recorder(reported)));
        Assert.Contains("names a folder", error.Message);
        Assert.Contains(Path.Combine(folder["outdir"] + "/", "tokens.npy"), error.Message);
        Assert.Empty(reported);
        Assert.False(Directory.Exists(folder["outdir"]));
    }

    [Fact]
    public void AnUnwritableDestinationFailsBeforeAnyImageIsEncoded()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 4);
        var reported = new List<PipelineProgress>();
        Assert.Throws<OutputRefusedException>(() => TokenizePipeline.Run(model.Tokenizer, Encode(pictures, "/proc/gq-tokens.npy"), new Recorder(reported)));
        Assert.Empty(reported);
    }

    [Fact]
    public void ExistingTokensAreKeptUnlessOverwriting()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 2);
        TokenizePipeline.Run(model.Tokenizer, Encode(pictures, folder["tokens.npy"]));
        byte[] before = File.ReadAllBytes(folder["tokens.json"]);
        var error = Assert.Throws<OutputRefusedException>(() => TokenizePipeline.Run(model.Tokenizer, Encode([pictures[0]], folder["tokens.npy"])));
        Assert.Contains("pass --overwrite", error.Message);
        Assert.Equal(before, File.ReadAllBytes(folder["tokens.json"]));

        var replaced = TokenizePipeline.Run(model.Tokenizer, Encode([pictures[0]], folder["tokens.npy"], overwrite: true));
        Assert.Single(TokenManifest.Read(folder["tokens.json"]).Inputs);
        Assert.Equal(TokenManifest.Sha256Of(folder["tokens.npy"]), replaced.Manifest.TokensSha256);
        Assert.Equal(["in", "in/picture0.png", "in/picture1.png", "tokens.json", "tokens.npy"], folder.Files());
    }

    [Fact]
    public void AManifestThatCannotBeWrittenLeavesTheOldPairUntouched()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 2);
        NpyFile.Write<long>(folder["tokens.npy"], [7], 1, 1, 1, 1);
        byte[] before = File.ReadAllBytes(folder["tokens.npy"]);
        Directory.CreateDirectory(folder["tokens.json"]);
        var reported = new List<PipelineProgress>();

        var error = Assert.Throws<OutputRefusedException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Encode(pictures, folder["tokens.npy"], overwrite: true), new Recorder(reported)));
        Assert.Contains($"{folder["tokens.json"]} is a folder", error.Message);
        Assert.Empty(reported);
        Assert.Equal(before, File.ReadAllBytes(folder["tokens.npy"]));
    }

    [Fact]
    public void DecodeRefusesTokensBesideTheManifestOfAnotherRun()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 3);
        TokenizePipeline.Run(model.Tokenizer, Encode([pictures[0], pictures[1]], folder["tokens.npy"]));
        File.Copy(folder["tokens.json"], folder["first.json"]);
        TokenizePipeline.Run(model.Tokenizer, Encode([pictures[2], pictures[0]], folder["tokens.npy"], overwrite: true));
        File.Copy(folder["first.json"], folder["tokens.json"], overwrite: true);

        var error = Assert.Throws<InvalidDataException>(() => DetokenizePipeline.Run(model.Autoencoder, Decode(folder["tokens.npy"], folder["out"])));
        Assert.Contains("the pair is mixed", error.Message);
        Assert.False(Directory.Exists(folder["out"]));
    }

    [Theory]
    [InlineData("long")]
    [InlineData("nul")]
    public void AnInvalidImageNameReplacesNothing(string problem)
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 2);
        var encoded = TokenizePipeline.Run(model.Tokenizer, Encode(pictures, folder["tokens.npy"]));
        string bad = problem == "long" ? new string('x', 300) + ".png" : "bad\0name.png";
        (encoded.Manifest with { Inputs = [pictures[0], bad] }).Write(folder["tokens.json"]);
        Directory.CreateDirectory(folder["out"]);
        File.WriteAllText(folder["out/picture0.png"], "old");

        var error = Assert.Throws<OutputRefusedException>(() => DetokenizePipeline.Run(model.Autoencoder, Decode(folder["tokens.npy"], folder["out"], overwrite: true)));
        Assert.Contains("nothing was written", error.Message);
        Assert.Equal("old", File.ReadAllText(folder["out/picture0.png"]));
        Assert.Equal(["picture0.png"], Directory.GetFileSystemEntries(folder["out"]).Select(Path.GetFileName));
    }

    [Fact]
    public void ExistingImagesAreKeptUnlessOverwriting()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 2);
        Directory.CreateDirectory(folder["out"]);
        File.WriteAllText(folder["out/picture1.png"], "old");
        var options = new ReconstructOptions { Images = new ImageInputOptions { Inputs = pictures, DecodeWorkers = 2 }, OutputFolder = folder["out"] };
        var reported = new List<PipelineProgress>();

        var error = Assert.Throws<OutputRefusedException>(() => ReconstructPipeline.Run(model.Autoencoder, options, new Recorder(reported)));
        Assert.Contains("already holds 1 of the files to write (picture1.png)", error.Message);
        Assert.Empty(reported);
        Assert.Equal("old", File.ReadAllText(folder["out/picture1.png"]));
        ReconstructPipeline.Run(model.Autoencoder, options with { Overwrite = true });
        Assert.Equal(16, ImageDecoder.Decode(folder["out/picture1.png"]).Width);
    }

    [Fact]
    public void AFifoGivenAsOutputStaysAFifo()
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        var pictures = PipelineTestModel.WritePictures(folder["in"], 2);
        SpecialFiles.MakeFifo(folder["tokens.npy"]);
        Assert.Contains("not a regular file", Assert.Throws<OutputRefusedException>(() =>
            TokenizePipeline.Run(model.Tokenizer, Encode(pictures, folder["tokens.npy"], overwrite: true))).Message);
        Assert.Equal(PathKind.Special, PosixFiles.KindOf(folder["tokens.npy"]));
        Assert.False(File.Exists(folder["tokens.json"]));
    }
}
