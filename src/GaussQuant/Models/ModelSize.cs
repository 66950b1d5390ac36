using GaussQuant.IO;

namespace GaussQuant.Models;

/// <summary>
/// Parameter counts of the UNet encoder and decoder worked out from their options, layer by layer as
/// <see cref="Encoder"/> and <see cref="Decoder"/> build them, without allocating anything (other backbones count theirs
/// in <see cref="BackboneOptions.EncoderParameters"/>): <c>gq info</c> reports them for any config, and a config whose
/// weights would not fit <see cref="ResourceLimits.MaxModelBytes"/> is refused before a network is built. Counts are doubles so that absurd configs (<c>ch: 1073741824</c>) cannot overflow.
/// </summary>
public static class ModelSize
{
    public static double EncoderParameters(UNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var multipliers = options.ChannelMultipliers;
        double channels = options.Channels;
        double count = Convolution(options.InChannels, channels, 3);
        int nominalResolution = options.Resolution;
        for (int level = 0; level < multipliers.Count; level++)
        {
            double levelChannels = (double)options.Channels * multipliers[level];
            count += Level(channels, levelChannels, options.ResBlocksPerLevel, options.HasAttentionAt(nominalResolution),
                resamples: level < multipliers.Count - 1);
            channels = levelChannels;
            nominalResolution /= 2;
        }
        double outputChannels = options.DoubleLatent ? 2.0 * options.LatentChannels : options.LatentChannels;
        return count + 2 * Resnet(channels, channels) + GroupNorm(channels) + Convolution(channels, outputChannels, 3);
    }

    public static double DecoderParameters(UNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var multipliers = options.ChannelMultipliers;
        double channels = (double)options.Channels * multipliers[^1];
        double count = Convolution(options.LatentChannels, channels, 3) + 2 * Resnet(channels, channels);
        int nominalResolution = options.Resolution / options.DownsamplingFactor;
        for (int level = multipliers.Count - 1; level >= 0; level--)
        {
            double levelChannels = (double)options.Channels * multipliers[level];
            count += Level(channels, levelChannels, options.ResBlocksPerLevel + 1, options.HasAttentionAt(nominalResolution),
                resamples: level > 0);
            channels = levelChannels;
            nominalResolution *= 2;
        }
        return count + GroupNorm(channels) + Convolution(channels, options.OutChannels, 3);
    }

    /// <summary>Bytes of the encoder's and decoder's float32 weights together.</summary>
    public static double WeightBytes(BackboneOptions encoder, BackboneOptions decoder) =>
        sizeof(float) * (encoder.EncoderParameters() + decoder.DecoderParameters());

    /// <summary>Null when the weights fit <see cref="ResourceLimits.MaxModelBytes"/>, else what they need against the limit.</summary>
    public static string? ProblemWithLimit(BackboneOptions encoder, BackboneOptions decoder)
    {
        double bytes = WeightBytes(encoder, decoder);
        long limit = ResourceLimits.Current.MaxModelBytes;
        return bytes <= limit ? null
            : $"the encoder and decoder would have {bytes / sizeof(float):0} parameters ({ResourceLimits.Describe(bytes)} of float32 weights), " +
              $"more than the {ResourceLimits.Describe(limit)} allowed ({ResourceLimits.ModelBytesVariable} raises the limit)";
    }

    private static double Level(double inChannels, double outChannels, int blocks, bool withAttention, bool resamples)
    {
        double count = Resnet(inChannels, outChannels) + (blocks - 1) * Resnet(outChannels, outChannels);
        if (withAttention) count += blocks * (GroupNorm(outChannels) + 4 * Convolution(outChannels, outChannels, 1));
        return resamples ? count + Convolution(outChannels, outChannels, 3) : count;
    }

    private static double Resnet(double inChannels, double outChannels) =>
        GroupNorm(inChannels) + Convolution(inChannels, outChannels, 3) + GroupNorm(outChannels) + Convolution(outChannels, outChannels, 3)
        + (inChannels != outChannels ? Convolution(inChannels, outChannels, 1) : 0);

    private static double Convolution(double inChannels, double outChannels, int kernel) => inChannels * outChannels * kernel * kernel + outChannels;

    private static double GroupNorm(double channels) => 2 * channels;
}
