using GaussQuant.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

public class AdversarialOptimizersTests
{
    /// <summary>A tiny autoencoder, its loss and both optimisers, driven like the trainer will drive them.</summary>
    private sealed class Setup : IDisposable
    {
        private readonly OptimizerAlternation alternation = new();
        private readonly Tensor[] batches;

        public Setup()
        {
            manual_seed(21);
            Autoencoder = new TinyAutoencoder();
            Loss = new AutoencoderLoss(new AutoencoderLossOptions
            {
                DiscriminatorStart = 2,
                PerceptualWeight = 0,
                LearnLogVariance = true,
                RegularizationWeights = new Dictionary<string, double> { ["kl_loss"] = 0.1 },
                Discriminator = new() { BaseChannels = 4, LayerCount = 2, UseActNorm = true },
            });
            Autoencoder.train();
            Loss.train();
            Optimizers = new AdversarialOptimizers(Loss.AutoencoderParameters().Concat(Autoencoder.parameters()), Loss.DiscriminatorParameters(), 1e-3);
            var generator = new Generator(22);
            batches = Enumerable.Range(0, 3).Select(_ => rand(2, 3, 16, 16, generator: generator) * 2 - 1).ToArray();
        }

        public TinyAutoencoder Autoencoder { get; }

        public AutoencoderLoss Loss { get; }

        public AdversarialOptimizers Optimizers { get; }

        public void Train(int fromStep, int count)
        {
            for (int step = fromStep; step < fromStep + count; step++)
            {
                using var scope = NewDisposeScope();
                var images = batches[step % batches.Length];
                var phase = alternation.PhaseFor(step % batches.Length, step);
                Optimizers.Step(phase, () =>
                {
                    var latents = Autoencoder.Encode(images);
                    var reconstructions = Autoencoder.Decode(latents);
                    return phase == TrainingPhase.Autoencoder
                        ? Loss.ComputeGeneratorLoss(images, reconstructions,
                            new Dictionary<string, Tensor> { ["kl_loss"] = TinyAutoencoder.LatentPenalty(latents) }, step, Autoencoder.LastLayerWeight).Total
                        : Loss.ComputeDiscriminatorLoss(images, reconstructions, step).Total;
                });
            }
        }

        public Dictionary<string, Tensor> Weights() =>
            Autoencoder.state_dict().Select(p => ("autoencoder." + p.Key, p.Value))
                .Concat(Loss.state_dict().Select(p => ("loss." + p.Key, p.Value)))
                .ToDictionary(p => p.Item1, p => p.Item2.detach().clone());

        public void Load(Dictionary<string, Tensor> weights)
        {
            LossFixtures.LoadStrict(Autoencoder, Select(weights, "autoencoder."));
            LossFixtures.LoadStrict(Loss, Select(weights, "loss."));
        }

        public void Dispose()
        {
            Optimizers.Dispose();
            Loss.Dispose();
            Autoencoder.Dispose();
        }

        private static Dictionary<string, Tensor> Select(Dictionary<string, Tensor> weights, string prefix) =>
            weights.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value);
    }

    [Fact]
    public void ResumingFromSavedStateContinuesBitExactly()
    {
        using var uninterrupted = new Setup();
        uninterrupted.Train(0, 5);
        var weightsAtStep5 = uninterrupted.Weights();
        using var saved = new MemoryStream();
        uninterrupted.Optimizers.SaveState(saved);
        uninterrupted.Train(5, 5);

        using var resumed = new Setup();
        resumed.Load(weightsAtStep5);
        saved.Position = 0;
        resumed.Optimizers.LoadState(saved, "memory");
        resumed.Train(5, 5);

        var expected = uninterrupted.Weights();
        var actual = resumed.Weights();
        Assert.All(expected, pair => Assert.True(pair.Value.equal(actual[pair.Key]).all().item<bool>(), pair.Key));
        // The run did move the weights, so the comparison above is not trivially true.
        Assert.False(weightsAtStep5["autoencoder.decoder.3.weight"].equal(expected["autoencoder.decoder.3.weight"]).all().item<bool>());
        Assert.False(weightsAtStep5["loss.discriminator.main.0.weight"].equal(expected["loss.discriminator.main.0.weight"]).all().item<bool>());
    }

    [Fact]
    public void AStepLeavesTheOtherOptimizersParametersUntouchedAndRequiringGradients()
    {
        using var setup = new Setup();
        setup.Train(0, 3); // A D A; the adversarial terms start at step 2
        var before = setup.Weights();
        setup.Train(3, 1); // A (index 0 of a new epoch)
        var after = setup.Weights();

        foreach (var parameter in setup.Loss.DiscriminatorParameters())
        {
            Assert.Null(parameter.grad);
            Assert.True(parameter.requires_grad);
        }
        Assert.All(after.Where(p => p.Key.StartsWith("loss.discriminator.", StringComparison.Ordinal)),
            pair => Assert.True(pair.Value.equal(before[pair.Key]).all().item<bool>(), pair.Key));

        setup.Train(4, 1); // D
        var afterDiscriminator = setup.Weights();
        Assert.All(afterDiscriminator.Where(p => p.Key.StartsWith("autoencoder.", StringComparison.Ordinal)),
            pair => Assert.True(pair.Value.equal(after[pair.Key]).all().item<bool>(), pair.Key));
        Assert.False(afterDiscriminator["loss.discriminator.main.0.weight"].equal(after["loss.discriminator.main.0.weight"]).all().item<bool>());
        Assert.All(setup.Autoencoder.parameters(), parameter => Assert.True(parameter.requires_grad));
    }

    [Fact]
    public void AParameterThatGetsNoGradientIsNotMovedByMomentum()
    {
        // PyTorch resets gradients to None and Adam skips such parameters; TorchSharp's own zero_grad would zero
        // them instead, and Adam would keep moving the parameter with its momentum.
        using var scope = NewDisposeScope();
        var used = new Parameter(ones(3));
        var unused = new Parameter(ones(3));
        var critic = new Parameter(ones(1));
        using var optimizers = new AdversarialOptimizers([used, unused], [critic], 0.1);
        optimizers.Step(TrainingPhase.Autoencoder, () => (used * unused).sum());
        var afterFirst = unused.detach().clone();
        optimizers.Step(TrainingPhase.Autoencoder, () => used.sum());
        Assert.True(unused.equal(afterFirst).all().item<bool>());
        Assert.NotEqual(1f, used[0].item<float>());
    }

    [Fact]
    public void LearningRatesFollowTheReference()
    {
        using var scope = NewDisposeScope();
        using var optimizers = new AdversarialOptimizers([new Parameter(ones(1))], [new Parameter(ones(1))], 1e-4, 2.0);
        Assert.Equal(2e-4, optimizers.AutoencoderLearningRate);
        Assert.Equal(1e-4, optimizers.DiscriminatorLearningRate);
    }

    [Fact]
    public void RejectsSharedParametersAndForeignState()
    {
        using var scope = NewDisposeScope();
        var shared = new Parameter(ones(1));
        Assert.Throws<ArgumentException>(() => new AdversarialOptimizers([shared], [shared], 1e-4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdversarialOptimizers([new Parameter(ones(1))], [shared], 0));

        using var optimizers = new AdversarialOptimizers([new Parameter(ones(2))], [shared], 1e-4);
        Assert.Throws<InvalidDataException>(() => optimizers.LoadState(new MemoryStream(new byte[64]), "zeros.bin"));

        using var other = new AdversarialOptimizers([new Parameter(ones(3))], [new Parameter(ones(1))], 1e-4);
        using var state = new MemoryStream();
        other.SaveState(state);
        state.Position = 0;
        var mismatch = Assert.Throws<InvalidDataException>(() => optimizers.LoadState(state, "other.bin"));
        Assert.Contains("other.bin", mismatch.Message);
        using var truncated = new MemoryStream(state.ToArray()[..20]);
        Assert.Throws<InvalidDataException>(() => optimizers.LoadState(truncated, "truncated.bin"));
    }
}
