namespace GaussQuant.Distributed;

/// <summary>Collectives built from <see cref="ICommunicator"/>'s own.</summary>
public static class CommunicatorExtensions
{
    /// <summary>
    /// The root's bytes on every rank, whatever their length (the length goes first); <paramref name="values"/> is
    /// read on the root only (null elsewhere).
    /// </summary>
    public static byte[] BroadcastBytes(this ICommunicator communicator, byte[]? values, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        bool isRoot = communicator.Rank == root;
        if (isRoot)
            ArgumentNullException.ThrowIfNull(values);
        var length = BitConverter.GetBytes(isRoot ? (long)values!.Length : 0L);
        communicator.Broadcast(length, root);
        var received = isRoot ? values! : new byte[BitConverter.ToInt64(length)];
        communicator.Broadcast(received, root);
        return received;
    }
}
