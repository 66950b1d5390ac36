namespace GaussQuant.Training.Loop;

/// <summary>How a training run ended, and where it lies (so a caller can say how to resume it).</summary>
public sealed record TrainingResult(long FinalStep, bool Interrupted, string FinalModelPath, int SkippedImages, string RunDirectory)
{
    /// <summary>This process's rank in the job (0 in one process): rank 0 wrote the run directory.</summary>
    public int Rank { get; init; }

    /// <summary>What the gradient reductions of a data-parallel job cost this rank (nothing in one process).</summary>
    public TrainingCommunication Communication { get; init; } = TrainingCommunication.None;
}
