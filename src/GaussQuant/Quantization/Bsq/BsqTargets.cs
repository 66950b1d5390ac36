using GaussQuant.Config;

namespace GaussQuant.Quantization.Bsq;

/// <summary>Maps the params of <c>pit.quantization.bsq.BSQQuantizer</c> onto <see cref="BsqQuantizerOptions"/>.</summary>
internal static class BsqTargets
{
    public static BsqQuantizerOptions Read(ConfigSection p)
    {
        LatentFormat.RequireBchw(p);
        p.Require(p.Int("codebook_size", 2) == 2, "codebook_size", "BSQ codebooks are one bit: only 2 is supported");
        var options = new BsqQuantizerOptions { Bits = p.Int("num_codebooks") };
        p.RejectUnknown();
        p.Require(options.Bits >= 1 && options.Bits <= SignBits.MaxBits, "num_codebooks", $"must be between 1 and {SignBits.MaxBits}");
        return options;
    }
}
