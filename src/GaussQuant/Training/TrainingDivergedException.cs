namespace GaussQuant.Training;

/// <summary>A loss term became NaN or infinite; the run stops and its last checkpoint is the last good state.</summary>
public sealed class TrainingDivergedException(long step, string term, double value)
    : InvalidOperationException($"training diverged at step {step}: {term} is {value}; the last checkpoint before it is kept (resume from it with a lower learning rate)")
{
    public long Step { get; } = step;

    public string Term { get; } = term;
}
