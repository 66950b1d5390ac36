using GaussQuant.Models;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Models;

/// <summary>The authors' full-size UNet, built once for the tests that only look at its parameters.</summary>
public sealed class DefaultUNet : IDisposable
{
    public Encoder Encoder { get; } = new(new UNetOptions());

    public Decoder Decoder { get; } = new(new UNetOptions());

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
    }
}

public class UNetParameterNamesTests(DefaultUNet unet) : IClassFixture<DefaultUNet>
{
    [Fact]
    public void DefaultShapeHasTheAuthorsParameterCounts()
    {
        Assert.Equal(35_325_856, unet.Encoder.parameters().Sum(parameter => parameter.numel()));
        Assert.Equal(51_648_771, unet.Decoder.parameters().Sum(parameter => parameter.numel()));
    }

    [Fact]
    public void DefaultShapeHasTheAuthorsKeyPatterns()
    {
        var encoder = unet.Encoder.state_dict();
        var decoder = unet.Decoder.state_dict();
        Assert.Equal(new long[] { 128, 3, 3, 3 }, encoder["conv_in.weight"].shape);
        Assert.Equal(new long[] { 512, 512, 1, 1 }, encoder["down.3.attn.1.q.weight"].shape);
        Assert.Equal(new long[] { 256, 128, 1, 1 }, encoder["down.1.block.0.nin_shortcut.weight"].shape);
        Assert.Equal(new long[] { 32, 512, 3, 3 }, encoder["conv_out.weight"].shape);
        Assert.DoesNotContain(encoder.Keys, key => key.StartsWith("down.3.downsample") || key.StartsWith("mid.attn"));
        Assert.Equal(new long[] { 512, 16, 3, 3 }, decoder["conv_in.weight"].shape);
        Assert.Equal(new long[] { 512 }, decoder["up.3.attn.2.proj_out.bias"].shape);
        Assert.Equal(new long[] { 256 }, decoder["up.1.upsample.conv.bias"].shape);
        Assert.Equal(new long[] { 3, 128, 3, 3 }, decoder["conv_out.weight"].shape);
        Assert.DoesNotContain(decoder.Keys, key => key.StartsWith("up.0.upsample") || key.StartsWith("up.2.attn"));
    }

    [SkippableFact]
    public void DefaultShapeMatchesTheAuthorsKeyFileExactly()
    {
        string keyFile = TestPaths.RequireShared("spec", "sd3unet_state_dict_keys.txt");
        Assert.Equal(StateDictListing.Read(keyFile, "encoder."), StateDictListing.Lines("encoder.", unet.Encoder));
        Assert.Equal(StateDictListing.Read(keyFile, "decoder."), StateDictListing.Lines("decoder.", unet.Decoder));
    }

    [SkippableFact]
    public void TheAuthorsYamlBuildsAModelWithTheAuthorsKeysAndShapes()
    {
        string keyFile = TestPaths.RequireShared("spec", "sd3unet_state_dict_keys.txt");
        var config = GaussQuant.Experiments.ExperimentLoader.Load(TestPaths.RequireShared("reference-configs", "sd3unet_gq_0.25.yaml"));
        using var model = ModelFactory.Create(config.Model);
        Assert.Equal(StateDictListing.Read(keyFile, "encoder."), StateDictListing.Lines("encoder.", model.Encoder));
        Assert.Equal(StateDictListing.Read(keyFile, "decoder."), StateDictListing.Lines("decoder.", model.Decoder));
        Assert.All(model.state_dict().Keys, key => Assert.True(key.StartsWith("encoder.") || key.StartsWith("decoder."), key));
    }

    [Theory]
    [InlineData("attention_mid")]
    [InlineData("attention_top")]
    public void SmallConfigurationsMatchTheReferenceModelsKeys(string configuration)
    {
        using var reference = UNetReference.Load(configuration);
        using var encoder = new Encoder(reference.Options);
        using var decoder = new Decoder(reference.Options);
        string keyFile = Path.Combine(reference.Folder, "keys.txt");
        Assert.Equal(StateDictListing.Read(keyFile, "encoder."), StateDictListing.Lines("encoder.", encoder));
        Assert.Equal(StateDictListing.Read(keyFile, "decoder."), StateDictListing.Lines("decoder.", decoder));
    }

    [Theory]
    [InlineData("vanilla", 2 + 3)]
    [InlineData("none", 0)]
    public void AttentionTypeNoneHasNoAttentionModules(string attentionType, int expectedBlocks)
    {
        var options = new UNetOptions
        {
            Channels = 32, ChannelMultipliers = [1, 2], Resolution = 32, AttentionResolutions = [16], AttentionType = attentionType,
        };
        using var encoder = new Encoder(options);
        using var decoder = new Decoder(options);
        var attentionBlocks = encoder.state_dict().Keys.Concat(decoder.state_dict().Keys)
            .Where(key => key.Contains(".attn.") && key.EndsWith(".q.weight"));
        Assert.Equal(expectedBlocks, attentionBlocks.Count());
    }
}
