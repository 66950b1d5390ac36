using GaussQuant.Checkpoints;
using GaussQuant.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Parity;

/// <summary>
/// A small tokenizer of the authors' bsqvit_gq design (ViT encoder → Gaussian Quant with <c>format: blc</c> → ViT
/// decoder, <c>clamp_range: [-1, 1]</c>) loaded from a Lightning-style .ckpt through <see cref="TokenizerModel.Load"/>,
/// against the PyTorch oracle written from the spec (tests/fixtures/vit_gq, tools/fixtures/make_vit_gq_fixtures.py):
/// tokens equal wherever the reference's decision margin is at least <see cref="TieMargin"/>, in the token file's
/// [B, n, h, w] layout; the posterior mean and the reconstructions within the ViT's float32 budget
/// (<see cref="ViTTerms"/>); the clamp where the authors apply it and nowhere else.
/// </summary>
public class ViTGaussianQuantParityTests(ITestOutputHelper output)
{
    /// <summary>
    /// In latent units (how far the mean must move, in max-norm, to flip the decision, to first order). The posterior
    /// mean's own budget here is below 1e-4 (max |μ| ≈ 3 times the encoder's relative budget, about 2.4e-5), so a
    /// token whose margin is larger cannot be decided differently by two float32 evaluations.
    /// </summary>
    private const double TieMargin = 1e-4;

    private static string Fixture(string name) => TestPaths.Fixture("vit_gq", name);

    private sealed class Reference : IDisposable
    {
        public TokenizerModel Model { get; } = TokenizerModel.Load(Fixture("config.yaml"), Fixture("model.ckpt"));

        public DisposableTensors Expected { get; } = new(SafetensorsFile.Read(Fixture("expected.safetensors")));

        public Tensor Inputs { get; } = SafetensorsFile.Read(TestPaths.Fixture("zoo", "inputs.safetensors"))["images"];

        public void Dispose()
        {
            Model.Dispose();
            Expected.Dispose();
            Inputs.Dispose();
        }
    }

    [Fact]
    public void TokensAreThoseOfPyTorchInTheTokenFilesLayoutExceptNearTies()
    {
        using var reference = new Reference();
        var (model, expected) = (reference.Model.Model, reference.Expected);
        using var latent = model.Quantize(reference.Inputs);
        var expectedIndices = expected["indices"];
        Assert.Equal([3L, 2, 8, 8], latent.Indices.shape);
        Assert.Equal(expectedIndices.shape, latent.Indices.shape);
        using var differ = expectedIndices.ne(latent.Indices);
        using var decided = expected["margin"].ge(TieMargin);
        long ties = expected["margin"].lt(TieMargin).sum().item<long>();
        output.WriteLine($"{expectedIndices.numel()} tokens, {ties} within {TieMargin} of a tie, smallest margin {expected["margin"].min().item<float>():E2}");
        Assert.Equal(0, differ.logical_and(decided).sum().item<long>());
        // The quantizer itself keeps the authors' blc layout: [B, L, c] latents.
        Assert.Equal([3L, 64, 16], latent.Quantized.shape);
        TensorAssert.WithinBudgetOf(expected["mean"], latent.Mean, ViTTerms(model.Encoder), "posterior mean (blc)", output);
    }

    [Fact]
    public void ReconstructionsMatchPyTorchAndAreClampedWhereTheAuthorsClamp()
    {
        using var reference = new Reference();
        var (model, expected) = (reference.Model.Model, reference.Expected);
        var unclamped = expected["vq_unclamped"];
        Assert.True(unclamped.abs().gt(1).any().item<bool>(), "the fixture must reach beyond [-1, 1] for the clamp to be tested");
        using var noGrad = no_grad();
        using var latent = model.Quantizer.Dequantize(model.Encoder.Options.TokenGridToIndices(expected["indices"]));

        // decode (eval.py's path): not clamped.
        using var decoded = model.Decode(latent);
        AssertWithinDecoderBudget(unclamped, decoded, model, "decode of the reference's tokens (unclamped)");
        // dequant (gq decode) and forward (gq reconstruct): clamped to clamp_range. A clamp is 1-Lipschitz, so the budget holds.
        using var clampedReference = unclamped.clamp(-1, 1);
        using var dequantized = model.DecodeTokens(expected["indices"]);
        using (var clamped = decoded.clamp(-1, 1))
            Assert.True(dequantized.equal(clamped).all().item<bool>(), "DecodeTokens is not decode clamped to clamp_range");
        AssertWithinDecoderBudget(clampedReference, dequantized, model, "dequant of the reference's tokens (clamped)");
        using var reconstructed = model.Reconstruct(reference.Inputs, ReconstructionMode.Vq);
        Assert.True(reconstructed.abs().max().item<float>() <= 1f);

        using var given = model.DecodeTokens(expected["given_indices"]);
        AssertWithinDecoderBudget(expected["given_decoded"], given, model, "dequant of given tokens");
    }

    [Fact]
    public void AnInputSizeThePositionalEmbeddingCannotTakeIsRefusedNamingTheSizeItTakes()
    {
        using var reference = new Reference();
        using var images = zeros(1, 3, 32, 32);
        var error = Assert.Throws<ArgumentException>(() => reference.Model.Model.Quantize(images));
        Assert.Contains("fits 64x64 images only, got 32x32", error.Message);
    }

    private void AssertWithinDecoderBudget(Tensor expected, Tensor actual, Autoencoder model, string what) =>
        TensorAssert.WithinBudgetOf(expected, actual, ViTTerms(model.Decoder), what, output);

    /// <summary>
    /// The terms a ViT's forward pass sums, for <see cref="TensorAssert.WithinNetworkBudget"/>'s √(Σn)·u budget.
    /// Its linear layers (patch embedding, the blocks' out_proj, c_fc and c_proj, the decoder's ffn and conv_out, the
    /// latent projections) are counted by <see cref="TensorAssert.SummedTerms"/>; every block adds the sums that are not
    /// <c>Linear</c> modules: the fused q/k/v projection (width terms), the scores q·k (width / heads), the softmax's
    /// normaliser and the weighted sum of values (L each), and the mean and variance of its two LayerNorms (width
    /// each); ln_pre and ln_post add two of those. Each is a float32 sum whose rounding errors are independent and
    /// mean-zero as the linear layers' are, and the LayerNorms keep activations of order one between layers as GroupNorm
    /// does in the UNet, so relative errors add in the same way.
    /// </summary>
    private static long ViTTerms(nn.Module backbone)
    {
        var options = backbone switch
        {
            ViTEncoder encoder => encoder.Options,
            ViTDecoder decoder => decoder.Options,
            _ => throw new ArgumentException("a ViT backbone is needed"),
        };
        long perBlock = options.Width + options.Width / options.Heads + 2L * options.Tokens + 2L * 2 * options.Width;
        return TensorAssert.SummedTerms(backbone) + options.Layers * perBlock + 2L * 2 * options.Width;
    }
}
