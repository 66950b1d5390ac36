namespace GaussQuant.IO;

/// <summary>
/// A file written under a temporary name beside its target and renamed into place by <see cref="Commit"/>, so an
/// interrupted write never leaves a truncated file under the real name. Disposing without committing removes
/// the temporary file.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string path;
    private readonly string temporaryPath;
    private bool committed;

    private AtomicFile(string path)
    {
        this.path = path;
        temporaryPath = path + ".partial";
        Stream = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write);
    }

    public FileStream Stream { get; }

    public static AtomicFile Create(string path) => new(path);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    public void Commit()
    {
        Stream.Dispose();
        File.Move(temporaryPath, path, overwrite: true);
        committed = true;
    }

    public void Dispose()
    {
        if (committed)
            return;
        Stream.Dispose();
        File.Delete(temporaryPath);
    }
}
