using System.Text;

namespace GaussQuant.Distributed;

/// <summary>
/// The status agreement that precedes every exchange of data between ranks: each rank contributes its status
/// (0 = fine) to one all-reduce of a vector with a slot per rank, so every rank learns the same verdict at the same
/// point. When any slot is non-zero, the failed ranks' messages are gathered on rank 0 and every rank throws
/// <see cref="JobFailedException"/>. A rank that fails reports through <see cref="Agree"/>, which meets its peers'
/// next <see cref="Check"/>: both are the same two collectives, so a failure never leaves a rank waiting.
/// </summary>
public static class RankAgreement
{
    /// <summary>Called by a rank that is fine, at a point every rank reaches; returns when every rank is fine.</summary>
    /// <exception cref="JobFailedException">Some rank failed (the message names it and its cause on rank 0).</exception>
    public static void Check(ICommunicator communicator) => Agree(communicator, null);

    /// <summary>This rank's status: <paramref name="failure"/> null when fine.</summary>
    /// <exception cref="JobFailedException">Some rank (this one included) reported a failure.</exception>
    public static void Agree(ICommunicator communicator, Exception? failure)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        var status = new long[communicator.Size];
        status[communicator.Rank] = failure is null ? 0 : 1;
        communicator.AllReduceSum(status);
        var failed = Enumerable.Range(0, status.Length).Where(rank => status[rank] != 0).ToList();
        if (failed.Count == 0)
            return;
        var messages = communicator.Gather(Encoding.UTF8.GetBytes(failure switch
        {
            null => "",
            OperationCanceledException => "interrupted (a signal or a cancellation on that rank); partial outputs were removed",
            _ => failure.Message,
        }));
        var causes = failed.ToDictionary(rank => rank, rank => messages is null ? "" : Encoding.UTF8.GetString(messages[rank]));
        // Ranks that failed alike (e.g. all refusing one bad option) are named in one line.
        string text = string.Join(Environment.NewLine, causes.GroupBy(cause => cause.Value).Select(same =>
            $"{(same.Count() == 1 ? "rank" : "ranks")} {string.Join(", ", same.Select(cause => cause.Key))} of {communicator.Size} failed" +
            (same.Key.Length > 0 ? $": {same.Key}" : "")));
        throw new JobFailedException(text, causes, failure);
    }

    /// <summary>
    /// Runs one rank's share of a step, then agrees with the others: the result when every rank succeeded, else
    /// <see cref="JobFailedException"/> on every rank (this rank's own exception inside it). A job of one process
    /// just runs the step, its exceptions unchanged. A disposable result is disposed when another rank failed.
    /// </summary>
    public static T Run<T>(ICommunicator communicator, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(work);
        if (communicator.Size == 1)
            return work();
        T result;
        try
        {
            result = work();
        }
        catch (Exception failure) when (failure is not JobFailedException)
        {
            Agree(communicator, failure);
            throw new InvalidOperationException("unreachable: an agreement on a failure always throws", failure);
        }
        try
        {
            Check(communicator);
        }
        catch (JobFailedException)
        {
            // Another rank failed: what this rank made for the step (an output claim, a temporary file) is let go.
            (result as IDisposable)?.Dispose();
            throw;
        }
        return result;
    }
}
