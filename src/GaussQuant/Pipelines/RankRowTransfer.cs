using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using GaussQuant.Distributed;

namespace GaussQuant.Pipelines;

/// <summary>
/// Brings the token rows of ranks 1..N−1 to rank 0, rank after rank in chunks of <see cref="ChunkBytes"/>, so rank 0
/// appends them in input order after its own and no rank holds more than a chunk in memory. Every rank takes part in
/// every chunk's gather (the others send nothing), so the number of collectives is known to all from one all-reduce
/// of the row counts; a failure on rank 0 while appending is kept until the transfer ends, for the same reason.
/// </summary>
internal static class RankRowTransfer
{
    public const int ChunkBytes = 16 << 20;

    /// <param name="rows">This rank's rows (non-root ranks), read from the start; null on rank 0.</param>
    /// <param name="rowBytes">The bytes in <paramref name="rows"/>.</param>
    /// <param name="append">On rank 0: appends values received from another rank, in order.</param>
    public static void ToRoot(ICommunicator communicator, Stream? rows, long rowBytes, Action<ReadOnlySpan<long>> append)
    {
        var sizes = new long[communicator.Size];
        sizes[communicator.Rank] = communicator.IsRoot ? 0 : rowBytes;
        communicator.AllReduceSum(sizes);
        ExceptionDispatchInfo? failure = null;
        var buffer = new byte[communicator.IsRoot ? 0 : (int)Math.Min(ChunkBytes, rowBytes)];
        for (int rank = 1; rank < communicator.Size; rank++)
            for (long offset = 0; offset < sizes[rank]; offset += ChunkBytes)
            {
                int length = (int)Math.Min(ChunkBytes, sizes[rank] - offset);
                byte[] send = [];
                if (rank == communicator.Rank)
                {
                    rows!.ReadExactly(buffer, 0, length);
                    send = length == buffer.Length ? buffer : buffer[..length];
                }
                var received = communicator.Gather(send);
                if (received is null || failure is not null)
                    continue;
                try
                {
                    append(MemoryMarshal.Cast<byte, long>(received[rank]));
                }
                catch (Exception error)
                {
                    failure = ExceptionDispatchInfo.Capture(error);
                }
            }
        failure?.Throw();
    }
}
