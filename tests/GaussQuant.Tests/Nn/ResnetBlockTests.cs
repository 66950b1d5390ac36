using GaussQuant.Nn;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Nn;

public class ResnetBlockTests
{
    [Fact]
    public void ShortcutConvExistsOnlyWhenTheWidthChanges()
    {
        using var same = new ResnetBlock(32, 32);
        using var wider = new ResnetBlock(32, 64);
        Assert.DoesNotContain(same.state_dict().Keys, key => key.StartsWith("nin_shortcut"));
        Assert.Equal(new long[] { 64, 32, 1, 1 }, wider.state_dict()["nin_shortcut.weight"].shape);
        Assert.Equal(["norm1", "conv1", "norm2", "conv2", "nin_shortcut"],
            wider.state_dict().Keys.Select(key => key[..key.IndexOf('.')]).Distinct());
    }

    [Fact]
    public void ZeroSecondConvLeavesTheIdentity()
    {
        using var block = new ResnetBlock(32, 32);
        using var noGrad = no_grad();
        block.state_dict()["conv2.weight"].zero_();
        block.state_dict()["conv2.bias"].zero_();
        using var input = randn(1, 32, 5, 6);
        using var output = block.call(input);
        Assert.True(output.equal(input).all().item<bool>());
    }
}
