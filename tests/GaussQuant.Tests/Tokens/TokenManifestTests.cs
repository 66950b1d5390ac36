using System.Text.Json.Nodes;
using GaussQuant.Imaging;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Tokens;

public sealed class TokenManifestTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gq-manifest-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static TokenManifest Example() => new()
    {
        Inputs = ["photos/a.png", "photos/b.jpg"],
        Config = "configs/sd3unet_gq_0.25.yaml",
        Checkpoint = "models/model.safetensors",
        CheckpointSha256 = new string('a', 64),
        Precision = "bf16",
        Codebook = new ManifestCodebook(Dim: 2, Size: 65536, Seed: 42, Beta: 0.25),
        Quantizer = new ManifestQuantizer("gaussian_quant", new Dictionary<string, string> { ["dim"] = "2", ["size"] = "65536" }),
        CodebookCount = 8,
        LatentShape = [8, 32, 32],
        Preprocessing = ResizeMode.ResizeCenterCrop,
        Resize = 256,
        ImageSize = [256, 256],
        Skipped = [new SkippedInput("photos/c.png", "photos/c.png: the file is truncated")],
    };

    [Fact]
    public void RoundTripsThroughJson()
    {
        string path = Path.Combine(folder, "TOKENS.json");
        var manifest = Example();
        manifest.Write(path);
        var read = TokenManifest.Read(path);

        Assert.Equal(manifest.Inputs, read.Inputs);
        Assert.Equal(manifest.Codebook, read.Codebook);
        Assert.True(read.Quantizer!.Describes(manifest.Quantizer!));
        Assert.Equal(manifest.LatentShape, read.LatentShape);
        Assert.Equal(manifest.ImageSize, read.ImageSize);
        Assert.Equal(manifest.Skipped, read.Skipped);
        Assert.Equal((manifest.Config, manifest.Checkpoint, manifest.CheckpointSha256, manifest.Precision, manifest.CodebookCount, manifest.Preprocessing, manifest.Resize),
            (read.Config, read.Checkpoint, read.CheckpointSha256, read.Precision, read.CodebookCount, read.Preprocessing, read.Resize));
        Assert.Empty(GaussQuant.Tests.IO.SpecialFiles.TemporariesBeside(path));
    }

    [Fact]
    public void UsesTheContractsSnakeCaseNames()
    {
        string path = Path.Combine(folder, "TOKENS.json");
        Example().Write(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(
            new[] { "version", "inputs", "config", "checkpoint", "checkpoint_sha256", "codebook", "quantizer", "n_codebooks", "latent_shape", "precision", "preprocessing", "resize", "image_size", "skipped", "tokens_sha256" }.Order(),
            json.Select(property => property.Key).Order());
        Assert.Equal("resize_center_crop", json["preprocessing"]!.GetValue<string>());
        Assert.Equal(65536, json["codebook"]!["size"]!.GetValue<int>());
        Assert.Equal("photos/c.png", json["skipped"]![0]!["file"]!.GetValue<string>());
    }

    [Fact]
    public void ReadsAManifestWithoutOptionalFields()
    {
        string path = Path.Combine(folder, "TOKENS.json");
        File.WriteAllText(path, """
            {"version": 1, "inputs": [], "config": "c.yaml", "checkpoint": "m.ckpt",
             "codebook": {"dim": 4, "size": 16, "seed": 1, "beta": 1.0}, "n_codebooks": 4,
             "latent_shape": [4, 5, 6], "preprocessing": "none", "resize": null, "image_size": [40, 48]}
            """);
        var manifest = TokenManifest.Read(path);
        Assert.Empty(manifest.Skipped);
        Assert.Null(manifest.CheckpointSha256);
        Assert.Equal(ResizeMode.None, manifest.Preprocessing);
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "\"n_codebooks\": 8", "\"n_codebooks\": 4" },
        { "\"latent_shape\": [", "\"latent_shape\": [8, " },
        { "\"version\": 1", "\"version\": 2" },
        { "\"resize\": 256", "\"resize\": null" },
        { "\"resize_center_crop\"", "\"sideways\"" },
        { "\"n_codebooks\": 8,", "" },
        { "\"inputs\": [", "\"inputs\": [null, " },
        { "\"size\": 65536", "\"size\": \"big\"" },
        { "{", "[" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void RefusesInvalidManifestsNamingTheFile(string original, string replacement)
    {
        string path = Path.Combine(folder, "TOKENS.json");
        Example().Write(path);
        string text = File.ReadAllText(path);
        Assert.Contains(original, text);
        File.WriteAllText(path, text.Replace(original, replacement));
        var error = Assert.Throws<InvalidDataException>(() => TokenManifest.Read(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void RefusesToWriteAnInconsistentManifest()
    {
        string path = Path.Combine(folder, "TOKENS.json");
        var error = Assert.Throws<InvalidDataException>(() => (Example() with { LatentShape = [4, 32, 32] }).Write(path));
        Assert.Contains("n_codebooks is 8", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void LivesBesideTheTokens()
    {
        Assert.Equal(Path.Combine("out", "TOKENS.json"), TokenManifest.PathBeside(Path.Combine("out", "TOKENS.npy")));
    }

    [Fact]
    public void HashesFilesWithSha256()
    {
        string path = Path.Combine(folder, "abc.bin");
        File.WriteAllText(path, "abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenManifest.Sha256Of(path));
    }
}
