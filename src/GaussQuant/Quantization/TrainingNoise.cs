using GaussQuant.Distributed;
using static TorchSharp.torch;

namespace GaussQuant.Quantization;

/// <summary>
/// The ε of a reparameterised sample μ + σ·ε in training. In a data-parallel job every rank holds the same generator and
/// draws the noise of the whole batch, keeping its own rows: the samples are then those of one process with the whole
/// batch, whatever the number of ranks, and the generator's state stays the same on every rank (so any rank's checkpoint
/// resumes any number of ranks).
/// </summary>
internal static class TrainingNoise
{
    public static Tensor Normal(Tensor like, Generator? generator, GlobalBatch? batch)
    {
        if (batch is not { IsSplit: true })
            return randn(like.shape, like.dtype, like.device, generator: generator);
        using var whole = randn(batch.WholeShape(like), like.dtype, like.device, generator: generator);
        return batch.OwnRows(whole).contiguous();
    }
}
