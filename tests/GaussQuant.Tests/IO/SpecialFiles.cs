using System.Diagnostics;

namespace GaussQuant.Tests.IO;

/// <summary>File-system objects a test needs that .NET cannot make: FIFOs and hard links (through coreutils).</summary>
internal static class SpecialFiles
{
    public static void MakeFifo(string path) => Run("mkfifo", path);

    public static void HardLink(string existing, string link) => Run("ln", existing, link);

    /// <summary>Temporary files an atomic write left beside <paramref name="path"/> (<c>NAME.gq-XXXX.partial</c>).</summary>
    public static IReadOnlyList<string> TemporariesBeside(string path) =>
        Directory.Exists(Path.GetDirectoryName(path))
            ? Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + ".gq-*")
            : [];

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}");
    }
}
