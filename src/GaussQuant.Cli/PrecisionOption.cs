using System.CommandLine;
using GaussQuant.Models;
using GaussQuant.Native;

namespace GaussQuant.Cli;

/// <summary>
/// <c>--precision fp32|bf16|auto</c>, the same option on every command that runs the encoder or decoder for inference
/// (encode, decode, reconstruct, eval): the number format of the networks (<see cref="InferencePrecision"/>).
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

    /// <summary>Puts <paramref name="model"/> into the precision the command line asks for, and returns it.</summary>
    public InferencePrecision Apply(ParseResult parsed, Autoencoder model)
    {
        var precision = parsed.GetValue(this).Resolve();
        model.UsePrecision(precision);
        return precision;
    }
}
