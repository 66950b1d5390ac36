using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GaussQuant.IO;

namespace GaussQuant.Native;

/// <summary>
/// The run-time half of the GLIBCXX_3.4.32 fix (the build half is build/GaussQuant.targets). A project that consumes
/// GaussQuant as a package gets the build half through the package's buildTransitive targets; one that builds it
/// through a ProjectReference from outside this repository does not, because MSBuild imports the targets of packages
/// and of the Directory.Build files above the project, never those of a referenced project. Its output then holds
/// TorchSharp's unpatched libLibTorchSharp.so, which a libstdc++ older than GCC 13's refuses to load. So, before any
/// GaussQuant code runs, this looks at the copy TorchSharp will load and, only when that copy still demands the
/// version and fails to load for it, loads a patched copy kept in the user's cache. TorchSharp's own load of the
/// library by name then finds that one already loaded (the loader matches it by its soname).
/// </summary>
internal static class TorchSharpNativeLibrary
{
    private const string FileName = "libLibTorchSharp.so";
    private const string VersionName = "GLIBCXX_3.4.32";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "must run before the first TorchSharp call of any GaussQuant code")]
    internal static void LoadAPatchedCopyWhereNeeded()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            string? original = SearchDirectories().Select(folder => Path.Combine(folder, FileName)).FirstOrDefault(File.Exists);
            if (original is null)
                return;
            byte[] bytes = File.ReadAllBytes(original);
            if (ElfVersionNeeds.MarkWeak(bytes, VersionName) == 0 || NativeLibrary.TryLoad(original, out _))
                return;
            // libLibTorchSharp.so finds libtorch.so beside it through its $ORIGIN run path, which a copy elsewhere lacks:
            // loading libtorch first (with its own dependencies, from its own folder) lets the copy link against it.
            NativeLibrary.TryLoad(Path.Combine(Path.GetDirectoryName(original)!, "libtorch.so"), out _);
            NativeLibrary.TryLoad(PatchedCopy(bytes), out _);
        }
        catch (Exception)
        {
            // Whatever went wrong (an unreadable or unexpected file, no writable cache), an exception here would make every
            // GaussQuant type unusable; leave the load to TorchSharp, which then fails with the loader's own message.
        }
    }

    /// <summary>Where the runtime looks for the app's native libraries (from its deps.json), then the app's own folder.</summary>
    private static IEnumerable<string> SearchDirectories()
    {
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string directories)
            foreach (string folder in directories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                yield return folder;
        yield return AppContext.BaseDirectory;
    }

    /// <summary>The patched bytes as a file in the user's cache, named after their hash so each version is written once.</summary>
    private static string PatchedCopy(byte[] patched)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(patched))[..16];
        using var content = new MemoryStream(patched, writable: false);
        return UserCache.ExtractTo(content, Path.Combine(UserCache.Root(), "native", hash, FileName));
    }
}
