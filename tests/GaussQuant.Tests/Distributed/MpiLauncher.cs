using System.Diagnostics;
using System.Runtime.InteropServices;
using GaussQuant.Tests.Cli;

namespace GaussQuant.Tests.Distributed;

/// <summary>
/// Runs the gq built beside the tests as a job of several ranks under MPICH's <c>mpirun.mpich</c>, as a user would;
/// tests that need it skip, saying what to install, on a machine without MPICH (.ci/run installs it).
/// </summary>
internal static class MpiLauncher
{
    private static readonly string? Launcher = Find();

    /// <summary>Skips the calling test when MPICH's launcher or library is missing.</summary>
    public static void Require() =>
        Skip.If(Launcher is null, "MPICH is not installed (no mpirun.mpich on PATH or no libmpich.so.12): apt-get install mpich to run the MPI tests");

    public static Gq.Outcome Run(int ranks, params string[] arguments)
    {
        Require();
        var start = new ProcessStartInfo(Launcher!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["-np", ranks.ToString(), Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", "exec",
                     Path.Combine(AppContext.BaseDirectory, "gq.dll"), .. arguments])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        return Gq.Finish(process, $"mpirun -np {ranks} gq {string.Join(' ', arguments)}");
    }

    private static string? Find()
    {
        string? launcher = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "mpirun.mpich")).FirstOrDefault(File.Exists);
        if (launcher is null || !NativeLibrary.TryLoad("libmpich.so.12", out var library))
            return null;
        NativeLibrary.Free(library);
        return launcher;
    }
}
