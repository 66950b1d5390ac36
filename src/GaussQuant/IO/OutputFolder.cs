namespace GaussQuant.IO;

/// <summary>
/// A folder a pipeline writes into, created (with any missing parents) when missing; if the run fails before
/// <see cref="Keep"/>, the folders this run created are removed again (when still empty), so a failed command leaves
/// the file system as it found it.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    private readonly IReadOnlyList<string> created;
    private bool kept;

    private OutputFolder(string path, IReadOnlyList<string> created)
    {
        Path = path;
        this.created = created;
    }

    public string Path { get; }

    public static OutputFolder Ensure(string path)
    {
        if (File.Exists(path))
            throw new OutputRefusedException($"{path} is a file, not a folder to write into");
        var missing = new List<string>();
        for (string? folder = System.IO.Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = System.IO.Path.GetDirectoryName(folder))
            missing.Add(folder);
        Directory.CreateDirectory(path);
        return new OutputFolder(path, missing);
    }

    public void Keep() => kept = true;

    public void Dispose()
    {
        if (kept)
            return;
        foreach (string folder in created)
        {
            if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
                return;
            Directory.Delete(folder);
        }
    }
}
