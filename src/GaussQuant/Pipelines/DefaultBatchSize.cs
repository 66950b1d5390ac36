using GaussQuant.Models;

namespace GaussQuant.Pipelines;

/// <summary>
/// The batch a pipeline uses when it is given none: as many images per model call as keep the call's activations
/// within <see cref="MemoryBudgetBytes"/>, between 1 and <see cref="Max"/>. A fixed batch is wrong both ways: 16
/// images of 256² through a UNet that attends at a 64×64 level need about 3 GB, while at 32² the same 16 leave the
/// CPU idle between calls. Larger batches gain little on a CPU once a call takes a second or so, and a smaller batch
/// moves the progress bar more often.
/// </summary>
public static class DefaultBatchSize
{
    /// <summary>768 MiB: at 256² the built-in model then takes 4 images a call, the fastest batch measured there (docs/cli.md).</summary>
    public const long MemoryBudgetBytes = 768L << 20;
    public const int Max = 32;

    /// <summary>The batch for <paramref name="model"/> at images of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static int For(Autoencoder model, int width, int height, long budgetBytes = MemoryBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        long perImage = Math.Max(BytesPerImage(model.Encoder.Options, width, height), BytesPerImage(model.Decoder.Options, width, height));
        return (int)Math.Clamp(budgetBytes / Math.Max(1, perImage), 1, Max);
    }

    /// <summary>
    /// Estimated peak float32 memory of one image through <paramref name="unet"/>: five feature maps of the largest
    /// level alive at once (a ResnetBlock's input, its two convolutions, a normalisation and the skip), plus the score
    /// and softmax matrices, positions², of every level that attends. For the built-in model at 256² this gives 176 MB
    /// an image, against 170 MB measured as the growth of peak RSS from batch 4 to batch 16.
    /// </summary>
    public static long BytesPerImage(UNetOptions unet, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(unet);
        long pixels = (long)width * height, widest = 0, attention = 0;
        for (int level = 0; level < unet.ChannelMultipliers.Count; level++)
        {
            long positions = pixels >> (2 * level);
            widest = Math.Max(widest, (long)unet.Channels * unet.ChannelMultipliers[level] * positions);
            if (unet.HasAttentionAt(unet.Resolution >> level))
                attention += 2 * positions * positions;
        }
        return sizeof(float) * (5 * widest + attention);
    }
}
