using GaussQuant.Quantization;

namespace GaussQuant.Training;

/// <summary>Something a training run reports while it works; the CLI renders these, the library never prints.</summary>
public abstract record TrainingEvent;

/// <summary>The run is set up: what it trains, on how many images, from which step.</summary>
public sealed record TrainingStarted(long FirstStep, long MaxSteps, int TrainingImages, long Parameters, string RunDirectory) : TrainingEvent;

/// <summary>An unreadable training image was left out (the run goes on).</summary>
public sealed record TrainingImageSkipped(string File, string Reason, int SkippedSoFar) : TrainingEvent;

/// <summary>The values of one logged step.</summary>
public sealed record TrainingStepLogged(TrainingStepMetrics Metrics) : TrainingEvent;

public sealed record CheckpointWritten(long Step, string WeightsPath) : TrainingEvent;

/// <summary>A grid of inputs | VQ reconstructions | mean reconstructions, and codebook usage over the recent tokens.</summary>
public sealed record SamplesWritten(long Step, string GridPath, double CodebookUsage, double TokenEntropyBits, long WindowTokens) : TrainingEvent;

/// <summary>The values logged for one optimisation step.</summary>
public sealed record TrainingStepMetrics
{
    public required long Step { get; init; }
    public required long Epoch { get; init; }
    public required TrainingPhase Phase { get; init; }
    public required double ImagesPerSecond { get; init; }

    /// <summary>The optimised objective of this step's phase.</summary>
    public required double Loss { get; init; }
    public double Nll { get; init; }
    public double Reconstruction { get; init; }
    /// <summary>The regularizer's KL term (Gaussian Quant's <c>kl_loss</c>, a Gaussian VAE's <c>kl</c>); 0 for the other kinds.</summary>
    public double KlLoss { get; init; }

    /// <summary>Every loss term the regularizer reported, by name, before weighting (e.g. <c>codebook_loss</c>, <c>commit_loss</c>).</summary>
    public IReadOnlyDictionary<string, double> RegularizationTerms { get; init; } = new Dictionary<string, double>();
    public required KlStatistics Bits { get; init; }
    public required AdaptiveKlWeights Weights { get; init; }
    public double LogVariance { get; init; }
    public double GeneratorLoss { get; init; }
    public double AdaptiveWeight { get; init; }
    public double DiscriminatorLoss { get; init; }
    public double LogitsReal { get; init; }
    public double LogitsFake { get; init; }

    /// <summary>The VF-alignment loss, its terms and weight; null in discriminator steps and without alignment.</summary>
    public VfAlignmentValues? Alignment { get; init; }
}
