using GaussQuant.Native;

namespace GaussQuant.Models;

/// <summary>Resolves a <see cref="PrecisionChoice"/> on this machine.</summary>
public static class PrecisionChoices
{
    public static InferencePrecision Resolve(this PrecisionChoice choice) => choice switch
    {
        PrecisionChoice.Fp32 => InferencePrecision.Fp32,
        PrecisionChoice.Bf16 => InferencePrecision.Bf16,
        PrecisionChoice.Auto => CpuFeatures.HasNativeBFloat16 ? InferencePrecision.Bf16 : InferencePrecision.Fp32,
        _ => throw new ArgumentException($"unknown precision {choice}"),
    };

    /// <summary>How manifests, reports and the command line spell it: <c>fp32</c> or <c>bf16</c>.</summary>
    public static string Name(this InferencePrecision precision) => precision.ToString().ToLowerInvariant();
}
