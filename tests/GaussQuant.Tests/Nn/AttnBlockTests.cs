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
        var (q, k, v) = Projections(block, input);
        var weights = (bmm(q, k) / Math.Sqrt(channels)).softmax(-1);
        var attended = bmm(weights, v).transpose(1, 2).reshape(2, channels, height, width);
        var expected = input + nn.functional.conv2d(attended, parameters["proj_out.weight"], parameters["proj_out.bias"]);
        double budget = TwoEvaluationsBudget(block, input, expected);
        Assert.True(actual.allclose(expected, rtol: 0, atol: budget), $"max |Δ| = {(actual - expected).abs().max().item<float>()}, budget {budget:E2}");
    }

    /// <summary>The block's queries (B, L, C), keys (B, C, L) and values (B, L, C), row-major tokens, by the explicit formula.</summary>
    private static (Tensor Query, Tensor Key, Tensor Value) Projections(AttnBlock block, Tensor input)
    {
        var parameters = block.state_dict();
        long channels = input.shape[1];
        var normalised = nn.functional.group_norm(input, 32, parameters["norm.weight"], parameters["norm.bias"], 1e-6);
        Tensor Project(string name) => nn.functional.conv2d(normalised, parameters[$"{name}.weight"], parameters[$"{name}.bias"]).reshape(input.shape[0], channels, -1);
        return (Project("q").transpose(1, 2), Project("k"), Project("v").transpose(1, 2));
    }

    /// <summary>
    /// Two float32 evaluations of the block: the network budget of TensorAssert over the block's convolutions and the
    /// two attention products (C and h·w terms), times 1 + max |logit|, since softmax turns a relative error δ of its
    /// logits into δ·|logit| of its weights.
    /// </summary>
    private static double TwoEvaluationsBudget(AttnBlock block, Tensor input, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var (q, k, _) = Projections(block, input);
        long channels = input.shape[1], length = input.shape[2] * input.shape[3];
        double logits = (bmm(q, k) / Math.Sqrt(channels)).abs().max().item<float>();
        long terms = TensorAssert.SummedTerms(block) + channels + length;
        return Float32ErrorBound.TwoEvaluations(terms) * (1 + logits)
            * expected.abs().max().item<float>();
    }

    [Theory]
    [InlineData(12, 12, 10)] // 15 chunks, the last one short
    [InlineData(5, 7, 1)]    // one query at a time
    public void ChunkedQueriesGiveTheUnchunkedResult(long height, long width, long queriesPerChunk)
    {
        const long channels = 64;
        long length = height * width;
        using var whole = new AttnBlock(channels);
        using var chunked = new AttnBlock(channels, scoreBytes: queriesPerChunk * length * sizeof(float));
        using var noGrad = no_grad();
        chunked.load_state_dict(whole.state_dict());
        using var input = randn(2, channels, height, width, generator: new Generator(5));
        using var expected = whole.call(input);
        using var actual = chunked.call(input);
        // Each query's scores, softmax and weighted sum run over all keys either way, but LibTorch may pick another
        // kernel (or blocking) for a short chunk: two float32 evaluations of the same formula.
        double budget = TwoEvaluationsBudget(whole, input, expected);
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
