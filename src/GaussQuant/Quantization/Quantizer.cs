using GaussQuant.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// The regularizer between encoder and decoder (the authors' <c>regularization</c> module), of any kind: Gaussian
/// Quant, VQ, FSQ, LFQ, BSQ, or a continuous one (identity, Gaussian KL) that makes no tokens. Latents are
/// [B, c, h, w]; tokens are int64 [B, n, h, w] with n = <see cref="TokenFormat.PerPosition"/>.
/// </summary>
public abstract class Quantizer : nn.Module
{
    private readonly QuantizerOptions settings;

    protected Quantizer(string name, QuantizerOptions settings, int latentChannels) : base(name)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.ProblemWith(latentChannels) is { } problem)
            throw new ArgumentException(problem);
        this.settings = settings;
        LatentChannels = latentChannels;
    }

    public QuantizerKind Kind => settings.Kind;

    /// <summary>c: the channels the decoder takes.</summary>
    public int LatentChannels { get; }

    /// <summary>The channels the encoder must give: 2c (mean and log-variance) or c.</summary>
    public int EncoderChannels => settings.TakesMoments ? 2 * LatentChannels : LatentChannels;

    /// <summary>What the tokens are; null when this regularizer makes none (a continuous Gaussian VAE or autoencoder).</summary>
    public TokenFormat? Tokens => settings.TokensFor(LatentChannels);

    /// <summary>What the tokens are; a clear refusal for a continuous regularizer, before any work is done.</summary>
    /// <exception cref="NotSupportedException">when the regularizer makes no tokens.</exception>
    public TokenFormat RequireTokens() => Tokens ?? throw NoTokens();

    /// <summary>The parameters a token manifest records (<see cref="QuantizerOptions.TokenParameters"/>).</summary>
    public virtual IReadOnlyDictionary<string, string> TokenParameters => settings.TokenParameters;

    /// <summary>Inference: tokens, the quantized latent, and the continuous latent (mean and sample).</summary>
    /// <exception cref="NotSupportedException">when the regularizer makes no tokens.</exception>
    public abstract QuantizedLatent Quantize(Tensor encoderOutput, Generator? generator = null);

    /// <summary>Inference without tokens: the posterior mean and a sample (both the latent itself for deterministic kinds).</summary>
    public abstract ContinuousLatent Continuous(Tensor encoderOutput, Generator? generator = null);

    /// <summary>Tokens [B, n, h, w] → the quantized latent, exactly as <see cref="Quantize"/> gave it.</summary>
    /// <exception cref="NotSupportedException">when the regularizer makes no tokens.</exception>
    public abstract Tensor Dequantize(Tensor indices);

    /// <summary>One training-mode pass: the latent for the decoder and the loss terms, with gradients to the encoder output.</summary>
    /// <param name="batch">
    /// In a data-parallel job, this rank's part of the global batch: noise is drawn for the whole batch and statistics over
    /// the batch are reduced over the ranks, so the pass computes what one process with the whole batch would. Null: the
    /// encoder output is the whole batch.
    /// </param>
    public abstract QuantizerTrainingOutput TrainingPass(Tensor encoderOutput, Generator? generator = null, GlobalBatch? batch = null);

    /// <summary>Called once its weights are loaded from <paramref name="source"/>: checks what the checkpoint holds beyond weights.</summary>
    public virtual void CheckLoaded(string source)
    {
    }

    /// <summary>The refusal of token operations by a continuous regularizer.</summary>
    protected NotSupportedException NoTokens() => new(
        $"this model's regularizer ({Kind}) makes no tokens: it is a continuous autoencoder, so encode and decode cannot work; " +
        "use reconstruct --mode mean or --mode sample, or eval --mode mean");

    /// <summary>Checks token values against the codebook size before they index anything.</summary>
    protected static void RequireTokenRange(Tensor indices, long codebookSize)
    {
        if (indices.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16))
            throw new ArgumentException($"token indices must be integers, got {indices.dtype}");
        if (indices.numel() == 0) return;
        using var min = indices.min().to(ScalarType.Int64);
        using var max = indices.max().to(ScalarType.Int64);
        long smallest = min.item<long>(), largest = max.item<long>();
        if (smallest < 0 || largest >= codebookSize)
            throw new ArgumentException($"token indices must lie in [0, {codebookSize}), found values from {smallest} to {largest}");
    }
}
