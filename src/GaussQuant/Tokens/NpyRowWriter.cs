using System.Runtime.InteropServices;
using GaussQuant.IO;

namespace GaussQuant.Tokens;

/// <summary>
/// Writes an array <c>[N, row shape…]</c> to a <c>.npy</c> file one group of rows at a time, for when N is only
/// known at the end (inputs may be skipped) and the rows should not all wait in memory. The header is reserved for
/// at most <c>maxRows</c> rows and rewritten with the real count by <see cref="Complete"/>; the data lives under a
/// temporary name until <see cref="Commit"/>, so a failed run leaves no file behind.
/// </summary>
internal sealed class NpyRowWriter<T> : IDisposable where T : unmanaged
{
    private readonly AtomicFile file;
    private readonly long[] rowShape;
    private readonly long rowLength;
    private readonly long maxRows;
    private readonly int headerLength;
    private bool completed;

    public NpyRowWriter(string path, long[] rowShape, long maxRows)
    {
        if (rowShape.Any(side => side <= 0) || maxRows < 0)
            throw new ArgumentException($"cannot write rows of shape [{string.Join(", ", rowShape)}] (at most {maxRows} of them)");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("writing .npy files needs a little-endian machine");
        this.rowShape = rowShape;
        this.maxRows = maxRows;
        rowLength = rowShape.Aggregate(1L, (product, side) => product * side);
        headerLength = NpyFile.Header(NpyFile.DTypeOf<T>(), [maxRows, .. rowShape]).Length;
        file = AtomicFile.Create(path);
        file.Stream.Write(new byte[headerLength]);
    }

    public long Rows { get; private set; }

    /// <summary>Appends whole rows, in C order.</summary>
    public void Append(ReadOnlySpan<T> values)
    {
        if (values.Length % rowLength != 0)
            throw new ArgumentException($"{values.Length} values are not a whole number of rows of {rowLength}");
        long rows = values.Length / rowLength;
        if (completed)
            throw new InvalidOperationException("rows cannot be appended once the file is complete");
        if (Rows + rows > maxRows)
            throw new InvalidOperationException($"the file was reserved for {maxRows} rows, but {Rows + rows} were written");
        file.Stream.Write(MemoryMarshal.AsBytes(values));
        Rows += rows;
    }

    /// <summary>Writes the final header; returns the lower-case hex SHA-256 of the file as it will be committed.</summary>
    public string Complete()
    {
        file.Stream.Position = 0;
        file.Stream.Write(NpyFile.Header(NpyFile.DTypeOf<T>(), [Rows, .. rowShape], headerLength));
        completed = true;
        return file.Sha256();
    }

    /// <summary>Moves the file into place (completing it first if <see cref="Complete"/> was not called).</summary>
    public void Commit()
    {
        if (!completed)
            Complete();
        file.Commit();
    }

    public void Dispose() => file.Dispose();
}
