using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GaussQuant.Tokens;

/// <summary>
/// Reads a <c>.npy</c> array <c>[N, row shape…]</c> a few rows at a time, so that large token files are never held
/// in memory whole. The header and the file's length are checked on opening.
/// </summary>
internal sealed class NpyRowReader : IDisposable
{
    private readonly FileStream stream;
    private readonly NpyHeader header;

    public NpyRowReader(string path)
    {
        Path = path;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such file", path, error);
        }
        try
        {
            header = NpyFile.ReadHeader(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public string DType => header.DType;

    public IReadOnlyList<long> Shape => header.Shape;

    public long Rows => header.Shape.Length == 0 ? 1 : header.Shape[0];

    /// <summary>Values per row: the product of the sides after the first.</summary>
    public long RowLength => header.Shape.Skip(1).Aggregate(1L, (product, side) => product * side);

    /// <summary>Reads rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="count"/>).</summary>
    public T[] ReadRows<T>(long firstRow, int count) where T : unmanaged
    {
        string expected = NpyFile.DTypeOf<T>();
        if (DType != expected)
            throw new InvalidDataException($"{Path}: the array holds {DType} values, not {expected}");
        if (firstRow < 0 || count < 0 || firstRow + count > Rows)
            throw new ArgumentException($"rows {firstRow}..{firstRow + count} lie outside the {Rows} rows of {Path}");
        // The header's shape is bounded by the file's length, but not by what one array can hold.
        if (count > 0 && RowLength > Array.MaxLength / Unsafe.SizeOf<T>() / count)
            throw new InvalidDataException(
                $"{Path}: {count} rows of {RowLength} values (shape [{string.Join(", ", Shape)}]) are more than can be read at once");
        return ReadValues<T>(firstRow * RowLength, (int)(count * RowLength));
    }

    /// <summary>Reads <paramref name="count"/> values from the <paramref name="firstValue"/>-th, in C order, across rows.</summary>
    public T[] ReadValues<T>(long firstValue, int count) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var values = new T[count];
        ReadValues(firstValue, values.AsSpan());
        return values;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with values from the <paramref name="firstValue"/>-th on: a scan of a large
    /// file reuses one buffer instead of allocating one per read.
    /// </summary>
    public void ReadValues<T>(long firstValue, Span<T> destination) where T : unmanaged
    {
        string expected = NpyFile.DTypeOf<T>();
        if (DType != expected)
            throw new InvalidDataException($"{Path}: the array holds {DType} values, not {expected}");
        long total = Rows * RowLength;
        int count = destination.Length;
        if (firstValue < 0 || firstValue > total - count)
            throw new ArgumentException($"values {firstValue}..{firstValue + count} lie outside the {total} values of {Path}");
        stream.Position = header.DataOffset + firstValue * Unsafe.SizeOf<T>();
        stream.ReadExactly(MemoryMarshal.AsBytes(destination));
    }

    public void Dispose() => stream.Dispose();
}
