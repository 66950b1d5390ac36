using GaussQuant.Models;
using GaussQuant.Native;

namespace GaussQuant.Tests.Native;

public class CpuFeaturesTests
{
    /// <summary>The kernel's view of the same CPUID bits: the avx512_bf16 and amx_bf16 flags of /proc/cpuinfo.</summary>
    [SkippableFact]
    public void NativeBFloat16AgreesWithTheKernelsCpuFlags()
    {
        Skip.IfNot(File.Exists("/proc/cpuinfo"), "needs Linux's /proc/cpuinfo");
        var flags = File.ReadLines("/proc/cpuinfo").First(line => line.StartsWith("flags", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        bool kernelSays = flags.Contains("avx512f") && (flags.Contains("avx512_bf16") || flags.Contains("amx_bf16"));
        Assert.Equal(kernelSays, CpuFeatures.HasNativeBFloat16);
    }

    [Fact]
    public void AutoIsBf16ExactlyWhereTheCpuHasIt()
    {
        Assert.Equal(CpuFeatures.HasNativeBFloat16 ? InferencePrecision.Bf16 : InferencePrecision.Fp32, PrecisionChoice.Auto.Resolve());
        Assert.Equal(InferencePrecision.Fp32, PrecisionChoice.Fp32.Resolve());
        Assert.Equal(InferencePrecision.Bf16, PrecisionChoice.Bf16.Resolve());
    }
}
