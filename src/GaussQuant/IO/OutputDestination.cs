using System.Text;

namespace GaussQuant.IO;

/// <summary>
/// The check every command runs on what it will write, before any work: a file output must not be a folder, a FIFO,
/// a device node or a socket, must sit in a folder that exists (or can be created) and is writable, and must not exist
/// already unless overwriting was asked for; a folder output must not be a file, and the files it will receive follow
/// the same rules, with names that are valid on the file system. Naming mistakes visible in the text itself are
/// <see cref="ArgumentException"/>s (usage errors); what the file system says is an <see cref="OutputRefusedException"/>.
/// </summary>
public static class OutputDestination
{
    /// <summary>The longest file name, in bytes of UTF-8, that Linux file systems take (NAME_MAX).</summary>
    public const int MaxNameBytes = 255;

    /// <summary>Checks a file output; returns its full path.</summary>
    /// <param name="exampleName">A file name to suggest when a folder was named instead.</param>
    public static string CheckFile(string path, bool overwrite, string exampleName = "output")
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("the output file name is empty");
        if (path.Contains('\0'))
            throw new ArgumentException($"the output name '{Printable(path)}' contains a NUL character");
        if (Path.EndsInDirectorySeparator(path))
            throw new ArgumentException($"{path} names a folder; name the file to write, e.g. {Path.Combine(path, exampleName)}");
        string full = Path.GetFullPath(path);
        if (NameProblem(Path.GetFileName(full), AtomicFile.TemporarySuffixLength) is { } problem)
            throw new ArgumentException($"{path}: {problem}");
        switch (PosixFiles.KindOf(full))
        {
            case PathKind.Directory:
                throw new OutputRefusedException($"{path} is a folder; name the file to write, e.g. {Path.Combine(path, exampleName)}");
            case PathKind.Special:
                throw new OutputRefusedException($"{path} is not a regular file (a FIFO, device or socket); gq replaces only regular files, so name another output");
            case PathKind.RegularFile when !overwrite:
                throw new OutputRefusedException($"{path} exists; pass --overwrite to replace it");
        }
        RequireWritableFolder(Path.GetDirectoryName(full)!, path);
        return full;
    }

    /// <summary>Checks a folder output and the files <paramref name="names"/> it will receive; returns its full path.</summary>
    public static string CheckFolder(string path, IEnumerable<string> names, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("the output folder name is empty");
        if (path.Contains('\0'))
            throw new ArgumentException($"the output folder '{Printable(path)}' contains a NUL character");
        string full = Path.GetFullPath(path);
        var kind = PosixFiles.KindOf(full);
        if (kind is PathKind.RegularFile or PathKind.Special)
            throw new OutputRefusedException($"{path} is a file, not a folder to write into");
        var existing = new List<string>();
        foreach (string name in names)
        {
            if (NameProblem(name, reservedBytes: 0) is { } problem)
                throw new OutputRefusedException($"cannot write '{Printable(name)}' into {path}: {problem}; nothing was written");
            if (kind == PathKind.Missing)
                continue;
            switch (PosixFiles.KindOf(Path.Combine(full, name)))
            {
                case PathKind.Directory:
                    throw new OutputRefusedException($"{Path.Combine(path, name)} is a folder, so the file of that name cannot be written; nothing was written");
                case PathKind.Special:
                    throw new OutputRefusedException($"{Path.Combine(path, name)} is not a regular file (a FIFO, device or socket); gq replaces only regular files");
                case PathKind.RegularFile:
                    existing.Add(name);
                    break;
            }
        }
        if (existing.Count > 0 && !overwrite)
            throw new OutputRefusedException(
                $"{path} already holds {existing.Count} of the files to write ({string.Join(", ", existing.Take(3))}{(existing.Count > 3 ? ", …" : "")}); " +
                "pass --overwrite to replace them");
        RequireWritableFolder(full, path);
        return full;
    }

    /// <summary>Why <paramref name="name"/> cannot be one file's name, or null when it can.</summary>
    /// <param name="reservedBytes">Room kept for a suffix (a temporary name) on top of the name.</param>
    internal static string? NameProblem(string name, int reservedBytes)
    {
        if (name.Length == 0)
            return "the name is empty";
        if (name.Contains('\0'))
            return "the name contains a NUL character";
        if (name.IndexOfAny(['/', Path.DirectorySeparatorChar]) >= 0)
            return "the name contains a path separator";
        if (name is "." or "..")
            return $"'{name}' names a folder, not a file";
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes + reservedBytes > MaxNameBytes)
            return $"the name is {bytes} bytes long, more than the {MaxNameBytes - reservedBytes} a file name may have here";
        return null;
    }

    /// <summary>The nearest folder that exists at or above <paramref name="folder"/> must be a folder gq may create files in.</summary>
    private static void RequireWritableFolder(string folder, string output)
    {
        string? existing = folder;
        while (existing is not null && PosixFiles.KindOf(existing) == PathKind.Missing)
            existing = Path.GetDirectoryName(existing);
        if (existing is null)
            throw new OutputRefusedException($"{output}: no folder above it exists");
        if (PosixFiles.KindOf(existing) != PathKind.Directory)
            throw new OutputRefusedException($"{output} cannot be created: {existing} is a file, not a folder");
        // Trying is the only reliable test: permissions, read-only mounts and ACLs all decide, and root bypasses modes.
        string probe = Path.Combine(existing, $".gq-probe-{Guid.NewGuid():N}");
        try
        {
            using var _ = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new OutputRefusedException($"{output} cannot be written: gq cannot create files in {existing} ({error.GetType().Name})");
        }
    }

    private static string Printable(string text) => text.Replace("\0", "\\0", StringComparison.Ordinal);
}
