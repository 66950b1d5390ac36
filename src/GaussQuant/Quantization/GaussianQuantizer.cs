using GaussQuant.Distributed;
using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// Gaussian Quant: the regularizer of a Gaussian VAE that becomes a vector quantizer without further training.
/// <para>
/// Training (<see cref="TrainingStep"/>): a reparameterised sample μ + σ·ε goes to the decoder, and the KL divergence
/// of every codebook group, in bits, is pushed towards log2 K by a loss with adaptive weights (<see cref="AdaptiveKlWeights"/>).
/// Inference (<see cref="Quantize"/>): every group takes the entry of a fixed quasi-random N(0, I) codebook with the
/// largest q(z|x)/p(z)^β; its index is the token. <see cref="Dequantize"/> maps tokens back to the quantized latent.
/// </para>
/// Input is the encoder's moments: mean and log-variance concatenated on the channel axis (2c channels).
/// The module has no parameters; the codebook is regenerated from its seed, as in the reference.
/// </summary>
public sealed class GaussianQuantizer : Quantizer
{
    /// <summary>Reference quirk kept for parity: 1.4426 approximates 1/ln 2 (0.0066 % low) in the KL-in-bits formula.</summary>
    private const double BitsPerNat = 1.4426;

    /// <summary>The name of the KL term in <c>regularization_weights</c>.</summary>
    public const string LossName = "kl_loss";

    private readonly LatentGrouping grouping;
    private readonly CodebookSearch search;
    private readonly Dictionary<string, Tensor> codebookByDevice = new();

    public GaussianQuantizer(GaussianQuantizerOptions options, int latentChannels, Codebook? codebook = null,
        CodebookSearchOptions? searchOptions = null) : base(nameof(GaussianQuantizer), options, latentChannels)
    {
        Validate(options, latentChannels);
        Options = options;
        Codebook = codebook ?? Codebook.Create(options.CodebookDimension, options.CodebookSize, options.Seed);
        if (Codebook.Dimension != options.CodebookDimension || Codebook.Size != options.CodebookSize)
            throw new ArgumentException(
                $"the codebook is {Codebook.Size} × {Codebook.Dimension} but the options ask for {options.CodebookSize} × {options.CodebookDimension}");
        grouping = new LatentGrouping(options.Variant, options.Layout, options.CodebookDimension);
        search = new CodebookSearch(Codebook, options.Beta, searchOptions ?? new CodebookSearchOptions { MemoryBudgetBytes = options.SearchMemoryBudgetBytes });
    }

    public GaussianQuantizerOptions Options { get; }

    public int CodebooksPerPosition => LatentChannels / Options.CodebookDimension;

    public Codebook Codebook { get; }

    /// <summary>log2 K: the KL per group, in bits, that training aims at.</summary>
    public double TargetBits => BitOperations.Log2((uint)Options.CodebookSize);

    /// <summary>Current adaptive weights; training updates them, checkpoints save and restore them.</summary>
    public AdaptiveKlWeights Weights { get; set; } = AdaptiveKlWeights.Initial;

    /// <summary>Clamp range of λmin and λmax (the reference's lam_range, which differs between its two classes).</summary>
    public (double Lower, double Upper) LambdaRange => Options.Variant == GroupingVariant.Strided ? (1e-3, 1e3) : (1e-7, 1e7);

    /// <summary>
    /// One training-mode pass: sample, KL loss with the current weights, then the weights' update.
    /// Gradients flow to the moments through the sample and the KL.
    /// </summary>
    /// <param name="batch">This rank's part of a data-parallel batch (see <see cref="Quantizer.TrainingPass"/>); null: the whole batch.</param>
    public GaussianQuantTrainingOutput TrainingStep(Tensor moments, Generator? generator = null, GlobalBatch? batch = null)
    {
        using var scope = NewDisposeScope();
        var (mean, logVariance, shape) = Split(moments);
        var std = logVariance.mul(0.5).exp();
        var variance = logVariance.exp();
        var sample = mean.add(TrainingNoise.Normal(mean, generator, batch).mul(std));

        var klPerChannel = mean.square().add(variance).sub(1.0).sub(logVariance).mul(BitsPerNat * 0.5);
        var klBits = grouping.SumGroups(klPerChannel, shape);
        var bits = KlStatistics.Of(klBits, batch);

        var used = Weights;
        double target = TargetBits, tolerance = Options.Tolerance;
        var groupWeights = ones_like(klBits)
            .masked_fill(klBits.gt(target + tolerance), used.LambdaMax)
            .masked_fill(klBits.lt(target - tolerance), used.LambdaMin).detach();
        var weighted = groupWeights.mul(klBits);
        // The two reference classes normalise differently: sum over positions and codebooks per image, or mean over groups.
        var klLoss = (Options.Variant == GroupingVariant.Strided ? weighted.sum().div(shape.Batch) : weighted.mean()).mul(used.Lambda);
        Weights = used.Next(bits, target, tolerance, Options.LambdaFactor, LambdaRange);

        var latent = sample;
        if (Options.Variant == GroupingVariant.Contiguous && Options.UseStraightThrough)
        {
            // Straight-through: the decoder sees the quantized latent, gradients flow through the sample.
            var quantized = QuantizedTokens(mean, std, shape).Quantized;
            latent = sample.sub(sample.detach()).add(quantized);
        }
        return new GaussianQuantTrainingOutput(
            grouping.ToLayout(latent, shape).MoveToOuterDisposeScope(), klLoss.MoveToOuterDisposeScope(), bits, used, Weights);
    }

    /// <summary>The generic pass: <see cref="TrainingStep"/>'s sample and its weighted KL as <c>kl_loss</c>.</summary>
    public override QuantizerTrainingOutput TrainingPass(Tensor encoderOutput, Generator? generator = null, GlobalBatch? batch = null)
    {
        var output = TrainingStep(encoderOutput, generator, batch);
        return new QuantizerTrainingOutput(output.Latent, new Dictionary<string, Tensor> { [LossName] = output.KlLoss }, output.Bits);
    }

    /// <summary>Inference: token indices, the quantized latent, the posterior mean and a sample μ + σ·ε.</summary>
    public override QuantizedLatent Quantize(Tensor moments, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mean, logVariance, shape) = Split(moments);
        var std = logVariance.mul(0.5).exp();
        var sample = mean.add(Noise(mean, generator).mul(std));
        var (rowIndices, quantized) = QuantizedTokens(mean, std, shape);
        return new QuantizedLatent(
            grouping.IndicesToLayout(rowIndices, shape).MoveToOuterDisposeScope(),
            grouping.ToLayout(quantized, shape).MoveToOuterDisposeScope(),
            grouping.ToLayout(mean, shape).MoveToOuterDisposeScope(),
            grouping.ToLayout(sample, shape).MoveToOuterDisposeScope());
    }

    /// <summary>The posterior mean and a sample μ + σ·ε, without the codebook search.</summary>
    public override ContinuousLatent Continuous(Tensor encoderOutput, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mean, logVariance, shape) = Split(encoderOutput);
        var sample = mean.add(Noise(mean, generator).mul(logVariance.mul(0.5).exp()));
        return new ContinuousLatent(
            grouping.ToLayout(mean, shape).MoveToOuterDisposeScope(), grouping.ToLayout(sample, shape).MoveToOuterDisposeScope());
    }

    /// <summary>Token indices ([B, n, h, w] or [B, L, n]) → the quantized latent, exactly as <see cref="Quantize"/> gave it.</summary>
    public override Tensor Dequantize(Tensor indices)
    {
        if (indices.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16))
            throw new ArgumentException($"token indices must be integers, got {indices.dtype}");
        using var scope = NewDisposeScope();
        var (rowIndices, shape) = grouping.IndicesToRows(indices.to(ScalarType.Int64), LatentChannels);
        if (shape.Rows > 0)
        {
            long smallest = rowIndices.min().item<long>(), largest = rowIndices.max().item<long>();
            if (smallest < 0 || largest >= Options.CodebookSize)
                throw new ArgumentException(
                    $"token indices must lie in [0, {Options.CodebookSize}), found values from {smallest} to {largest}");
        }
        var rows = CodebookOn(indices.device).index_select(0, rowIndices);
        return grouping.ToLayout(grouping.FromRows(rows, shape), shape).MoveToOuterDisposeScope();
    }

    private (Tensor Mean, Tensor LogVariance, LatentShape Shape) Split(Tensor moments)
    {
        var (mean, logVariance, shape) = grouping.SplitMoments(moments);
        if (shape.Channels != LatentChannels)
            throw new ArgumentException(
                $"the quantizer was built for {LatentChannels} latent channels but received moments with {shape.Channels}");
        return (mean, logVariance.clamp(Options.LogVarianceRange.Min, Options.LogVarianceRange.Max), shape);
    }

    private (Tensor RowIndices, Tensor Quantized) QuantizedTokens(Tensor mean, Tensor std, LatentShape shape)
    {
        var rowIndices = search.Search(grouping.ToRows(mean.detach(), shape), grouping.ToRows(std.detach(), shape));
        var rows = CodebookOn(mean.device).index_select(0, rowIndices.to(mean.device));
        return (rowIndices.to(mean.device), grouping.FromRows(rows, shape));
    }

    private static Tensor Noise(Tensor like, Generator? generator) =>
        randn(like.shape, ScalarType.Float32, like.device, generator: generator);

    private Tensor CodebookOn(Device device)
    {
        string key = device.ToString();
        if (!codebookByDevice.TryGetValue(key, out var codebook))
        {
            // Cached across calls, so it must outlive whichever dispose scope is open now.
            codebook = Codebook.ToTensor(device).DetachFromDisposeScope();
            codebookByDevice[key] = codebook;
        }
        return codebook;
    }

    private static void Validate(GaussianQuantizerOptions options, int latentChannels)
    {
        if (options.CodebookDimension < 1)
            throw new ArgumentException($"the codebook dimension must be at least 1, got {options.CodebookDimension}");
        if (options.CodebookSize < 1 || !BitOperations.IsPow2(options.CodebookSize))
            throw new ArgumentException($"the codebook size must be a power of two, got {options.CodebookSize}");
        if (latentChannels < 1 || latentChannels % options.CodebookDimension != 0)
            throw new ArgumentException(
                $"the latent channels ({latentChannels}) must be a positive multiple of the codebook dimension ({options.CodebookDimension})");
        if (!(options.LogVarianceRange.Min < options.LogVarianceRange.Max))
            throw new ArgumentException($"the log-variance range must have min < max, got [{options.LogVarianceRange.Min}, {options.LogVarianceRange.Max}]");
        if (!(options.Tolerance >= 0))
            throw new ArgumentException($"the tolerance must be ≥ 0 bits, got {options.Tolerance}");
        if (!(options.LambdaFactor > 0) || !double.IsFinite(options.LambdaFactor))
            throw new ArgumentException($"the λ factor must be a positive number, got {options.LambdaFactor}");
        if (!double.IsFinite(options.Beta) || options.Beta < 0)
            throw new ArgumentException($"beta must be a finite number ≥ 0, got {options.Beta}");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var codebook in codebookByDevice.Values) codebook.Dispose();
            codebookByDevice.Clear();
            search.Dispose();
        }
        base.Dispose(disposing);
    }
}
