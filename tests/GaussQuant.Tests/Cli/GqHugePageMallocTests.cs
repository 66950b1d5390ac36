using System.Runtime.InteropServices;
using GaussQuant.Tests.IO;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

/// <summary>
/// gq restarts itself once with glibc.malloc.hugetlb=1 (large feature maps on huge pages, see HugePageMalloc), in the
/// same process, and leaves a GLIBC_TUNABLES that already says what to do with it alone. Each test reads the running
/// gq's environment from /proc once gq is inside its job (it has staged the image of its first input and waits on the
/// second, a named pipe nobody writes to): by then the restart is over.
/// </summary>
public class GqHugePageMallocTests
{
    [SkippableTheory]
    [InlineData(null, "glibc.malloc.hugetlb=1")]
    [InlineData("glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb=0")]
    public void TheRunningGqHasTheTunableUnlessTheUserSetIt(string? given, string expected)
    {
        Skip.IfNot(GlibcWithTheTunable() && File.Exists("/sys/kernel/mm/transparent_hugepage/enabled") &&
                   !File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]"),
            "needs Linux with glibc 2.35 or later and transparent huge pages not set to never");
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 1);
        SpecialFiles.MakeFifo(folder["in/zz-never-ready.png"]);

        var environment = new Dictionary<string, string>();
        if (given is not null) environment["GLIBC_TUNABLES"] = given;
        using var running = new RunningGq(Gq.Start(null, environment, "reconstruct", "--config", model.ConfigPath,
            "--ckpt", model.WeightsPath, folder["in"], "-o", folder["out"], "--batch", "1"));
        var gq = running.Process;
        // Drained so that gq never blocks on a full pipe; what it prints is not under test here.
        _ = gq.StandardError.ReadToEndAsync();
        _ = gq.StandardOutput.ReadToEndAsync();
        RunningGq.WaitUntil(gq, () => Directory.Exists(folder["out"]) &&
                                      Directory.EnumerateFiles(folder["out"], "*.png", SearchOption.AllDirectories).Any());

        // (With several tunables glibc shows only the first in /proc, so the cases give one each.)
        string[] variables = File.ReadAllText($"/proc/{gq.Id}/environ").Split('\0');
        Assert.Equal($"GLIBC_TUNABLES={expected}", variables.Single(entry => entry.StartsWith("GLIBC_TUNABLES=", StringComparison.Ordinal)));
        Assert.Equal(given is null ? 1 : 0, variables.Count(entry => entry.StartsWith("GAUSSQUANT_HUGE_PAGE_MALLOC=", StringComparison.Ordinal)));
    }

    private static bool GlibcWithTheTunable()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Version.TryParse(Marshal.PtrToStringUTF8(GnuGetLibcVersion()), out var version) && version >= new Version(2, 35);
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern nint GnuGetLibcVersion();
}
