using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GaussQuant.IO;

/// <summary>
/// What .NET does not say about files on Linux: the type and identity (device, inode) of a path (.NET reports a FIFO
/// or a device node as an ordinary file), asked through <c>statx(2)</c>, whose buffer layout is the same on every
/// architecture; advisory locks (<c>flock(2)</c>); and flushing a folder's entries to disk, so renames are durable in
/// the order they were made. Off Linux the type falls back to .NET's view and the rest does nothing.
/// </summary>
internal static class PosixFiles
{
    private const int CurrentDirectory = -100;
    private const uint TypeAndInode = 0x1 | 0x100; // STATX_TYPE | STATX_INO
    private const int BufferSize = 256;
    private const int NoSuchEntry = 2, NotADirectory = 20;

    public static PathKind KindOf(string path)
    {
        if (!OperatingSystem.IsLinux())
            return Directory.Exists(path) ? PathKind.Directory : File.Exists(path) ? PathKind.RegularFile : PathKind.Missing;
        var buffer = Stat(path);
        if (buffer is null)
            return PathKind.Missing;
        int type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)) & 0xF000;
        return type switch
        {
            0x8000 => PathKind.RegularFile,
            0x4000 => PathKind.Directory,
            _ => PathKind.Special,
        };
    }

    /// <summary>Device and inode of what <paramref name="path"/> names; null when it does not exist (or off Linux).</summary>
    public static (ulong Device, ulong Inode)? IdentityOf(string path)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var buffer = Stat(path);
        if (buffer is null)
            return null;
        ulong device = (ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136)) << 32 | BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
        return (device, BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32)));
    }

    private static byte[]? Stat(string path)
    {
        if (path.Contains('\0'))
            throw new ArgumentException($"the path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character");
        var buffer = new byte[BufferSize];
        if (statx(CurrentDirectory, path, 0, TypeAndInode, buffer) == 0)
            return buffer;
        int error = Marshal.GetLastPInvokeError();
        if (error is NoSuchEntry or NotADirectory)
            return null;
        throw new IOException($"{path}: cannot inspect it: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    /// <summary>Takes an exclusive advisory lock on an open file without waiting; false when another open file holds one.</summary>
    public static bool TryLockExclusive(FileStream file)
    {
        if (!OperatingSystem.IsLinux())
            return true;
        const int exclusive = 2, noWait = 4, wouldBlock = 11;
        if (flock((int)file.SafeFileHandle.DangerousGetHandle(), exclusive | noWait) == 0)
            return true;
        int error = Marshal.GetLastPInvokeError();
        if (error == wouldBlock)
            return false;
        throw new IOException($"{file.Name}: cannot lock it: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    /// <summary>The identity of an open file (what its descriptor names, even after the path was removed or reused).</summary>
    public static (ulong Device, ulong Inode)? IdentityOf(FileStream file) =>
        IdentityOf($"/proc/self/fd/{(int)file.SafeFileHandle.DangerousGetHandle()}");

    /// <summary>Flushes a folder's entries (creations, renames) to disk, so a crash cannot reorder the renames made before.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
            return;
        const int readOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY
        int descriptor = open(folder, readOnlyDirectory);
        if (descriptor < 0)
            throw new IOException($"{folder}: cannot open the folder to flush it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        try
        {
            if (fsync(descriptor) != 0)
                throw new IOException($"{folder}: cannot flush the folder to disk: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        finally
        {
            close(descriptor);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int descriptor, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int descriptor);

    [DllImport("libc")]
    private static extern int close(int descriptor);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
