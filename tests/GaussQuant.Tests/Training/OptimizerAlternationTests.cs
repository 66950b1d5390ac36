using GaussQuant.Training;

namespace GaussQuant.Tests.Training;

public class OptimizerAlternationTests
{
    private const TrainingPhase A = TrainingPhase.Autoencoder;
    private const TrainingPhase D = TrainingPhase.Discriminator;

    [Fact]
    public void EvenBatchesTrainTheAutoencoderOddOnesTheDiscriminator()
    {
        var alternation = new OptimizerAlternation();
        Assert.Equal([A, D, A, D, A], Enumerable.Range(0, 5).Select(i => alternation.PhaseFor(i, i)));
    }

    [Fact]
    public void TheBatchIndexWithinTheEpochDecidesNotTheGlobalStep()
    {
        // An epoch of 3 batches: indices 0 1 2 0 1 2 → A D A A D A (two autoencoder steps across the boundary).
        var alternation = new OptimizerAlternation();
        Assert.Equal([A, D, A, A, D, A], Enumerable.Range(0, 6).Select(step => alternation.PhaseFor(step % 3, step)));
    }

    [Fact]
    public void OnlyTheAutoencoderTrainsBeforeTheDiscriminatorStartIteration()
    {
        var alternation = new OptimizerAlternation(DiscriminatorStartIteration: 3);
        Assert.Equal([A, A, A, D, A, D], Enumerable.Range(0, 6).Select(step => alternation.PhaseFor(step, step)));
    }

    [Fact]
    public void RejectsNegativeCounters()
    {
        var alternation = new OptimizerAlternation();
        Assert.Throws<ArgumentOutOfRangeException>(() => alternation.PhaseFor(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => alternation.PhaseFor(0, -1));
    }
}
