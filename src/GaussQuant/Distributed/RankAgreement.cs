using System.Text;

namespace GaussQuant.Distributed;

/// <summary>
/// The status agreement that precedes every exchange of data between ranks: each rank contributes its exit code
/// (0 = fine) to one all-reduce of a vector with a slot per rank, so every rank learns the same verdict at the same
/// point. When any slot is non-zero, the failed ranks' messages are gathered on rank 0 and every rank throws
/// <see cref="JobFailedException"/>. A rank that fails elsewhere reports through <see cref="Agree"/> with its code,
/// which meets its peers' next <see cref="Check"/>: both are the same two collectives.
/// </summary>
public static class RankAgreement
{
    /// <summary>Called by a rank that is fine, at a point every rank reaches; returns when every rank is fine.</summary>
    /// <exception cref="JobFailedException">Some rank failed (the message names it and its cause on rank 0).</exception>
    public static void Check(ICommunicator communicator) => Agree(communicator, 0, "");

    /// <summary>A rank's status: <paramref name="exitCode"/> 0 when fine, else the failure and its message.</summary>
    /// <exception cref="JobFailedException">Some rank (this one included) reported a failure.</exception>
    public static void Agree(ICommunicator communicator, int exitCode, string message)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(message);
        var codes = new long[communicator.Size];
        codes[communicator.Rank] = exitCode;
        communicator.AllReduceSum(codes);
        var failed = Enumerable.Range(0, codes.Length).Where(rank => codes[rank] != 0).ToList();
        if (failed.Count == 0)
            return;
        var messages = communicator.Gather(Encoding.UTF8.GetBytes(exitCode == 0 ? "" : message));
        throw new JobFailedException(Describe(failed, codes, messages, communicator.Size), failed, (int)codes[failed[0]]);
    }

    private static string Describe(List<int> failed, long[] codes, byte[][]? messages, int size) =>
        string.Join(Environment.NewLine, failed.Select(rank =>
        {
            string cause = messages is null ? "" : Encoding.UTF8.GetString(messages[rank]).Trim();
            return $"rank {rank} of {size} failed: {(cause.Length > 0 ? cause : $"exit code {codes[rank]}")}";
        }));
}
