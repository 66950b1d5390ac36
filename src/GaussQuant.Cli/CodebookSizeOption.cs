using System.CommandLine;

namespace GaussQuant.Cli;

/// <summary>
/// <c>--codebook-size K'</c> on the commands that quantize or dequantize (encode, decode, reconstruct, eval): a Gaussian
/// Quant model's codebook chosen at inference, K' entries of the same seed's quasi-random N(0, I) codebook instead of
/// the trained K. <see cref="ModelArguments.Load"/> applies it; other quantizer kinds refuse it.
/// </summary>
internal sealed class CodebookSizeOption : Option<int?>
{
    public CodebookSizeOption() : base("--codebook-size")
    {
        HelpName = "K";
        Description = "Gaussian Quant models only: use a codebook of K entries (a power of two ≥ 2) chosen at inference, " +
                      "the first K points of the same quasi-random codebook, instead of the trained one. Default: the trained K.";
        Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 2)
                result.AddError("--codebook-size must be at least 2");
        });
    }

    /// <summary>The K' the command line asks for, or null (the trained codebook; also for commands without the option).</summary>
    public static int? Requested(ParseResult parsed) =>
        parsed.CommandResult.Command.Options.OfType<CodebookSizeOption>().Select(parsed.GetValue).FirstOrDefault();
}
