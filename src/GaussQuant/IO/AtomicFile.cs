using System.Security.Cryptography;

namespace GaussQuant.IO;

/// <summary>
/// A file written under a temporary name beside its target and renamed into place by <see cref="Commit"/>, so an
/// interrupted write never leaves a truncated file under the real name. The temporary name is unique to this writer
/// (<c>NAME.gq-XXXXXXXXXXXX.partial</c>), so two processes never write into one temporary file, and its content is
/// flushed to disk before the rename, so a crash cannot leave the new name with missing data. Disposing without
/// committing removes the temporary file.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private const string TemporaryInfix = ".gq-", TemporaryExtension = ".partial";
    private const int RandomLength = 12;

    /// <summary>How much longer than its target's name the temporary name is.</summary>
    public const int TemporarySuffixLength = 4 + RandomLength + 8;

    private readonly string path;
    private readonly string temporaryPath;
    private bool committed;

    private AtomicFile(string path)
    {
        this.path = path;
        temporaryPath = path + TemporaryInfix + Guid.NewGuid().ToString("N")[..RandomLength] + TemporaryExtension;
        Stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.ReadWrite);
    }

    public FileStream Stream { get; }

    public static AtomicFile Create(string path) => new(path);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    /// <summary>Lower-case hex SHA-256 of everything written so far (the file as it will be committed).</summary>
    public string Sha256()
    {
        Stream.Flush();
        Stream.Position = 0;
        string hash = Convert.ToHexStringLower(SHA256.HashData(Stream));
        Stream.Seek(0, SeekOrigin.End);
        return hash;
    }

    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
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
