using GaussQuant.IO;
using GaussQuant.Models;

namespace GaussQuant.Pipelines;

/// <summary>
/// The batch a pipeline uses when it is given none: as many images per model call as keep the call's activations, as
/// <see cref="ActivationMemory"/> estimates them, within <see cref="MemoryBudgetBytes"/> (or the activation limit,
/// if that is lower), between 1 and <see cref="Max"/>. A fixed batch is wrong both ways: 16 images of 256² through a
/// UNet that attends at a 64×64 level need about 3 GB, while at 32² the same 16 leave the CPU idle between calls.
/// Larger batches gain little on a CPU once a call takes a second or so, and a smaller batch moves the progress bar
/// more often.
/// </summary>
public static class DefaultBatchSize
{
    /// <summary>
    /// 1 GiB of estimated activations: at 256² the built-in model then takes 4 images a call (235 MB estimated each,
    /// 170 MB measured as the growth of peak RSS from batch 4 to batch 16), the fastest batch measured there (docs/cli.md).
    /// </summary>
    public const long MemoryBudgetBytes = 1L << 30;
    public const int Max = 32;

    /// <summary>The batch for <paramref name="model"/> at images of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static int For(Autoencoder model, int width, int height, long budgetBytes = MemoryBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        double perImage = Math.Max(ActivationMemory.Estimate(model.EncoderOptions, 1, height, width),
            ActivationMemory.Estimate(model.DecoderOptions, 1, height, width));
        double budget = Math.Min(budgetBytes, ResourceLimits.Current.MaxActivationBytes);
        return (int)Math.Clamp(Math.Floor(budget / Math.Max(1, perImage)), 1, Max);
    }
}
