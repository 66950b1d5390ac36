namespace GaussQuant.Distributed;

/// <summary>
/// One or more ranks of the job failed; every rank throws it from the same <see cref="RankAgreement"/>, so all stop
/// together and none waits in a collective. After it no rank may call another collective. On rank 0 the message
/// names each failed rank and its cause; elsewhere it names the failed ranks. The inner exception is this rank's own
/// failure, if it had one.
/// </summary>
public sealed class JobFailedException(string message, IReadOnlyDictionary<int, string> causes, Exception? localFailure)
    : Exception(message, localFailure)
{
    /// <summary>The failed ranks and (on rank 0) their causes, ascending by rank.</summary>
    public IReadOnlyDictionary<int, string> Causes { get; } = causes;
}
