namespace GaussQuant.Quantization.Search;

/// <summary>
/// The few SIMD operations the codebook search needs, for one vector width. The search kernel is generic over
/// this interface, so the JIT emits one specialised copy per width (128, 256, 512 bits, or <see cref="System.Numerics.Vector{T}"/>)
/// from a single source. Every width uses a fused multiply-add, so all of them produce bit-identical scores.
/// </summary>
internal interface IVectorOps<TVector> where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Width { get; }

    /// <summary>True when the hardware runs this width natively (otherwise it is emulated and slow).</summary>
    static abstract bool IsAccelerated { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(ref float source);

    static abstract TVector Broadcast(float value);

    /// <summary>a·b + c with a single rounding.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector addend);

    static abstract TVector Max(TVector a, TVector b);

    static abstract float MaxAcross(TVector value);

    static abstract void Store(TVector value, ref float destination);
}
