using GaussQuant.Reports;

namespace GaussQuant.Pipelines;

/// <summary>What <see cref="EvaluationPipeline.RunWithPage"/> gives: the JSON report and the HTML page's content built from the same run.</summary>
public sealed record EvaluationResult(EvaluationReport Report, EvaluationPage? Page);
