using GaussQuant.Quantization;

namespace GaussQuant.Config;

/// <summary>
/// Maps <c>GaussianQuantRegularizer</c> (strided groups) and <c>GaussianQuantRegularizer2</c> (contiguous groups)
/// params onto <see cref="GaussianQuantizerOptions"/>, with the reference constructors' defaults (not the record's).
/// </summary>
internal static class QuantizerTargets
{
    public static GaussianQuantizerOptions Read(string target, ConfigSection p)
    {
        bool strided = target == TargetRegistry.StridedGaussianQuant;
        var options = new GaussianQuantizerOptions
        {
            Variant = strided ? GroupingVariant.Strided : GroupingVariant.Contiguous,
            Layout = strided ? ReadLayout(p) : LatentLayout.Bchw,
            CodebookSize = p.Int(strided ? "n_samples" : "codebook_size"),
            CodebookDimension = strided ? p.Int("group", 1) : p.Int("dim"),
            LogVarianceRange = ReadRange(p, "logvar_range", (-30.0, 20.0)),
            Tolerance = p.Double("tolerance", 0.5),
            LambdaFactor = p.Double("lam_factor", 1.01),
            Seed = p.Int("seed", 42),
            Beta = p.Double("beta", 1.0),
            UseStraightThrough = !strided && p.Bool("use_ste", true),
        };
        if (!strided) p.Require(p.Int("dim_idx", 1) == 1, "dim_idx", "only 1 (the channel axis of [B, C, H, W]) is supported");
        p.OptionalString("backend"); // torch, cuda (gq_cuda kernel) and raw give the same indices; our search has its own kernel
        p.RejectUnknown();

        string sizeKey = strided ? "n_samples" : "codebook_size";
        p.Require(options.CodebookSize >= 2 && (options.CodebookSize & (options.CodebookSize - 1)) == 0, sizeKey, "must be a power of two (a whole number of bits per token)");
        p.Require(options.CodebookSize <= Codebook.MaxSize, sizeKey, $"must be at most {Codebook.MaxSize} (2^24), not {options.CodebookSize}");
        p.Require(options.CodebookDimension > 0, strided ? "group" : "dim", "must be positive");
        p.Require(options.CodebookDimension <= Codebook.MaxDimension, strided ? "group" : "dim", $"must be at most {Codebook.MaxDimension}");
        p.Require(options.Tolerance >= 0 && double.IsFinite(options.Tolerance), "tolerance", "must be a finite number ≥ 0");
        p.Require(options.LambdaFactor > 0 && double.IsFinite(options.LambdaFactor), "lam_factor", "must be a finite positive number");
        p.Require(options.Beta >= 0 && double.IsFinite(options.Beta), "beta", $"must be a finite number ≥ 0, not {options.Beta}");
        return options;
    }

    private static LatentLayout ReadLayout(ConfigSection p) => p.String("format") switch
    {
        "bchw" => LatentLayout.Bchw,
        "blc" => LatentLayout.Blc,
        var other => throw p.Error("format", $"'{other}' is not a latent layout (bchw or blc)"),
    };

    private static (double Min, double Max) ReadRange(ConfigSection p, string key, (double, double) fallback)
    {
        var values = p.DoubleList(key);
        if (values is null) return fallback;
        p.Require(values.Count == 2 && values[0] < values[1], key, "must be [min, max] with min < max");
        return (values[0], values[1]);
    }
}
