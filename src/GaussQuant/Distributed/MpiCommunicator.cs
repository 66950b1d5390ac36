using static MPI.Unsafe;

namespace GaussQuant.Distributed;

/// <summary>
/// The job's ranks over MPI (MPI.NET on MPICH, see <see cref="MpiLibrary"/>). The collectives call MPI directly on
/// pinned spans (in place, no copies), with datatypes whose handles MS-MPI and MPICH share (float, double, long long,
/// byte; MPI_LONG differs between the two, so it is never used). Disposing finalizes MPI.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    // MPI_IN_PLACE is (void*)-1 in MPICH's and MS-MPI's headers.
    private static readonly nint InPlace = -1;

    private readonly MPI.Environment environment;

    /// <summary>Initialises MPI (thread level "serialized": gq calls MPI from one thread at a time, not always the first).</summary>
    public MpiCommunicator()
    {
        MpiLibrary.Resolve();
        string[] arguments = [];
        environment = new MPI.Environment(ref arguments, MPI.Threading.Serialized);
        Rank = MPI.Communicator.world.Rank;
        Size = MPI.Communicator.world.Size;
    }

    public int Rank { get; }

    public int Size { get; }

    public void Barrier() => Check(MPI_Barrier(MPI_COMM_WORLD), "barrier");

    public void AllReduceSum(Span<float> values)
    {
        fixed (float* data = values)
            AllReduceSum((nint)data, values.Length, sizeof(float), MPI_FLOAT);
    }

    public void AllReduceSum(Span<double> values)
    {
        fixed (double* data = values)
            AllReduceSum((nint)data, values.Length, sizeof(double), MPI_DOUBLE);
    }

    public void AllReduceSum(Span<long> values)
    {
        fixed (long* data = values)
            AllReduceSum((nint)data, values.Length, sizeof(long), MPI_LONG_LONG_INT);
    }

    public void Broadcast(Span<byte> values, int root = 0)
    {
        RequireRank(root);
        fixed (byte* data = values)
        {
            for (int start = 0; start < values.Length; start += MaxCount)
                Check(MPI_Bcast((nint)(data + start), Math.Min(MaxCount, values.Length - start), MPI_BYTE, root, MPI_COMM_WORLD), "broadcast");
        }
    }

    public byte[][]? Gather(byte[] values, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        RequireRank(root);
        int length = values.Length;
        var lengths = new int[Size];
        fixed (int* lengthsData = lengths)
            Check(MPI_Gather((nint)(&length), 1, MPI_INT, (nint)lengthsData, 1, MPI_INT, root, MPI_COMM_WORLD), "gather");
        bool isRoot = Rank == root;
        var offsets = new int[Size];
        long total = 0;
        for (int rank = 0; rank < Size; rank++)
        {
            offsets[rank] = (int)Math.Min(total, int.MaxValue);
            total += lengths[rank];
        }
        if (isRoot && total > int.MaxValue)
            throw new InvalidOperationException($"gathering {total} bytes on rank {root} exceeds MPI's 2 GiB count limit");
        var all = new byte[isRoot ? total : 0];
        fixed (byte* send = values)
        fixed (byte* receive = all)
            Check(MPI_Gatherv((nint)send, length, MPI_BYTE, (nint)receive, lengths, offsets, MPI_BYTE, root, MPI_COMM_WORLD), "gather");
        return isRoot ? Enumerable.Range(0, Size).Select(rank => all.AsSpan(offsets[rank], lengths[rank]).ToArray()).ToArray() : null;
    }

    public void Abort(int exitCode) => MPI_Abort(MPI_COMM_WORLD, exitCode);

    public void Dispose() => environment.Dispose();

    // MPI counts are C ints; longer buffers go in pieces of at most this many elements.
    private const int MaxCount = int.MaxValue / 8;

    private static void AllReduceSum(nint data, int length, int elementSize, int datatype)
    {
        for (int start = 0; start < length; start += MaxCount)
            Check(MPI_Allreduce(InPlace, data + (nint)start * elementSize, Math.Min(MaxCount, length - start), datatype, MPI_SUM, MPI_COMM_WORLD),
                "allreduce");
    }

    private void RequireRank(int rank) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)rank, (uint)Size, nameof(rank));

    // MPI's default error handler aborts the job on error; this catches a handler that returns instead.
    private static void Check(int status, string operation)
    {
        if (status != MPI_SUCCESS)
            throw new IOException($"MPI {operation} failed with error code {status}");
    }
}
