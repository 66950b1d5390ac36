using GaussQuant.Config;

namespace GaussQuant.Quantization.Fsq;

/// <summary>Maps the params of <c>pit.quantization.fsq.FSQQuantizer</c> onto <see cref="FsqQuantizerOptions"/>.</summary>
internal static class FsqTargets
{
    public static FsqQuantizerOptions Read(ConfigSection p)
    {
        LatentFormat.RequireBchw(p);
        var levels = p.IntList("levels") ?? throw p.Error("levels", "missing (e.g. [8, 8, 8, 5, 5, 5])");
        p.RejectUnknown();
        p.Require(levels.Count > 0 && levels.All(level => level >= 2), "levels", "must be a non-empty list of integers ≥ 2");
        p.Require(levels.Aggregate(1.0, (product, level) => product * level) <= 1L << 62, "levels", "their product must be at most 2^62");
        return new FsqQuantizerOptions { Levels = levels };
    }
}
