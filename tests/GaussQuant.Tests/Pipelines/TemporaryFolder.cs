namespace GaussQuant.Tests.Pipelines;

/// <summary>A fresh folder in the temporary directory, deleted with its content on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gq-test-{Guid.NewGuid():N}");

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Every file below the folder, relative to it, sorted.</summary>
    public IReadOnlyList<string> Files() =>
        Directory.Exists(Path)
            ? Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories)
                .Select(entry => System.IO.Path.GetRelativePath(Path, entry)).Order(StringComparer.Ordinal).ToList()
            : [];

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
