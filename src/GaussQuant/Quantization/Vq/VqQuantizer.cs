using GaussQuant.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaussQuant.Quantization.Vq;

/// <summary>
/// Vector quantization with a learned codebook (spec §3, <c>VQQuantizer</c>): every group of d channels takes its
/// nearest codebook vector in Euclidean distance; the decoder sees it with straight-through gradients. Codebook k of
/// a position takes channels k, k + n, k + 2n, … (n = c / d), the reference's view of [B, h, w, c] as [−1, d, n].
/// The codebook is <c>embedding.weight</c> [K, d], trained by the autoencoder's optimiser (no EMA, no restarts).
/// </summary>
public sealed class VqQuantizer : Quantizer
{
    /// <summary>Distances computed per chunk of rows, so a 65536-entry search holds at most this many floats at once.</summary>
    private const long DistancesPerChunk = 1L << 24;

    private readonly Embedding embedding;

    public VqQuantizer(VqQuantizerOptions options, int latentChannels) : base(nameof(VqQuantizer), options, latentChannels)
    {
        Options = options;
        embedding = nn.Embedding(options.CodebookSize, options.CodebookDimension);
        using (no_grad())
            embedding.weight!.uniform_(-1.0 / options.CodebookSize, 1.0 / options.CodebookSize);
        register_module(nameof(embedding), embedding);
    }

    public VqQuantizerOptions Options { get; }

    private int Codebooks => LatentChannels / Options.CodebookDimension;

    /// <summary>
    /// The options' parameters and the SHA-256 of the learned codebook (float32, little-endian): its tokens mean
    /// nothing to a model with another codebook of the same shape, e.g. another checkpoint of the same config.
    /// </summary>
    public override IReadOnlyDictionary<string, string> TokenParameters
    {
        get
        {
            using var weights = embedding.weight!.detach().cpu().to(ScalarType.Float32).contiguous();
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.data<float>().ToArray().AsSpan());
            return new Dictionary<string, string>(Options.TokenParameters)
            {
                ["codebook_sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)),
            };
        }
    }

    public override QuantizedLatent Quantize(Tensor encoderOutput, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var indices = Nearest(Rows(encoderOutput));
        var shape = encoderOutput.shape;
        var quantized = FromRows(embedding.weight!.index_select(0, indices), shape);
        var tokens = indices.reshape(shape[0], shape[2], shape[3], Codebooks).permute(0, 3, 1, 2).contiguous();
        return new QuantizedLatent(tokens.MoveToOuterDisposeScope(), quantized.MoveToOuterDisposeScope(),
            encoderOutput.detach().clone().MoveToOuterDisposeScope(), encoderOutput.detach().clone().MoveToOuterDisposeScope());
    }

    public override ContinuousLatent Continuous(Tensor encoderOutput, Generator? generator = null)
    {
        var latent = encoderOutput.detach().clone();
        return new ContinuousLatent(latent, latent);
    }

    public override Tensor Dequantize(Tensor indices)
    {
        RequireTokenRange(indices, Options.CodebookSize);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (indices.dim() != 4 || indices.shape[1] != Codebooks)
            throw new ArgumentException($"VQ tokens must be shaped [B, {Codebooks}, h, w], got [{string.Join(", ", indices.shape)}]");
        long batch = indices.shape[0], height = indices.shape[2], width = indices.shape[3];
        var rows = indices.to(ScalarType.Int64).to(embedding.weight!.device).permute(0, 2, 3, 1).reshape(-1);
        return FromRows(embedding.weight!.index_select(0, rows), [batch, LatentChannels, height, width]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Straight-through latent and <c>codebook_loss</c> = mean((ẑ.detach() − z)²) + β·mean((ẑ − z.detach())²), as the
    /// reference's legacy loss.
    /// </summary>
    public override QuantizerTrainingOutput TrainingPass(Tensor encoderOutput, Generator? generator = null, GlobalBatch? batch = null)
    {
        using var scope = NewDisposeScope();
        Tensor indices;
        using (no_grad())
            indices = Nearest(Rows(encoderOutput));
        var quantized = FromRows(embedding.call(indices), encoderOutput.shape);
        var loss = quantized.detach().sub(encoderOutput).square().mean()
            .add(quantized.sub(encoderOutput.detach()).square().mean().mul(Options.Beta));
        var latent = encoderOutput.add(quantized.sub(encoderOutput).detach());
        return new QuantizerTrainingOutput(latent.MoveToOuterDisposeScope(),
            new Dictionary<string, Tensor> { [VqQuantizerOptions.LossName] = loss.MoveToOuterDisposeScope() }, KlStatistics.None);
    }

    /// <summary>[B, c, h, w] → [B·h·w·n, d]: row (b, y, x, k) holds channels k, k + n, … of that position.</summary>
    private Tensor Rows(Tensor latent)
    {
        if (latent.dim() != 4 || latent.shape[1] != LatentChannels)
            throw new ArgumentException($"the VQ quantizer takes latents [B, {LatentChannels}, h, w], got [{string.Join(", ", latent.shape)}]");
        return latent.permute(0, 2, 3, 1).reshape(-1, Options.CodebookDimension, Codebooks).transpose(1, 2).reshape(-1, Options.CodebookDimension);
    }

    /// <summary>The inverse of <see cref="Rows"/> for rows of codebook vectors.</summary>
    private Tensor FromRows(Tensor rows, long[] shape) =>
        rows.reshape(shape[0], shape[2], shape[3], Codebooks, Options.CodebookDimension).transpose(3, 4)
            .reshape(shape[0], shape[2], shape[3], LatentChannels).permute(0, 3, 1, 2).contiguous();

    /// <summary>argmin over the codebook of ‖z‖² + ‖e‖² − 2 z·e (the reference's expansion, first minimum on ties).</summary>
    private Tensor Nearest(Tensor rows)
    {
        var codebook = embedding.weight!.detach();
        var codebookNorms = codebook.square().sum(1);
        long chunk = Math.Max(1, DistancesPerChunk / Options.CodebookSize);
        var parts = new List<Tensor>();
        for (long first = 0; first < rows.shape[0]; first += chunk)
        {
            var part = rows.narrow(0, first, Math.Min(chunk, rows.shape[0] - first));
            var distances = part.square().sum(1, keepdim: true).add(codebookNorms).sub(part.matmul(codebook.t()).mul(2));
            parts.Add(distances.argmin(1));
        }
        return parts.Count == 1 ? parts[0] : cat(parts, 0);
    }
}
