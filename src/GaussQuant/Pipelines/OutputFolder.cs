namespace GaussQuant.Pipelines;

/// <summary>
/// A folder a pipeline writes into, created when missing; if the run fails before <see cref="Keep"/>, a folder this
/// run created is removed again (when still empty), so a failed command leaves the file system as it found it.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    private readonly bool created;
    private bool kept;

    private OutputFolder(string path, bool created)
    {
        Path = path;
        this.created = created;
    }

    public string Path { get; }

    public static OutputFolder Ensure(string path)
    {
        if (File.Exists(path))
            throw new IOException($"{path} is a file, not a folder to write into");
        bool created = !Directory.Exists(path);
        Directory.CreateDirectory(path);
        return new OutputFolder(path, created);
    }

    public void Keep() => kept = true;

    public void Dispose()
    {
        if (created && !kept && Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any())
            Directory.Delete(Path);
    }
}
