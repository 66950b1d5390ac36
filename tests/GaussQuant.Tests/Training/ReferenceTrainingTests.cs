using System.Text.Json;
using GaussQuant.Checkpoints;
using GaussQuant.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

/// <summary>
/// Replays the scripted runs of make_loss_fixtures.py (tiny autoencoder, tiny ActNorm PatchGAN, alternating Adam)
/// and compares every logged value and the final weights with the PyTorch reference.
/// </summary>
public class ReferenceTrainingTests(ITestOutputHelper output)
{
    /// <summary>
    /// The number of terms that the longest chain of float32 sums of one training step adds up. Forward: the
    /// autoencoder's convolutions (fan-in 27 + 72 + 36 + 72), the discriminator's (48 + 64 + 128), ActNorm's batch
    /// statistics (≤ 128 terms) and the loss means over 2·3·16·16 = 1,536 pixels; backward: the transposed convolutions
    /// (≤ 4× the fan-ins at stride 2: 1,788) and the weight gradients, each a sum over ≤ 2·16·16 = 512 positions in
    /// 7 layers (3,584).
    /// </summary>
    private const long TermsPerStep = 7_300;

    [Theory]
    [InlineData("hinge")]
    [InlineData("vanilla")]
    public void AlternatingStepsMatchTheReferenceRun(string scenario)
    {
        using var scope = NewDisposeScope();
        using var json = JsonDocument.Parse(File.ReadAllText(LossFixtures.Path($"training_{scenario}.json")));
        var options = json.RootElement.GetProperty("options");
        var lossOptions = ParseLossOptions(options.GetProperty("loss"));

        using var autoencoder = new TinyAutoencoder();
        LossFixtures.LoadStrict(autoencoder, LossFixtures.ReadWithPrefix("training_initial.safetensors", "autoencoder."));
        using var loss = new AutoencoderLoss(lossOptions, lossOptions.PerceptualWeight > 0 ? new MeanSquaredDistance() : null);
        LossFixtures.LoadStrict(loss.Discriminator, LossFixtures.ReadWithPrefix("training_initial.safetensors", "loss.discriminator."));
        var batches = LossFixtures.ReadWithPrefix("training_initial.safetensors", "batch.");
        autoencoder.train();
        loss.train();

        var alternation = new OptimizerAlternation(options.GetProperty("disc_start_iter").GetInt64());
        using var optimizers = new AdversarialOptimizers(loss.AutoencoderParameters().Concat(autoencoder.parameters()),
            loss.DiscriminatorParameters(), options.GetProperty("learning_rate").GetDouble(), options.GetProperty("lr_g_factor").GetDouble());
        long epochLength = options.GetProperty("epoch_length").GetInt64();
        var initial = StateOf(autoencoder, loss).ToDictionary(entry => entry.Key, entry => entry.Value.clone());
        double worstLoss = 0;
        var final = SafetensorsFile.Read(LossFixtures.Path($"training_{scenario}_final.safetensors"));
        double stepBudget = StepBudget(final);

        foreach (var expected in json.RootElement.GetProperty("steps").EnumerateArray())
        {
            long step = expected.GetProperty("global_step").GetInt64();
            long batchIndex = step % epochLength;
            var images = batches[(batchIndex % batches.Count).ToString()];
            var phase = alternation.PhaseFor(batchIndex, step);
            Assert.Equal(expected.GetProperty("phase").GetString(), phase == TrainingPhase.Autoencoder ? "autoencoder" : "discriminator");

            var logged = new Dictionary<string, double>();
            optimizers.Step(phase, () =>
            {
                var latents = autoencoder.Encode(images);
                var reconstructions = autoencoder.Decode(latents);
                if (phase == TrainingPhase.Discriminator)
                {
                    var result = loss.ComputeDiscriminatorLoss(images, reconstructions, step);
                    (logged["disc"], logged["logits_real"], logged["logits_fake"]) = (result.Loss, result.LogitsReal, result.LogitsFake);
                    return result.Total;
                }
                var regularization = new Dictionary<string, Tensor> { ["kl_loss"] = TinyAutoencoder.LatentPenalty(latents) };
                var losses = loss.ComputeGeneratorLoss(images, reconstructions, regularization, step, autoencoder.LastLayerWeight);
                (logged["total"], logged["nll"], logged["rec"], logged["g"], logged["d_weight"], logged["logvar"], logged["kl_loss"]) =
                    (losses.TotalValue, losses.Nll, losses.Reconstruction, losses.Generator, losses.AdaptiveWeight,
                     losses.LogVariance, losses.Regularization["kl_loss"]);
                return losses.Total;
            });

            foreach (var property in expected.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number && logged.ContainsKey(p.Name)))
            {
                double reference = property.Value.GetDouble();
                // A logged value of step t comes from weights that t earlier steps moved: the budget grows with t.
                LossFixtures.AssertClose(reference, logged[property.Name], stepBudget * (step + 1), $"step {step} {property.Name}");
                worstLoss = Math.Max(worstLoss, LossFixtures.ScaledError(reference, logged[property.Name]));
            }
            Assert.Equal(expected.EnumerateObject().Count(p => p.Value.ValueKind == JsonValueKind.Number) - 2, logged.Count);
        }

        // Weights are compared by how far each tensor travelled: after k steps its error is within k·ρ of the
        // largest change of an element (at least one step of the learning rate, for tensors that barely moved). Adam
        // divides each gradient by its own running RMS, so a relative gradient error passes into the step at the same
        // relative size; ActNorm's loc and scale travel from 0 and 1 to the first batch's statistics (a forward
        // pass, also within ρ). This assumes no gradient component sits within its own rounding error of zero, where
        // Adam's first step would turn noise into a full ±lr step.
        double worstWeight = 0;
        long stepCount = json.RootElement.GetProperty("steps").GetArrayLength();
        double learningRate = options.GetProperty("learning_rate").GetDouble();
        var actual = StateOf(autoencoder, loss);
        Assert.Equal(final.Keys.Order(), actual.Keys.Order());
        foreach (var (name, expected) in final)
        {
            if (!expected.is_floating_point())
            {
                Assert.True(actual[name].equal(expected).item<bool>(), name);
                continue;
            }
            double travelled = Math.Max((expected.to(float64) - initial[name].to(float64)).abs().max().item<double>(), learningRate);
            double error = (actual[name].to(float64) - expected.to(float64)).abs().max().item<double>() / travelled;
            Assert.True(error <= stepCount * stepBudget,
                $"{name}: max |Δ| is {error:E2} of the largest change, above {stepCount} steps × ρ = {stepCount * stepBudget:E2}");
            worstWeight = Math.Max(worstWeight, error);
        }
        output.WriteLine($"{scenario}: ρ = {stepBudget:E2}, worst scaled loss error {worstLoss:E2}, worst weight error {worstWeight:E2} of the change");
    }

    /// <summary>
    /// ρ, the relative error budget of one training step in float32 on any CPU: λ·√n·u for the step's sums (the
    /// probabilistic budget of <see cref="Float32ErrorBound"/>), times the conditioning κ of the discriminator's ActNorm
    /// layers. ActNorm subtracts the batch mean μ and divides by σ, so an error relative to its input, |x| ≈ |μ|, comes
    /// out κ = 1 + |μ|/σ = 1 + |loc|·scale times larger relative to its output; loc and scale are read from the
    /// reference's weights. Far above what a run shows, far below what a wrong formula gives.
    /// </summary>
    private static double StepBudget(Dictionary<string, Tensor> reference)
    {
        double conditioning = 1;
        foreach (var (name, loc) in reference.Where(entry => entry.Key.EndsWith(".loc", StringComparison.Ordinal)))
        {
            var scale = reference[name[..^".loc".Length] + ".scale"];
            conditioning = Math.Max(conditioning, 1 + (loc.to(float64).abs() * scale.to(float64).abs()).max().item<double>());
        }
        return Float32ErrorBound.OneEvaluation(TermsPerStep) * conditioning;
    }

    private static Dictionary<string, Tensor> StateOf(TinyAutoencoder autoencoder, AutoencoderLoss loss) =>
        autoencoder.state_dict().ToDictionary(p => "autoencoder." + p.Key, p => p.Value)
            .Concat(loss.state_dict().ToDictionary(p => "loss." + p.Key, p => p.Value))
            .ToDictionary();

    private static AutoencoderLossOptions ParseLossOptions(JsonElement loss) => new()
    {
        DiscriminatorStart = loss.GetProperty("disc_start").GetInt64(),
        PerceptualWeight = loss.GetProperty("perceptual_weight").GetDouble(),
        DiscriminatorWeight = loss.GetProperty("disc_weight").GetDouble(),
        DiscriminatorFactor = loss.GetProperty("disc_factor").GetDouble(),
        DiscriminatorLoss = loss.GetProperty("disc_loss").GetString() == "hinge" ? DiscriminatorLossKind.Hinge : DiscriminatorLossKind.Vanilla,
        LearnLogVariance = loss.GetProperty("learn_logvar").GetBoolean(),
        LogVarianceInit = loss.GetProperty("logvar_init").GetDouble(),
        RegularizationWeights = loss.GetProperty("regularization_weights").EnumerateObject()
            .ToDictionary(weight => weight.Name, weight => weight.Value.GetDouble()),
        Discriminator = new() { BaseChannels = 4, LayerCount = 2, UseActNorm = true },
    };
}
