using System.Numerics;
using GaussQuant.Config;

namespace GaussQuant.Quantization.Lfq;

/// <summary>Maps the params of <c>pit.quantization.lfq.LFQQuantizer</c> onto <see cref="LfqQuantizerOptions"/>.</summary>
internal static class LfqTargets
{
    public static LfqQuantizerOptions Read(ConfigSection p)
    {
        LatentFormat.RequireBchw(p);
        var options = new LfqQuantizerOptions { CodebookSize = p.Int("codebook_size"), CodebookCount = p.Int("num_codebooks", 1) };
        p.RejectUnknown();
        p.Require(options.CodebookSize >= 2 && BitOperations.IsPow2(options.CodebookSize), "codebook_size", "must be a power of two ≥ 2");
        p.Require(options.CodebookCount >= 1, "num_codebooks", "must be positive");
        p.Require(options.Bits <= SignBits.MaxBits, "num_codebooks", $"the token would have {options.Bits} bits, more than {SignBits.MaxBits}");
        return options;
    }
}
