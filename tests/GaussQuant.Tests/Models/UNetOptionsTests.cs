using GaussQuant.Models;

namespace GaussQuant.Tests.Models;

public class UNetOptionsTests
{
    [Fact]
    public void DefaultsAreValid() => new UNetOptions().Validate();

    [Theory]
    [InlineData(48, "Channels (ch)")]
    [InlineData(0, "Channels (ch)")]
    public void ChannelsMustSuitGroupNorm(int channels, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new Encoder(new UNetOptions { Channels = channels }));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void EmptyOrNonPositiveMultipliersAreRejected()
    {
        Assert.Contains("at least one level", Assert.Throws<ArgumentException>(() => new UNetOptions { ChannelMultipliers = [] }.Validate()).Message);
        Assert.Contains("[1, 0]", Assert.Throws<ArgumentException>(() => new UNetOptions { ChannelMultipliers = [1, 0] }.Validate()).Message);
    }

    [Fact]
    public void OtherOptionsAreChecked()
    {
        Assert.Contains("num_res_blocks", Assert.Throws<ArgumentException>(() => new Decoder(new UNetOptions { ResBlocksPerLevel = 0 })).Message);
        Assert.Contains("'linear'", Assert.Throws<ArgumentException>(() => new UNetOptions { AttentionType = "linear" }.Validate()).Message);
        Assert.Contains("Dropout", Assert.Throws<ArgumentException>(() => new UNetOptions { Dropout = 1 }.Validate()).Message);
        Assert.Contains("z_channels", Assert.Throws<ArgumentException>(() => new UNetOptions { LatentChannels = 0 }.Validate()).Message);
    }

    [Fact]
    public void AttentionFollowsTheNominalResolution()
    {
        var options = new UNetOptions();
        Assert.True(options.HasAttentionAt(32));
        Assert.False(options.HasAttentionAt(64));
        Assert.False((options with { AttentionType = "none" }).HasAttentionAt(32));
    }
}
