namespace GaussQuant.Tests;

/// <summary>Where the repository's fixtures and the workplace's shared data live, seen from the test binaries.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Fixtures => Path.Combine(RepositoryRoot, "tests", "fixtures");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    /// <summary>The workplace's shared folder (data, spec) beside the checkout, or null when this clone has none.</summary>
    public static string? Shared
    {
        get
        {
            string candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    /// <summary>A path under ../shared; skips the calling test, with the reason, when it is absent.</summary>
    public static string RequireShared(params string[] parts)
    {
        Skip.If(Shared is null, $"../shared is not present beside this checkout; this test needs ../shared/{string.Join('/', parts)}");
        string path = Path.Combine([Shared!, .. parts]);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"{path} is missing from ../shared");
        return path;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "GaussQuant.slnx")))
                return directory.FullName;
        throw new InvalidOperationException("cannot find the repository root (GaussQuant.slnx) above the test binaries");
    }
}
