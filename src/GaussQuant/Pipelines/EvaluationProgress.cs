namespace GaussQuant.Pipelines;

/// <summary>How far an evaluation is: files read (evaluated or skipped) of the total.</summary>
public sealed record EvaluationProgress(int FilesDone, int FilesTotal, int ImagesEvaluated, int Skipped);
