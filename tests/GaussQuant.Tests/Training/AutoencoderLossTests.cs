using GaussQuant.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Training;

public class AutoencoderLossTests
{
    private static readonly NLayerDiscriminatorOptions TinyDiscriminator = new() { BaseChannels = 4, LayerCount = 2, UseActNorm = true };

    private static AutoencoderLossOptions Options(long start = 10) => new()
    {
        DiscriminatorStart = start,
        PerceptualWeight = 0.5,
        DiscriminatorWeight = 0.75,
        LearnLogVariance = true,
        LogVarianceInit = 0.3,
        RegularizationWeights = new Dictionary<string, double> { ["kl_loss"] = 0.1 },
        Discriminator = TinyDiscriminator,
    };

    private static (Tensor Images, Tensor Reconstructions) ImagePair(int seed)
    {
        var generator = new Generator((ulong)seed);
        return (rand(2, 3, 16, 16, generator: generator) * 2 - 1, rand(2, 3, 16, 16, generator: generator) * 2 - 1);
    }

    [Fact]
    public void BeforeTheStartTheGeneratorLossIsTheNllPlusTheWeightedRegularization()
    {
        using var scope = NewDisposeScope();
        using var loss = new AutoencoderLoss(Options(), new MeanSquaredDistance());
        loss.train();
        var (images, reconstructions) = ImagePair(1);
        var kl = tensor(2.5f);

        var result = loss.ComputeGeneratorLoss(images, reconstructions, new Dictionary<string, Tensor> { ["kl_loss"] = kl }, 9, zeros(1));

        // The formula of GQ_SPEC §4.3 evaluated in double precision, element by element.
        var x = images.data<float>().ToArray();
        var y = reconstructions.data<float>().ToArray();
        int perImage = x.Length / 2;
        double logvar = 0.3f, nllSum = 0, recSum = 0;
        for (int b = 0; b < 2; b++)
        {
            double distance = Enumerable.Range(b * perImage, perImage).Average(i => ((double)x[i] - y[i]) * ((double)x[i] - y[i]));
            for (int i = b * perImage; i < (b + 1) * perImage; i++)
            {
                double rec = Math.Abs((double)x[i] - y[i]) + 0.5 * distance;
                recSum += rec;
                nllSum += rec / Math.Exp(logvar) + logvar;
            }
        }
        // float32 sums of x.Length terms of one sign against float64: λ·√n·u relative (Float32ErrorBound).
        double budget = Float32ErrorBound.OneEvaluation(x.Length);
        LossFixtures.AssertClose(nllSum / 2, result.Nll, budget, "nll");
        LossFixtures.AssertClose(nllSum / 2 + 0.1 * 2.5, result.TotalValue, budget, "total");
        LossFixtures.AssertClose(recSum / x.Length, result.Reconstruction, budget, "rec");
        Assert.Equal(result.TotalValue, result.Total.item<float>());
        Assert.Equal((0.0, 0.0), (result.Generator, result.AdaptiveWeight));
        Assert.Equal(0.3f, (float)result.LogVariance);
        Assert.Equal(2.5, result.Regularization["kl_loss"]);
        // The adversarial part is skipped entirely: the discriminator never ran.
        Assert.All(loss.Discriminator.modules().OfType<ActNorm>(), norm => Assert.False(norm.IsInitialized));
    }

    [Fact]
    public void TheTotalBackPropagatesIntoTheLogVarianceAndTheReconstructions()
    {
        using var scope = NewDisposeScope();
        using var loss = new AutoencoderLoss(Options(), new MeanSquaredDistance());
        var (images, target) = ImagePair(2);
        var reconstructions = target.clone().requires_grad_(true);
        var result = loss.ComputeGeneratorLoss(images, reconstructions, new Dictionary<string, Tensor> { ["kl_loss"] = tensor(0f) }, 0, zeros(1));
        result.Total.backward();
        Assert.NotNull(reconstructions.grad);
        Assert.NotNull(loss.AutoencoderParameters().Single().grad);
    }

    [Fact]
    public void AfterTheStartTheAdversarialTermIsAddedWithTheAdaptiveWeight()
    {
        using var scope = NewDisposeScope();
        using var loss = new AutoencoderLoss(Options(start: 5), new MeanSquaredDistance());
        loss.train();
        var (images, latents) = ImagePair(3);
        var lastLayer = new Parameter(randn(3, 3, 1, 1, generator: new Generator(4)) * 0.5);
        var reconstructions = nn.functional.conv2d(latents, lastLayer);
        var regularization = new Dictionary<string, Tensor> { ["kl_loss"] = tensor(1f) };

        var result = loss.ComputeGeneratorLoss(images, reconstructions, regularization, 5, lastLayer);

        Assert.True(result.AdaptiveWeight > 0);
        Assert.NotEqual(0.0, result.Generator);
        LossFixtures.AssertClose(result.Nll + result.AdaptiveWeight * result.Generator + 0.1, result.TotalValue, 1e-6, "total");
    }

    [Fact]
    public void InEvalModeTheAdversarialTermIsAlwaysOnWithWeightOne()
    {
        using var scope = NewDisposeScope();
        using var loss = new AutoencoderLoss(Options(start: 1000), new MeanSquaredDistance());
        var (images, reconstructions) = ImagePair(5);
        loss.eval();
        using var noGrad = no_grad();
        var result = loss.ComputeGeneratorLoss(images, reconstructions, new Dictionary<string, Tensor> { ["kl_loss"] = tensor(0f) }, 0, zeros(1));
        Assert.Equal(1.0, result.AdaptiveWeight);
        Assert.Equal(-loss.Discriminator.forward(reconstructions).mean().item<float>(), (float)result.Generator);
    }

    [Theory]
    [InlineData(DiscriminatorLossKind.Hinge, 0.25, 1.0)]
    [InlineData(DiscriminatorLossKind.Hinge, 1.5, 1.25)]
    [InlineData(DiscriminatorLossKind.Vanilla, 0.25, 0.70093942)]
    public void DiscriminatorLossesFollowTheirFormulas(DiscriminatorLossKind kind, float logit, double expected)
    {
        // Zero weights make every logit the last bias, so both losses can be evaluated by hand:
        // hinge ½(relu(1 − c) + relu(1 + c)), vanilla ½(softplus(−c) + softplus(c)); the factor 0.5 halves them.
        using var scope = NewDisposeScope();
        using var loss = new AutoencoderLoss(Options(start: 0) with { DiscriminatorLoss = kind, DiscriminatorFactor = 0.5 }, new MeanSquaredDistance());
        var convolutions = loss.Discriminator.modules().OfType<Conv2d>().ToList();
        using (no_grad())
        {
            foreach (var convolution in convolutions)
            {
                convolution.weight!.zero_();
                convolution.bias!.zero_();
            }
            convolutions[^1].bias!.fill_(logit);
        }
        loss.train();
        var (images, reconstructions) = ImagePair(6);

        var result = loss.ComputeDiscriminatorLoss(images, reconstructions, 0);

        Assert.Equal(logit, (float)result.LogitsReal);
        Assert.Equal(logit, (float)result.LogitsFake);
        LossFixtures.AssertClose(0.5 * expected, result.Loss, 1e-6, "disc");
    }

    [Fact]
    public void BeforeTheStartTheDiscriminatorRunsButItsLossIsAConstantZero()
    {
        using var scope = NewDisposeScope();
        using var loss = new AutoencoderLoss(Options(start: 3), new MeanSquaredDistance());
        loss.train();
        var (images, reconstructions) = ImagePair(7);

        var result = loss.ComputeDiscriminatorLoss(images, reconstructions, 2);
        result.Total.backward();

        Assert.Equal(0.0, result.Loss);
        Assert.NotEqual(0.0, result.LogitsReal);
        Assert.All(loss.DiscriminatorParameters(), parameter => Assert.Null(parameter.grad));
        // ActNorm took its statistics from this first training-mode forward, on the real batch.
        Assert.All(loss.Discriminator.modules().OfType<ActNorm>(), norm => Assert.True(norm.IsInitialized));
    }

    [Fact]
    public void ItsStateIsTheLogVarianceAndTheDiscriminator()
    {
        using var learned = new AutoencoderLoss(Options(), new MeanSquaredDistance());
        var state = learned.state_dict();
        Assert.Empty(state["logvar"].shape);
        Assert.All(state.Keys.Where(key => key != "logvar"), key => Assert.StartsWith("discriminator.main.", key));
        Assert.True(learned.AutoencoderParameters().Single().requires_grad);

        using var fixedVariance = new AutoencoderLoss(Options() with { LearnLogVariance = false }, new MeanSquaredDistance());
        Assert.Empty(fixedVariance.AutoencoderParameters());
        Assert.False(fixedVariance.parameters().First().requires_grad);
        Assert.Equal(0.3f, fixedVariance.state_dict()["logvar"].item<float>());
    }

    [Fact]
    public void RejectsInputsItCannotUse()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new AutoencoderLoss(Options()));
        using var loss = new AutoencoderLoss(Options(start: 0), new MeanSquaredDistance());
        var (images, reconstructions) = ImagePair(8);
        var kl = new Dictionary<string, Tensor> { ["kl_loss"] = tensor(0f) };

        var missing = Assert.Throws<ArgumentException>(() =>
            loss.ComputeGeneratorLoss(images, reconstructions, new Dictionary<string, Tensor> { ["bits"] = tensor(0f) }, 0, zeros(1)));
        Assert.Contains("kl_loss", missing.Message);
        Assert.Throws<ArgumentException>(() => loss.ComputeGeneratorLoss(images, reconstructions[.., ..2], kl, 0, zeros(1)));
        Assert.Throws<ArgumentException>(() => loss.ComputeDiscriminatorLoss(images[0], reconstructions[0], 0));
        Assert.Throws<ArgumentException>(() => loss.ComputeGeneratorLoss(images, reconstructions, kl, 0, zeros(1)));

        using var wrongShape = new AutoencoderLoss(Options(), new WrongShapeDistance());
        Assert.Throws<InvalidOperationException>(() => wrongShape.ComputeGeneratorLoss(images, reconstructions, kl, 0, zeros(1)));
    }

    private sealed class WrongShapeDistance : IPerceptualDistance
    {
        public Tensor Distance(Tensor images, Tensor reconstructions) => (images - reconstructions).abs().mean([1]);
    }
}
