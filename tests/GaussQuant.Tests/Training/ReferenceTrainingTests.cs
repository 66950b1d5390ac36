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
    private const double LossTolerance = 1e-5;
    private const double WeightTolerance = 1e-5;

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
        double worstLoss = 0;

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
                LossFixtures.AssertClose(reference, logged[property.Name], LossTolerance, $"step {step} {property.Name}");
                worstLoss = Math.Max(worstLoss, LossFixtures.ScaledError(reference, logged[property.Name]));
            }
            Assert.Equal(expected.EnumerateObject().Count(p => p.Value.ValueKind == JsonValueKind.Number) - 2, logged.Count);
        }

        double worstWeight = 0;
        var final = SafetensorsFile.Read(LossFixtures.Path($"training_{scenario}_final.safetensors"));
        var actual = autoencoder.state_dict().ToDictionary(p => "autoencoder." + p.Key, p => p.Value)
            .Concat(loss.state_dict().ToDictionary(p => "loss." + p.Key, p => p.Value))
            .ToDictionary();
        Assert.Equal(final.Keys.Order(), actual.Keys.Order());
        foreach (var (name, expected) in final)
        {
            double error = (actual[name].to(float64) - expected.to(float64)).abs().max().item<double>();
            Assert.True(error <= WeightTolerance, $"{name}: max |Δ| {error:E2}");
            worstWeight = Math.Max(worstWeight, error);
        }
        output.WriteLine($"{scenario}: worst scaled loss error {worstLoss:E2}, worst absolute weight error {worstWeight:E2}");
    }

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
