using GaussQuant.Checkpoints;
using GaussQuant.Models;
using GaussQuant.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using GaussQuant.Experiments;

namespace GaussQuant.Tests.Parity;

/// <summary>
/// The baseline regularizers of the authors' zoo (VQ, FSQ, LFQ, BSQ, Gaussian KL) in a small UNet loaded from a
/// Lightning-style .ckpt through <see cref="TokenizerModel.Load"/>, against the PyTorch oracle written from the spec
/// (tests/fixtures/zoo, tools/fixtures/make_zoo_fixtures.py, reference_quantizers.py): tokens equal wherever the
/// reference's decision margin is at least <see cref="TieMargin"/>, latents and reconstructions within the network's
/// float32 budget (<see cref="TensorAssert.WithinNetworkBudget"/>), and three SGD steps of the training loss (loss
/// values and gradients) through <see cref="AutoencoderLoss"/>.
/// </summary>
public class QuantizerZooParityTests(ITestOutputHelper output)
{
    /// <summary>Below this margin (in what the decision compares) two float32 evaluations may pick different tokens.</summary>
    private const double TieMargin = 1e-4;

    private const double LearningRate = 1e-5;

    public static TheoryData<string> TokenKinds => new() { "vq", "fsq", "lfq", "bsq" };

    private static string Fixture(params string[] parts) => TestPaths.Fixture(["zoo", .. parts]);

    private sealed class Reference(string kind) : IDisposable
    {
        public TokenizerModel Model { get; } = TokenizerModel.Load(Fixture(kind, "config.yaml"), Fixture(kind, "model.ckpt"));

        public DisposableTensors Expected { get; } = new(SafetensorsFile.Read(Fixture(kind, "expected.safetensors")));

        public Tensor Inputs { get; } = SafetensorsFile.Read(Fixture("inputs.safetensors"))["images"];

        public void Dispose()
        {
            Model.Dispose();
            Expected.Dispose();
            Inputs.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(TokenKinds))]
    public void TokensAreThoseOfPyTorchExceptNearTies(string kind)
    {
        using var reference = new Reference(kind);
        var (model, expected) = (reference.Model.Model, reference.Expected);
        using var latent = model.Quantize(reference.Inputs);
        var expectedIndices = expected["indices"];
        Assert.Equal(expectedIndices.shape, latent.Indices.shape);
        using var differ = expectedIndices.ne(latent.Indices);
        using var decided = expected["margin"].ge(TieMargin);
        long ties = expected["margin"].lt(TieMargin).sum().item<long>();
        long flipped = differ.logical_and(decided.logical_not()).sum().item<long>();
        output.WriteLine($"{kind}: {expectedIndices.numel()} tokens, {ties} within {TieMargin} of a tie, {flipped} of those differ");
        Assert.Equal(0, differ.logical_and(decided).sum().item<long>());
        using var dequantized = model.Quantizer.Dequantize(latent.Indices);
        Assert.True(dequantized.equal(latent.Quantized).all().item<bool>(), $"{kind}: Dequantize(tokens) is not the quantized latent");
    }

    [Theory]
    [MemberData(nameof(TokenKinds))]
    public void LatentsAndReconstructionsMatchPyTorch(string kind)
    {
        using var reference = new Reference(kind);
        var (model, expected) = (reference.Model.Model, reference.Expected);
        using var continuous = model.EncodeContinuous(reference.Inputs.narrow(0, 0, 1));
        TensorAssert.WithinNetworkBudget(expected["continuous"], continuous.Mean, model, $"{kind} continuous latent", output);
        // From the reference's tokens, so that a near-tie decided the other way cannot move a reconstruction.
        using var vq = model.DecodeTokens(expected["indices"]);
        TensorAssert.WithinNetworkBudget(expected["vq"], vq, model, $"{kind} reconstruction of its tokens", output);
        using var given = model.DecodeTokens(expected["given_indices"]);
        TensorAssert.WithinNetworkBudget(expected["given_decoded"], given, model, $"{kind} decoded given tokens", output);
    }

    [Theory]
    [MemberData(nameof(TokenKinds))]
    public void TrainingStepsMatchPyTorch(string kind)
    {
        using var reference = new Reference(kind);
        var (tokenizer, expected) = (reference.Model, reference.Expected);
        var model = tokenizer.Model;
        using var objective = new AutoencoderLoss(tokenizer.Config.Model.Loss!);
        model.train();
        objective.train();
        using var crop = reference.Inputs.narrow(0, 0, 1).narrow(2, 0, 32).narrow(3, 0, 32);
        var parameters = model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter);
        using var optimizer = optim.SGD(model.parameters(), LearningRate);
        double relative = RelativeBudget(model);
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            double entropyBudget = EntropyBudget(model, crop);
            using var pass = model.Quantizer.TrainingPass(model.Encoder.call(crop));
            var loss = objective.ComputeGeneratorLoss(crop, model.Decode(pass.Latent), pass.Losses, 0, model.Decoder.LastLayerWeight);
            AssertLoss(expected[$"step{step}.total"], loss.TotalValue, relative, $"{kind} step {step} total");
            AssertLoss(expected[$"step{step}.rec"], loss.Nll, relative, $"{kind} step {step} reconstruction");
            foreach (var (name, value) in loss.Regularization)
                AssertLoss(expected[$"step{step}.{name}"], value,
                    name == EntropyTerm ? entropyBudget / Math.Abs(expected[$"step{step}.{name}"].item<float>()) : relative, $"{kind} step {step} {name}");
            loss.Total.backward();
            if (step == 0)
                foreach (string name in new[] { "encoder.conv_out.weight", "decoder.conv_in.weight", "regularization.embedding.weight" })
                    if (expected.Contains($"step0.grad.{name}"))
                        TensorAssert.WithinNetworkBudget(expected[$"step0.grad.{name}"], parameters[name].grad!, model, $"{kind} gradient of {name}", output);
            optimizer.step();
        }
    }

    [Fact]
    public void VqTokensAreNotDecodedWithAnotherCodebookOfTheSameShape()
    {
        using var reference = new Reference("vq");
        using var folder = new GaussQuant.Tests.Pipelines.TemporaryFolder();
        var tokenize = GaussQuant.Pipelines.TokenizePipeline.Run(reference.Model, new GaussQuant.Pipelines.TokenizeOptions
        {
            Images = new GaussQuant.Pipelines.ImageInputOptions { Inputs = [Fixture("cifar10.png")] }, OutputPath = folder["tokens.npy"],
        });
        Assert.Equal(64, tokenize.Manifest.Quantizer!.Parameters["codebook_sha256"].Length);
        using (no_grad())
            reference.Model.Model.get_parameter("regularization.embedding.weight")!.mul_(0.5);
        var error = Assert.Throws<InvalidDataException>(() => GaussQuant.Pipelines.DetokenizePipeline.Run(reference.Model.Model,
            new GaussQuant.Pipelines.DetokenizeOptions { TokensPath = folder["tokens.npy"], OutputFolder = folder["out"] }));
        Assert.Contains("made by a vq", error.Message);
        Assert.False(Directory.Exists(folder["out"]));
    }

    [Fact]
    public void TheGaussianRegularizerGivesPyTorchsMeanReconstructionAndKl()
    {
        using var reference = new Reference("gaussian_kl");
        var (model, expected) = (reference.Model.Model, reference.Expected);
        using var continuous = model.EncodeContinuous(reference.Inputs);
        TensorAssert.WithinNetworkBudget(expected["mean"], continuous.Mean, model, "posterior mean", output);
        using var reconstruction = model.Reconstruct(reference.Inputs, ReconstructionMode.Mean);
        TensorAssert.WithinNetworkBudget(expected["mean_reconstruction"], reconstruction, model, "mean reconstruction", output);
        using (no_grad())
        using (var pass = model.Quantizer.TrainingPass(model.EncodeMoments(reference.Inputs)))
            AssertLoss(expected["kl"], pass.Losses["kl"].item<float>(), 2 * RelativeBudget(model), "KL");
        Assert.Contains("makes no tokens", Assert.Throws<NotSupportedException>(() => model.Quantize(reference.Inputs)).Message);
        using var tokens = zeros([1, 1, 32, 32], ScalarType.Int64);
        Assert.Contains("makes no tokens", Assert.Throws<NotSupportedException>(() => model.DecodeTokens(tokens)).Message);
    }

    /// <summary>
    /// The network's relative budget (√2·λ·√(Σ fan-in)·u, as <see cref="TensorAssert.WithinNetworkBudget"/>): the
    /// reconstruction sum Σ|x − x̂| and the mean squares of VQ and LFQ are sums of non-negative terms, each within twice
    /// that of its value (a square doubles a relative error), so the sum is too.
    /// </summary>
    private static double RelativeBudget(nn.Module model) =>
        2 * Float32ErrorBound.TwoEvaluations(TensorAssert.SummedTerms(model));

    private const string EntropyTerm = "entropy_aux_loss";

    /// <summary>
    /// How far two float32 evaluations of LFQ's or BSQ's entropy term may be apart at these weights (NaN for other kinds:
    /// unused). The term is a smooth function E(x) of the encoder's output x, so to first order (as the network budget
    /// itself) |ΔE| ≤ Σₑ |∂E/∂xₑ|·|Δxₑ|, with ∂E/∂x taken by autograd through our own quantizer at this point. Each
    /// |Δxₑ| is at most the encoder's budget (<see cref="Float32ErrorBound.TwoEvaluations"/> of its summed terms) times
    /// max |x|, plus the rounding of the sums the code logits are made of (c channels per distribution at most,
    /// counted as a relative error of x). The entropies' own sums are added: N distributions of K codes, −Σ p·log(p + 1e-5)
    /// each at most ln K, so the mean entropy and the mean distribution's entropy are within TwoEvaluations(N·K)·2·ln K.
    /// Confident codes (τ = 0.01 makes most of them so) barely move their entropies, so this is far below the worst case
    /// ln 1e5 · 2d·max|x|/τ per unit of relative error that held before.
    /// </summary>
    private static double EntropyBudget(Autoencoder model, Tensor images)
    {
        var (codes, distributionsPerPosition) = model.Quantizer switch
        {
            GaussQuant.Quantization.Lfq.LfqQuantizer lfq => ((long)lfq.Options.CodebookSize, lfq.Options.CodebookCount),
            GaussQuant.Quantization.Bsq.BsqQuantizer bsq => (2L, bsq.Options.Bits),
            _ => (0L, 0),
        };
        if (codes == 0) return double.NaN;
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var latent = model.Encoder.call(images).detach().requires_grad_();
        using var pass = model.Quantizer.TrainingPass(latent);
        var gradient = autograd.grad([pass.Losses[EntropyTerm]], [latent])[0];
        long channels = model.Quantizer.LatentChannels;
        double latentError = (Float32ErrorBound.TwoEvaluations(TensorAssert.SummedTerms(model.Encoder)) + Float32ErrorBound.TwoEvaluations(channels))
            * latent.abs().max().item<float>();
        long distributions = latent.shape[0] * latent.shape[2] * latent.shape[3] * distributionsPerPosition;
        return gradient.abs().sum().item<float>() * latentError + Float32ErrorBound.TwoEvaluations(distributions * codes) * 2 * Math.Log(codes);
    }

    private void AssertLoss(Tensor expected, double actual, double relative, string what)
    {
        double value = expected.item<float>();
        double tolerance = relative * Math.Abs(value);
        output.WriteLine($"{what}: {actual:R} vs {value:R} (|Δ| {Math.Abs(actual - value):E2}, budget {tolerance:E2})");
        Assert.True(Math.Abs(actual - value) <= tolerance, $"{what}: {actual} differs from PyTorch's {value} by more than {tolerance:E2}");
    }
}
