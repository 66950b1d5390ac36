using System.CommandLine;
using GaussQuant.Models;
using GaussQuant.Native;

namespace GaussQuant.Cli;

/// <summary>
/// <c>--precision fp32|bf16|auto</c>, the same option on every command that runs the encoder or decoder for inference
/// (encode, decode, reconstruct, eval): the number format of the networks (<see cref="InferencePrecision"/>).
/// <see cref="ModelArguments.Load"/> applies it to the model it loads, as it applies <see cref="CodebookSizeOption"/>.
/// </summary>
internal sealed class PrecisionOption : Option<PrecisionChoice>
{
    public PrecisionOption() : base("--precision")
    {
        HelpName = "fp32|bf16|auto";
        Description = "Number format of the encoder and decoder: fp32 (the reference tokens), bf16 (faster on CPUs with native bf16; " +
                      "a few tokens differ), or auto (bf16 where the CPU has it: " +
                      $"{(CpuFeatures.HasNativeBFloat16 ? "bf16" : "fp32")} here). The quantizer always computes in fp32.";
        DefaultValueFactory = _ => PrecisionChoice.Fp32;
    }

    /// <summary>Puts <paramref name="model"/> into the precision the command line asks for (nothing for commands without the option).</summary>
    public static void ApplyRequested(ParseResult parsed, Autoencoder model)
    {
        foreach (var option in parsed.CommandResult.Command.Options.OfType<PrecisionOption>())
            model.UsePrecision(parsed.GetValue(option).Resolve());
    }
}
