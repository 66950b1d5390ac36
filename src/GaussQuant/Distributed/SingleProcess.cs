namespace GaussQuant.Distributed;

/// <summary>The job of one process (no launcher): every collective is the identity and MPI is never loaded.</summary>
public sealed class SingleProcess : ICommunicator
{
    public static SingleProcess Instance { get; } = new();

    public int Rank => 0;

    public int Size => 1;

    public void Barrier()
    {
    }

    public void AllReduceSum(Span<float> values)
    {
    }

    public void AllReduceSum(Span<double> values)
    {
    }

    public void AllReduceSum(Span<long> values)
    {
    }

    public void Broadcast(Span<byte> values, int root = 0) => RequireRoot(root);

    public byte[][]? Gather(byte[] values, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        RequireRoot(root);
        return [values];
    }

    public void Abort(int exitCode) => Environment.Exit(exitCode);

    public void Dispose()
    {
    }

    private static void RequireRoot(int root) =>
        ArgumentOutOfRangeException.ThrowIfNotEqual(root, 0);
}
