namespace GaussQuant.IO;

/// <summary>
/// An output that cannot or may not be written where it was named: a folder where a file is expected (or the
/// reverse), a FIFO or device node, an unwritable place, an existing output without overwriting, or another process
/// writing it. Thrown before any work is done, so nothing was changed.
/// </summary>
public sealed class OutputRefusedException(string message) : IOException(message);
