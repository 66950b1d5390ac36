namespace GaussQuant.Models;

/// <summary>What a user asks for: a fixed <see cref="InferencePrecision"/>, or the fastest one this CPU computes exactly as designed.</summary>
public enum PrecisionChoice
{
    Fp32,
    Bf16,

    /// <summary>bf16 where the CPU has native bf16 arithmetic (<see cref="Native.CpuFeatures.HasNativeBFloat16"/>), float32 elsewhere.</summary>
    Auto,
}
