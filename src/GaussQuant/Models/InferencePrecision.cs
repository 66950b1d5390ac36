namespace GaussQuant.Models;

/// <summary>
/// The number format the encoder and decoder compute in at inference (<see cref="Autoencoder.UsePrecision"/>). The
/// quantizer (posterior, codebook search, dequantization) always computes in float32, whichever is chosen.
/// </summary>
public enum InferencePrecision
{
    /// <summary>float32 everywhere: the tokens of the parity fixtures, the same on every CPU.</summary>
    Fp32,

    /// <summary>
    /// bfloat16 weights and activations for convolutions, linear layers and attention, with GroupNorm and LayerNorm
    /// keeping float32 parameters and statistics (autocast's split). Several times faster where the CPU multiplies bf16
    /// natively (<see cref="Native.CpuFeatures.HasNativeBFloat16"/>); tokens then differ from float32's at a few positions.
    /// </summary>
    Bf16,
}
