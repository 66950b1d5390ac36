using System.Runtime.InteropServices;
using GaussQuant.Tokens;

namespace GaussQuant.Pipelines;

/// <summary>
/// Where a rank's token rows go while it encodes: the job's tokens file (under its temporary name, see
/// <see cref="NpyRowWriter{T}"/>) on the writing rank, else a temporary spool file that is deleted on disposal, so a
/// rank's rows never wait in memory before <see cref="RankRowTransfer"/> sends them.
/// </summary>
internal sealed class EncodedRows(string? tokensPath, long maxRows) : IDisposable
{
    private FileStream? spool;

    public NpyRowWriter<long>? Writer { get; private set; }

    public long Count { get; private set; }

    /// <summary>The spooled rows, from the start (null on the writing rank).</summary>
    public Stream? Spool
    {
        get
        {
            spool?.Seek(0, SeekOrigin.Begin);
            return spool;
        }
    }

    public long SpoolBytes => spool?.Length ?? 0;

    public void Append(long[] values, long[] rowShape)
    {
        if (tokensPath is not null)
        {
            Prepare(tokensPath, rowShape, maxRows);
            Writer!.Append(values);
        }
        else
        {
            spool ??= new FileStream(Path.Combine(Path.GetTempPath(), $"gq-rows-{Guid.NewGuid():N}.partial"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            spool.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        Count += values.Length / rowShape.Aggregate(1L, (product, side) => product * side);
    }

    /// <summary>Opens the tokens file if no row of this rank has yet (rank 0 receives the rows of the others).</summary>
    public void Prepare(string path, long[] rowShape, long rows) => Writer ??= new NpyRowWriter<long>(path, rowShape, rows);

    public void Dispose()
    {
        Writer?.Dispose();
        spool?.Dispose();
    }
}
