namespace GaussQuant.Reports;

/// <summary>A checkpoint a run directory holds: its step, weights file size, whether its training state is beside it, whether <c>last</c> names it.</summary>
public sealed record CheckpointEntry(long Step, string WeightsPath, long WeightsBytes, bool HasState, bool IsLast);
