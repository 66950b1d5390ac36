using System.Runtime.InteropServices;

namespace GaussQuant.Cli;

/// <summary>
/// Starts gq over again, once, with glibc's malloc asked to back large allocations with transparent huge pages.
/// <para>
/// LibTorch allocates every feature map with malloc, and glibc serves the large ones (32 MiB and more: one map of
/// 128 channels at 256²) with a fresh mmap that the kernel faults in and zeroes 4 KiB at a time. At 256² that was
/// 18 % of `gq encode`'s CPU time (5.5 million page faults for eight images on an Intel Xeon). With the tunable
/// glibc.malloc.hugetlb=1 (glibc 2.35 and later) glibc marks those mappings for huge pages, one 2 MiB page where there
/// were 512 small ones (12-63 times fewer faults measured): 256² encode and decode jobs took 6-23 % less CPU time at
/// about the same peak RSS (docs/performance.md, section 6). glibc reads GLIBC_TUNABLES only when a process starts,
/// hence the second start: execve keeps the process id, open descriptors and arguments, so callers, signals and MPI
/// launchers see one process.
/// </para>
/// Anyone who sets glibc.malloc.hugetlb in GLIBC_TUNABLES themselves (0 turns it off) is left alone, as is every
/// system where it would do nothing: not Linux, not glibc, glibc older than 2.35, or transparent huge pages off.
/// </summary>
internal static class HugePageMalloc
{
    private const string TunablesVariable = "GLIBC_TUNABLES";
    private const string Tunable = "glibc.malloc.hugetlb";
    // Marks the second start. GLIBC_TUNABLES alone cannot: glibc 2.36 rewrites it in the new process's environment
    // (a list of several tunables shows only the first there, though all of them apply).
    private const string RestartedVariable = "GAUSSQUANT_HUGE_PAGE_MALLOC";

    /// <summary>Returns only when gq should run as it is (the restart was not wanted, or failed).</summary>
    public static void RestartWithTunableIfUseful()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(RestartedVariable) is not null) return;
        string? tunables = Environment.GetEnvironmentVariable(TunablesVariable);
        if (tunables is not null && tunables.Contains(Tunable, StringComparison.Ordinal)) return;
        if (!GlibcHasTheTunable() || !TransparentHugePagesAvailable()) return;

        string[] arguments;
        try
        {
            // The command line exactly as this process was started (host, app, arguments), not as .NET parsed it.
            arguments = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException) { return; }
        // An argument that is not valid UTF-8 would not survive the round trip through a .NET string.
        if (arguments.Any(argument => argument.Contains('\uFFFD'))) return;

        string setting = $"{Tunable}=1";
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Where(entry => (string)entry.Key != TunablesVariable)
            .Select(entry => $"{entry.Key}={entry.Value}")
            .Append($"{TunablesVariable}={(string.IsNullOrEmpty(tunables) ? setting : $"{tunables}:{setting}")}")
            .Append($"{RestartedVariable}=1");
        Execve("/proc/self/exe", [.. arguments, null], [.. environment, null]);
        // execve returns only when it failed; then gq runs on without huge pages.
    }

    private static bool GlibcHasTheTunable()
    {
        try
        {
            string version = Marshal.PtrToStringUTF8(GnuGetLibcVersion()) ?? "";
            return Version.TryParse(version, out var parsed) && parsed >= new Version(2, 35);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // "[never]" is the only setting under which glibc's request for huge pages (madvise) does nothing.
    private static bool TransparentHugePagesAvailable()
    {
        try
        {
            return !File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[never]", StringComparison.Ordinal);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern nint GnuGetLibcVersion();

    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve(string path, string?[] arguments, string?[] environment);
}
