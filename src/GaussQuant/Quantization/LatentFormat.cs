using GaussQuant.Config;

namespace GaussQuant.Quantization;

/// <summary>The <c>format</c> key of the quantizers that only take the UNet's [B, C, H, W] latents.</summary>
internal static class LatentFormat
{
    public static void RequireBchw(ConfigSection p)
    {
        string format = p.String("format", "bchw");
        p.Require(format == "bchw", "format", $"'{format}' is not supported here: this quantizer takes the UNet's bchw latents");
    }
}
