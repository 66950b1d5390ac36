namespace GaussQuant.IO;

/// <summary>What a path names, after following symbolic links.</summary>
internal enum PathKind
{
    Missing,
    RegularFile,
    Directory,

    /// <summary>A FIFO, a device node or a socket: never replaced by an output.</summary>
    Special,
}
