using GaussQuant.Config;

namespace GaussQuant.Quantization.Vq;

/// <summary>Maps the params of <c>pit.quantization.vq.VQQuantizer</c> onto <see cref="VqQuantizerOptions"/>.</summary>
internal static class VqTargets
{
    public static VqQuantizerOptions Read(ConfigSection p)
    {
        LatentFormat.RequireBchw(p);
        var options = new VqQuantizerOptions
        {
            CodebookSize = p.Int("n"),
            CodebookDimension = p.Int("dim"),
            Beta = p.Double("beta", 0.25),
        };
        p.Require(p.Bool("legacy", true), "legacy", "only the reference's default legacy loss (true) is supported");
        p.RejectUnknown();
        p.Require(options.CodebookSize >= 1 && options.CodebookSize <= 1 << 24, "n", "must be between 1 and 2^24");
        p.Require(options.CodebookDimension >= 1, "dim", "must be positive");
        p.Require(options.Beta >= 0 && double.IsFinite(options.Beta), "beta", "must be a finite number ≥ 0");
        return options;
    }
}
