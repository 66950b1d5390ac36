namespace GaussQuant.IO;

/// <summary>
/// What a command holds on its outputs while it works: they passed <see cref="OutputDestination"/>'s checks, their
/// folder exists, and the lock (<see cref="OutputLock"/>) keeps another gq from writing them at the same time. The
/// checks run again once the lock is held, so nothing that appeared in between is replaced unasked. Disposing
/// releases the lock and removes a folder this claim created when the run left nothing in it (<see cref="Keep"/>
/// marks success).
/// </summary>
public sealed class OutputClaim : IDisposable
{
    private readonly OutputFolder folder;
    private readonly OutputLock outputLock;

    private OutputClaim(OutputFolder folder, OutputLock outputLock)
    {
        this.folder = folder;
        this.outputLock = outputLock;
    }

    /// <summary>The folder the outputs go into.</summary>
    public string Folder => folder.Path;

    /// <summary>
    /// Claims files in one folder, locked under the first one's name (a tokens file and its manifest are one output).
    /// </summary>
    public static OutputClaim ForFiles(bool overwrite, string exampleName, params string[] paths)
    {
        if (paths.Length == 0)
            throw new ArgumentException("no output file was named");
        var full = paths.Select(path => OutputDestination.CheckFile(path, overwrite, exampleName)).ToList();
        string parent = Path.GetDirectoryName(full[0])!;
        if (full.Any(path => Path.GetDirectoryName(path) != parent))
            throw new ArgumentException($"the outputs {string.Join(", ", paths)} must share one folder");
        return Claim(parent, OutputLock.LockPathOfFile(full[0]), paths[0],
            () => paths.ToList().ForEach(path => OutputDestination.CheckFile(path, overwrite, exampleName)));
    }

    /// <summary>Claims a folder that will receive the files <paramref name="names"/>.</summary>
    public static OutputClaim ForFolder(string path, IReadOnlyCollection<string> names, bool overwrite)
    {
        string full = OutputDestination.CheckFolder(path, names, overwrite);
        return Claim(full, OutputLock.LockPathOfFolder(full), path, () => OutputDestination.CheckFolder(path, names, overwrite));
    }

    /// <summary>The run succeeded: keep the folder even when it was created by this claim.</summary>
    public void Keep() => folder.Keep();

    public void Dispose()
    {
        outputLock.Dispose();
        folder.Dispose();
    }

    private static OutputClaim Claim(string folderPath, string lockPath, string output, Action checkAgain)
    {
        var folder = OutputFolder.Ensure(folderPath);
        OutputLock? taken = null;
        try
        {
            taken = OutputLock.Acquire(lockPath, output);
            checkAgain();
            return new OutputClaim(folder, taken);
        }
        catch
        {
            taken?.Dispose();
            folder.Dispose();
            throw;
        }
    }
}
