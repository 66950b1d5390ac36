using GaussQuant.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Quantization.Lfq;

/// <summary>
/// Lookup-free quantization (spec §3, <c>LFQQuantizer</c>): every channel becomes +1 when positive, else −1, with
/// straight-through gradients; the c sign bits of a position make one token (<see cref="SignBits"/>). Training adds the
/// entropy penalty over each sub-codebook's 2^d codes (logits 2·x·code / 0.01) and the commitment
/// mse(x, sign(x)). The module has no parameters (the reference's code table is a non-persistent buffer).
/// </summary>
public sealed class LfqQuantizer : Quantizer
{
    public LfqQuantizer(LfqQuantizerOptions options, int latentChannels) : base(nameof(LfqQuantizer), options, latentChannels)
    {
        Options = options;
    }

    public LfqQuantizerOptions Options { get; }

    public override QuantizedLatent Quantize(Tensor encoderOutput, Generator? generator = null)
    {
        RequireShape(encoderOutput);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latent = encoderOutput.detach().clone();
        return new QuantizedLatent(SignBits.ToTokens(latent).MoveToOuterDisposeScope(), SignBits.Signs(latent).MoveToOuterDisposeScope(),
            latent.MoveToOuterDisposeScope(), latent.clone().MoveToOuterDisposeScope());
    }

    public override ContinuousLatent Continuous(Tensor encoderOutput, Generator? generator = null)
    {
        RequireShape(encoderOutput);
        var latent = encoderOutput.detach().clone();
        return new ContinuousLatent(latent, latent);
    }

    public override Tensor Dequantize(Tensor indices)
    {
        RequireTokenRange(indices, 1L << Options.Bits);
        if (indices.dim() != 4 || indices.shape[1] != 1)
            throw new ArgumentException($"LFQ tokens must be shaped [B, 1, h, w], got [{string.Join(", ", indices.shape)}]");
        return SignBits.ToSigns(indices, Options.Bits);
    }

    public override QuantizerTrainingOutput TrainingPass(Tensor encoderOutput, Generator? generator = null, GlobalBatch? batch = null)
    {
        RequireShape(encoderOutput);
        using var scope = NewDisposeScope();
        var signs = SignBits.Signs(encoderOutput.detach());
        var latent = encoderOutput.add(signs.sub(encoderOutput).detach());
        var commit = nn.functional.mse_loss(encoderOutput, signs);
        var losses = new Dictionary<string, Tensor>
        {
            [LfqQuantizerOptions.EntropyLossName] = EntropyLoss(encoderOutput, batch).MoveToOuterDisposeScope(),
            [LfqQuantizerOptions.CommitLossName] = commit.MoveToOuterDisposeScope(),
        };
        return new QuantizerTrainingOutput(latent.MoveToOuterDisposeScope(), losses, KlStatistics.None);
    }

    /// <summary>
    /// Per sub-codebook: softmax over its 2^d codes of 2·x·code / τ; averaged over images and positions but not over
    /// sub-codebooks. Codes are ±1 vectors whose element j is bit j of the code number (least significant first).
    /// </summary>
    private Tensor EntropyLoss(Tensor latent, GlobalBatch? batch)
    {
        int dimension = Options.CodebookDimension, size = Options.CodebookSize;
        var codes = arange(size, ScalarType.Int64, latent.device).unsqueeze(1)
            .bitwise_and(tensor(Enumerable.Range(0, dimension).Select(bit => 1L << bit).ToArray(), device: latent.device)).ne(0)
            .to(ScalarType.Float32).mul(2).sub(1);
        long images = latent.shape[0];
        var values = latent.permute(0, 2, 3, 1).reshape(images, -1, Options.CodebookCount, dimension);
        var logits = values.matmul(codes.t()).mul(2);
        return CodeEntropy.Loss(logits.div(CodeEntropy.Temperature).softmax(-1), keptAxes: 1, batch);
    }

    private void RequireShape(Tensor latent)
    {
        if (latent.dim() != 4 || latent.shape[1] != LatentChannels)
            throw new ArgumentException($"the LFQ quantizer takes latents [B, {LatentChannels}, h, w], got [{string.Join(", ", latent.shape)}]");
    }
}
