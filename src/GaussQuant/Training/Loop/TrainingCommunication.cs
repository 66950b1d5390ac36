namespace GaussQuant.Training.Loop;

/// <summary>
/// The gradient all-reduces of a data-parallel run, as one rank saw them: the bytes it contributed (each sent and
/// received about 2(N−1)/N times by a ring all-reduce) and the time spent inside the all-reduce calls.
/// </summary>
public sealed record TrainingCommunication(int Ranks, long GradientBytes, TimeSpan TimeInAllReduce)
{
    public static TrainingCommunication None { get; } = new(1, 0, TimeSpan.Zero);
}
