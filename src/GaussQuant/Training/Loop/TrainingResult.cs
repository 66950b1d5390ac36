namespace GaussQuant.Training.Loop;

/// <summary>How a training run ended, and where it lies (so a caller can say how to resume it).</summary>
public sealed record TrainingResult(long FinalStep, bool Interrupted, string FinalModelPath, int SkippedImages, string RunDirectory);
