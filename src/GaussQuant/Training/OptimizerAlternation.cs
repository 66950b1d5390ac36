namespace GaussQuant.Training;

/// <summary>
/// The reference's choice of optimiser per batch (GQ_SPEC §4.2): the batch's index within its epoch decides —
/// even → autoencoder, odd → discriminator — except that every batch trains the autoencoder while the global
/// step is below <see cref="DiscriminatorStartIteration"/> (<c>disc_start_iter</c>, 0 by default).
/// Because the index restarts each epoch, an epoch with an odd number of batches ends and starts with
/// autoencoder batches.
/// </summary>
public sealed record OptimizerAlternation(long DiscriminatorStartIteration = 0)
{
    /// <param name="batchIndex">Index of the batch within the current epoch (from 0).</param>
    /// <param name="globalStep">Batches trained so far, both phases counted.</param>
    public TrainingPhase PhaseFor(long batchIndex, long globalStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(globalStep);
        if (globalStep < DiscriminatorStartIteration)
            return TrainingPhase.Autoencoder;
        return batchIndex % 2 == 0 ? TrainingPhase.Autoencoder : TrainingPhase.Discriminator;
    }
}
