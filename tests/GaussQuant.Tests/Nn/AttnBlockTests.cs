using GaussQuant.Nn;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Nn;

public class AttnBlockTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(3, 5)]
    public void FusedAttentionEqualsTheExplicitSoftmaxFormula(long height, long width)
    {
        const long channels = 64;
        using var block = new AttnBlock(channels);
        using var noGrad = no_grad();
        var parameters = block.state_dict();
        foreach (var name in new[] { "q", "k", "v" }) parameters[$"{name}.weight"].mul_(4); // sharper softmax
        using var input = randn(2, channels, height, width, generator: new Generator(3));
        using var actual = block.call(input);

        using var scope = NewDisposeScope();
        var normalised = nn.functional.group_norm(input, 32, parameters["norm.weight"], parameters["norm.bias"], 1e-6);
        Tensor Project(string name) => nn.functional.conv2d(normalised, parameters[$"{name}.weight"], parameters[$"{name}.bias"]).reshape(2, channels, -1);
        var q = Project("q").transpose(1, 2); // (B, L, C), row-major tokens
        var k = Project("k");                  // (B, C, L)
        var v = Project("v").transpose(1, 2);
        var weights = (bmm(q, k) / Math.Sqrt(channels)).softmax(-1);
        var attended = bmm(weights, v).transpose(1, 2).reshape(2, channels, height, width);
        var expected = input + nn.functional.conv2d(attended, parameters["proj_out.weight"], parameters["proj_out.bias"]);

        // Two float32 evaluations (fused kernel, explicit formula): the network budget of TensorAssert over the block's
        // convolutions and the two attention products (C and h·w terms), times 1 + max |logit|, since softmax turns a
        // relative error δ of its logits into δ·|logit| of its weights.
        double logits = (bmm(q, k) / Math.Sqrt(channels)).abs().max().item<float>();
        long terms = TensorAssert.SummedTerms(block) + channels + height * width;
        double budget = Math.Sqrt(2) * Float32ErrorBound.Confidence * Float32ErrorBound.RandomRounding(terms) * (1 + logits)
            * expected.abs().max().item<float>();
        Assert.True(actual.allclose(expected, rtol: 0, atol: budget), $"max |Δ| = {(actual - expected).abs().max().item<float>()}, budget {budget:E2}");
    }

    [Fact]
    public void ParameterNamesAreTheAuthors()
    {
        using var block = new AttnBlock(32);
        Assert.Equal(
            ["norm.weight", "norm.bias", "q.weight", "q.bias", "k.weight", "k.bias", "v.weight", "v.bias", "proj_out.weight", "proj_out.bias"],
            block.state_dict().Keys);
    }
}
