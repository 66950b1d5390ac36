using System.Text.Json;
using GaussQuant.Nn.Dinov2;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Nn;

/// <summary>
/// The full-size ViT-L/14 key lists (tests/fixtures/vf/dinov2_large_keys.json: timm's from timm's own
/// vit_large_patch14_dinov2, Hugging Face's from its naming) map onto our module completely, without a download.
/// </summary>
public class Dinov2KeyMapTests
{
    [Theory]
    [InlineData("timm", Dinov2Layout.Timm, "")]
    [InlineData("huggingface", Dinov2Layout.HuggingFace, "")]
    [InlineData("timm", Dinov2Layout.Timm, "foundation_model.model.")] // the authors' VF training checkpoints
    [InlineData("huggingface", Dinov2Layout.HuggingFace, "dinov2.")] // transformers' classifiers
    public void TheLargeModelMapsCompletely(string list, Dinov2Layout layout, string prefix)
    {
        var timm = KeyList("timm");
        var shapes = KeyList(list).ToDictionary(pair => prefix + pair.Key, pair => pair.Value);
        shapes["encoder.conv_in.weight"] = [128, 3, 3, 3]; // an autoencoder beside it is not DINOv2's

        var map = Dinov2KeyMap.For(shapes.Keys, list);
        var mapped = map.MappedShapes(shapes);

        Assert.Equal(layout, map.Layout);
        Assert.Equal(prefix, map.Prefix);
        Assert.Equal(timm.Keys.Order(StringComparer.Ordinal), mapped.Keys.Order(StringComparer.Ordinal));
        Assert.All(timm, pair => Assert.Equal(pair.Value, mapped[pair.Key]));
        var options = Dinov2Weights.InferOptions(mapped, list);
        Assert.Equal((1024, 24, 16, 14, 37, 4096, 0, true, false, true),
            (options.EmbeddingDimension, options.Depth, options.Heads, options.PatchSize, options.PositionGrid, options.MlpHiddenDimension,
                options.RegisterTokens, options.EmbedsPrefixPositions, options.GatedMlp, options.LayerScale));
        Assert.Equal(timm.Values.Sum(shape => shape.Aggregate(1L, (a, b) => a * b)), options.ParameterCount);
    }

    [Fact]
    public void OurModuleHasTimmsKeysAndShapes()
    {
        var timm = KeyList("timm");
        var options = Dinov2Weights.InferOptions(timm, "timm");
        using var model = new Dinov2VisionTransformer(options, new Device("meta"));
        var ours = model.state_dict().ToDictionary(pair => pair.Key, pair => pair.Value.shape);
        Assert.Equal(timm.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        Assert.All(timm, pair => Assert.Equal(pair.Value, ours[pair.Key]));
    }

    [Fact]
    public void WeightsWithoutAPatchEmbeddingAreRefusedWithWhatToDownload()
    {
        var error = Assert.Throws<InvalidDataException>(() => Dinov2KeyMap.For(["encoder.conv_in.weight"], "some.ckpt"));
        Assert.Contains("some.ckpt", error.Message);
        Assert.Contains("vit_large_patch14_dinov2.lvd142m", error.Message);
        Assert.Contains("facebook/dinov2-large", error.Message);
    }

    private static Dictionary<string, long[]> KeyList(string layout)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dinov2Fixtures.Path("dinov2_large_keys.json")));
        return document.RootElement.GetProperty(layout).EnumerateObject()
            .ToDictionary(entry => entry.Name, entry => entry.Value.EnumerateArray().Select(size => size.GetInt64()).ToArray());
    }
}
