using System.Runtime.Intrinsics.X86;

namespace GaussQuant.Native;

/// <summary>What the CPU offers that changes which number format is fastest.</summary>
public static class CpuFeatures
{
    /// <summary>
    /// True when the CPU multiplies bfloat16 in hardware: AVX-512-BF16 (CPUID leaf 7 sub-leaf 1, EAX bit 5; Intel
    /// Cooper Lake and later Xeons, AMD Zen 4 and later) or AMX-BF16 (leaf 7 sub-leaf 0, EDX bit 22; Intel Sapphire
    /// Rapids and later). Elsewhere LibTorch emulates bf16 arithmetic by converting to float32, which is slower than
    /// float32 itself, so <c>--precision auto</c> keeps float32 there.
    /// </summary>
    public static bool HasNativeBFloat16 { get; } = DetectNativeBFloat16();

    private static bool DetectNativeBFloat16()
    {
        // AVX-512 state must also be enabled by the OS, which Avx512F.IsSupported checks (CPUID alone does not).
        if (!X86Base.IsSupported || !Avx512F.IsSupported)
            return false;
        var (maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        if (maxLeaf < 7)
            return false;
        var (_, _, _, amx) = X86Base.CpuId(7, 0);
        var (avx512Bf16, _, _, _) = X86Base.CpuId(7, 1);
        return (avx512Bf16 & (1 << 5)) != 0 || (amx & (1 << 22)) != 0;
    }
}
