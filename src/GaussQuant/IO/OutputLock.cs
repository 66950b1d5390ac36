namespace GaussQuant.IO;

/// <summary>
/// An advisory lock (<c>flock</c>) on a lock file beside an output, held while one process writes it, so that a second
/// gq writing the same output is refused instead of mixing its files with the first one's. The lock dies with the
/// process, so a killed run never blocks the next; the file is removed on release while still locked, and a taker
/// checks that the file it locked is still the one under the name (else it lost a race with a release and tries again).
/// </summary>
internal sealed class OutputLock : IDisposable
{
    private const int Attempts = 8;

    // .NET itself takes a shared flock on every file it opens without FileShare.None, so opening a lock file another
    // process holds already fails: on Linux with the errno EWOULDBLOCK as the HResult (elsewhere, ERROR_SHARING_VIOLATION).
    private const int WouldBlock = 11, SharingViolation = unchecked((int)0x80070020);

    private readonly FileStream file;
    private readonly string path;

    private OutputLock(FileStream file, string path)
    {
        this.file = file;
        this.path = path;
    }

    /// <summary>The lock file of a file output: beside it, named after it.</summary>
    public static string LockPathOfFile(string output) => output + ".gq-lock";

    /// <summary>The lock file of a folder output: inside it.</summary>
    public static string LockPathOfFolder(string folder) => Path.Combine(folder, ".gq-lock");

    /// <param name="lockPath">The lock file (its folder must exist).</param>
    /// <param name="output">The output it protects, for the message.</param>
    public static OutputLock Acquire(string lockPath, string output)
    {
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            FileStream file;
            try
            {
                file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (IOException error) when (error.HResult is WouldBlock or SharingViolation)
            {
                throw Busy(lockPath, output);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new OutputRefusedException($"{output}: cannot create the lock file {lockPath}: {error.Message}");
            }
            bool locked;
            try
            {
                locked = PosixFiles.TryLockExclusive(file);
            }
            catch
            {
                file.Dispose();
                throw;
            }
            if (!locked)
            {
                file.Dispose();
                throw Busy(lockPath, output);
            }
            if (PosixFiles.IdentityOf(file) == PosixFiles.IdentityOf(lockPath))
                return new OutputLock(file, lockPath);
            file.Dispose();
        }
        throw new OutputRefusedException($"{output}: could not take the lock {lockPath}; other gq processes keep taking it");
    }

    private static OutputRefusedException Busy(string lockPath, string output) =>
        new($"{output} is being written by another gq process (it holds {lockPath}); wait for it to finish, or write elsewhere");

    public void Dispose()
    {
        File.Delete(path);
        file.Dispose();
    }
}
